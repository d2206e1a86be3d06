using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AotVector.Cluster.Tests;

/// <summary>
/// <c>cluster.p2p.enable_tls</c>: peers talk over TLS and each side checks the other's certificate against
/// <c>tls.ca_cert</c>; nothing without a certificate from that CA gets an answer on the p2p port.
/// </summary>
public sealed class MutualTlsTests
{
    [Fact]
    public async Task ClusterFormsOverMutualTlsAndRefusesStrangersOnThePeerPort()
    {
        using var ca = TestCertificates.CreateCa("cluster test CA");
        using var rogueCa = TestCertificates.CreateCa("rogue CA");
        void UseTls(ServerProcess server, ServerOptions options)
        {
            using var leaf = TestCertificates.CreateLeaf(ca, "peer", server: true, client: true);
            var (cert, key) = TestCertificates.WritePair(server.WorkingDirectory, leaf);
            var caFile = server.WriteFile("ca.pem", TestCertificates.CertPem(ca));
            options.WithEnv("QDRANT__CLUSTER__P2P__ENABLE_TLS", "true")
                .WithEnv("QDRANT__TLS__CERT", cert)
                .WithEnv("QDRANT__TLS__KEY", key)
                .WithEnv("QDRANT__TLS__CA_CERT", caFile);
        }

        await using var cluster = await TestCluster.StartAsync(3, tls: true, configure: UseTls);
        foreach (var peer in cluster.Peers)
        {
            foreach (var known in (await peer.ClusterAsync()).GetProperty("peers").EnumerateObject())
            {
                Assert.StartsWith("https://127.0.0.1:", known.Value.GetProperty("uri").GetString(), StringComparison.Ordinal);
            }
        }

        var target = new Uri($"https://127.0.0.1:{cluster.Peers[0].P2pPort}/cluster-consensus/raft");

        // Control: a certificate from the cluster's CA gets an HTTP answer (whatever its status).
        using (var member = TestCertificates.CreateLeaf(ca, "operator", server: false, client: true))
        {
            using var answered = await TryGetAsync(target, ca, member);
            Assert.NotNull(answered);
        }

        // No certificate, or one from another CA: the handshake is refused, so no HTTP answer at all.
        Assert.Null(await TryGetAsync(target, ca, clientCertificate: null));
        using (var stranger = TestCertificates.CreateLeaf(rogueCa, "stranger", server: false, client: true))
        {
            Assert.Null(await TryGetAsync(target, ca, stranger));
        }

        // A peer without p2p TLS cannot join: it gives up within its bootstrap timeout and exits.
        var plain = ClusterPeer.Create($"http://127.0.0.1:{cluster.Peers[0].P2pPort}/", tls: false,
            configure: (_, options) => options.WithEnv("QDRANT__CLUSTER__CONSENSUS__BOOTSTRAP_TIMEOUT_SEC", "3"));
        await using (plain)
        {
            plain.Server.Start();
            var code = await plain.Server.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.NotEqual(0, code);
            Assert.Contains("could not join", plain.Server.StandardError, StringComparison.Ordinal);
        }

        await cluster.WaitUniformAsync(cluster.Peers, 3);
    }

    /// <summary>An HTTP/2 request over TLS trusting <paramref name="ca"/>; null when the connection is refused.</summary>
    internal static async Task<HttpResponseMessage?> TryGetAsync(Uri target, X509Certificate2 ca, X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return certificate is not null && chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                },
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        try
        {
            return await client.GetAsync(target);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }
}
