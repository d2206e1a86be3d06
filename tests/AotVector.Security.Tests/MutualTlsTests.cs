using System.Net;
using System.Security.Cryptography.X509Certificates;
using AotVector.Security.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>verify_https_client_certificate: a client certificate chaining to tls.ca_cert is required on REST and on gRPC.</summary>
public sealed class MutualTlsTests
{
    [Fact]
    public async Task Only_clients_with_a_certificate_from_the_ca_are_served_on_both_ports()
    {
        await using var server = await SecureServer.StartAsync(tls: true, mtls: true);
        var good = TestCertificates.CreateLeaf(server.Ca, "client", server: false, client: true);
        var foreign = TestCertificates.CreateLeaf(TestCertificates.CreateCa("Foreign CA"), "intruder", server: false, client: true);

        using (var http = server.CreateHttp(clientCertificate: good))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/collections")).StatusCode);
        }

        using (var channel = server.CreateChannel(good))
        {
            var qdrant = new QdrantGrpcClient(channel);
            Assert.NotNull(await qdrant.Collections.ListAsync(new ListCollectionsRequest()));
        }

        foreach (var certificate in new X509Certificate2?[] { null, foreign })
        {
            var label = certificate is null ? "no client certificate" : "foreign-CA certificate";
            using (var http = server.CreateHttp(clientCertificate: certificate))
            {
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetAsync("/collections"));
            }

            using var channel = server.CreateChannel(certificate);
            var qdrant = new QdrantGrpcClient(channel);
            var refused = await Assert.ThrowsAsync<RpcException>(() => qdrant.Collections.ListAsync(new ListCollectionsRequest()).ResponseAsync);
            Assert.True(refused.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown, $"{label}: {refused.Status}");
            var health = await Assert.ThrowsAsync<RpcException>(() => qdrant.Qdrant.HealthCheckAsync(new HealthCheckRequest()).ResponseAsync);
            Assert.NotEqual(StatusCode.OK, health.StatusCode);
        }

        // The same with curl, as a user would check it.
        var dir = server.Process.WorkingDirectory;
        File.WriteAllText(Path.Combine(dir, "client.pem"), TestCertificates.CertPem(good));
        File.WriteAllText(Path.Combine(dir, "client.key"), TestCertificates.KeyPem(good));
        var url = $"https://localhost:{server.Process.HttpPort}/collections";
        var (ok, body, err) = await TlsTests.BashAsync($"curl -sS {url} --cacert '{server.CaPath}' --cert '{dir}/client.pem' --key '{dir}/client.key'");
        Assert.True(ok == 0, err);
        Assert.Contains("\"collections\"", body);
        var (refusedExit, _, _) = await TlsTests.BashAsync($"curl -sS {url} --cacert '{server.CaPath}'");
        Assert.NotEqual(0, refusedExit);
    }
}
