using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace AotVector.Cluster.Tests;

/// <summary>
/// p2p certificates rotate on <c>tls.cert_ttl</c> while the cluster serves: peers are moved to a new CA by replacing
/// their files (first a CA bundle trusting both, then leaves from the new CA), and a peer that knows only the new CA
/// can then join: the old peers accept its certificate (their CA reloaded) and it accepts theirs, as servers and as
/// clients (their certificates reloaded in both directions).
/// </summary>
public sealed class CertificateRotationTests
{
    [Fact]
    public async Task PeersMoveToANewCaWithoutRestartAndAPeerOfTheNewCaJoins()
    {
        using var oldCa = TestCertificates.CreateCa("old cluster CA");
        using var newCa = TestCertificates.CreateCa("new cluster CA");
        void UseTls(X509Certificate2 ca, string caPem, ServerProcess server, ServerOptions options)
        {
            using var leaf = TestCertificates.CreateLeaf(ca, "peer", server: true, client: true);
            var (cert, key) = TestCertificates.WritePair(server.WorkingDirectory, leaf);
            var caFile = server.WriteFile("ca.pem", caPem);
            options.WithEnv("QDRANT__CLUSTER__P2P__ENABLE_TLS", "true")
                .WithEnv("QDRANT__TLS__CERT", cert)
                .WithEnv("QDRANT__TLS__KEY", key)
                .WithEnv("QDRANT__TLS__CA_CERT", caFile)
                .WithEnv("QDRANT__TLS__CERT_TTL", "1");
        }

        await using var cluster = await TestCluster.StartAsync(2, tls: true, configure: (s, o) => UseTls(oldCa, TestCertificates.CertPem(oldCa), s, o));
        var peers = cluster.Peers;
        using var oldMember = TestCertificates.CreateLeaf(oldCa, "operator", server: false, client: true);
        using var newMember = TestCertificates.CreateLeaf(newCa, "operator", server: false, client: true);

        // Step 1: every peer trusts both CAs. A client certificate of the new CA is then let in, which needs the CA
        // reloaded (it was refused at the handshake before).
        foreach (var peer in peers)
        {
            var target = new Uri($"https://127.0.0.1:{peer.P2pPort}/cluster-consensus/raft");
            using (var refused = await MutualTlsTests.TryGetAsync(target, oldCa, newMember))
            {
                Assert.Null(refused);
            }

            peer.Server.WriteFile("ca.pem", TestCertificates.CertPem(oldCa) + TestCertificates.CertPem(newCa));
            await cluster.WaitForAsync(async () =>
            {
                using var answered = await MutualTlsTests.TryGetAsync(target, oldCa, newMember);
                return answered is not null;
            }, $"peer {peer.Uri} accepts a client certificate of the new CA");
        }

        // Step 2: every peer gets a leaf of the new CA; new handshakes see it.
        var leaves = new List<X509Certificate2>();
        foreach (var peer in peers)
        {
            var leaf = TestCertificates.CreateLeaf(newCa, "peer", server: true, client: true);
            leaves.Add(leaf);
            TestCertificates.WritePair(peer.Server.WorkingDirectory, leaf);
            await cluster.WaitForAsync(async () => (await ServerCertificateAsync(peer.P2pPort, oldMember))?.Thumbprint == leaf.Thumbprint,
                $"peer {peer.Uri} presents its new certificate");
        }

        // A peer that knows only the new CA joins and takes part: both sides' certificates chain to it now.
        var joiner = ClusterPeer.Create(peers[0].Uri, tls: true, configure: (s, o) => UseTls(newCa, TestCertificates.CertPem(newCa), s, o));
        peers.Add(joiner);
        joiner.Server.Start();
        await joiner.Server.WaitReadyAsync();
        await cluster.WaitUniformAsync(peers, 3);
        using (var created = await joiner.Http.PutAsJsonAsync("/collections/rot", new { vectors = new { size = 4, distance = "Dot" }, shard_number = 3 }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var points = Enumerable.Range(1, 12).Select(i => new { id = i, vector = new[] { i, 1f, 0f, 0f } });
        using (var upserted = await peers[0].Http.PutAsJsonAsync("/collections/rot/points?wait=true", new { points }))
        {
            Assert.True(upserted.IsSuccessStatusCode, await upserted.Content.ReadAsStringAsync());
        }

        using var counted = await joiner.Http.PostAsJsonAsync("/collections/rot/points/count", new { exact = true });
        Assert.True(counted.StatusCode == HttpStatusCode.OK, await counted.Content.ReadAsStringAsync());
        Assert.Contains("\"count\":12", await counted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var leaf in leaves)
        {
            leaf.Dispose();
        }
    }

    /// <summary>The certificate a new TLS handshake with the p2p port presents (null when the connection fails).</summary>
    private static async Task<X509Certificate2?> ServerCertificateAsync(int port, X509Certificate2 client)
    {
        X509Certificate2? seen = null;
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                ClientCertificates = new X509CertificateCollection { client },
                ApplicationProtocols = [SslApplicationProtocol.Http2],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return true;
                },
            });
        }
        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            return seen;
        }

        return seen;
    }
}
