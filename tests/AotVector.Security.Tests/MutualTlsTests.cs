using System.Net;
using System.Security.Cryptography.X509Certificates;
using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>
/// verify_https_client_certificate: a client certificate chaining to tls.ca_cert is required on REST and on gRPC,
/// and a tls.ca_cert holding anything but CA certificates is refused at startup and at reload.
/// </summary>
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

    [Theory]
    [InlineData("leaf")]
    [InlineData("CA and a leaf")]
    public async Task Ca_file_holding_a_leaf_stops_startup_with_one_line(string contents)
    {
        var ca = TestCertificates.CreateCa("Startup CA");
        var server = TestCertificates.CreateLeaf(ca, "server");
        var leaf = TestCertificates.CertPem(TestCertificates.CreateLeaf(ca, "client", server: false, client: true));
        var options = new ServerOptions();
        var process = ServerProcess.Create(options);
        await using (process)
        {
            options.WithEnv("QDRANT__SERVICE__ENABLE_TLS", "true")
                .WithEnv("QDRANT__SERVICE__VERIFY_HTTPS_CLIENT_CERTIFICATE", "true")
                .WithEnv("QDRANT__TLS__CERT", process.WriteFile("cert.pem", TestCertificates.CertPem(server)))
                .WithEnv("QDRANT__TLS__KEY", process.WriteFile("key.pem", TestCertificates.KeyPem(server)))
                .WithEnv("QDRANT__TLS__CA_CERT", process.WriteFile("ca.pem", contents == "leaf" ? leaf : TestCertificates.CertPem(ca) + leaf));
            process.Start();
            Assert.Equal(2, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            var line = Assert.Single(process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.Equal("aotvector: configuration error: tls.ca_cert: 'CN=client' is not a CA certificate (basicConstraints CA:false); the file must hold CA certificates only", line);
        }
    }

    [Fact]
    public async Task Ca_file_replaced_by_a_leaf_keeps_the_old_ca_and_each_distinct_failure_is_logged_once()
    {
        await using var server = await SecureServer.StartAsync(tls: true, mtls: true, env: [("QDRANT__TLS__CERT_TTL", "1")]);
        var client = TestCertificates.CreateLeaf(server.Ca, "client", server: false, client: true);
        const string Failed = "TLS client CA reload failed";

        server.ReplaceFile("ca.pem", TestCertificates.CertPem(TestCertificates.CreateLeaf(server.Ca, "not-a-ca", server: false, client: true)));
        await server.WaitForLogAsync(Failed);
        Assert.Contains("tls.ca_cert: 'CN=not-a-ca' is not a CA certificate", server.Logs);

        // More ticks over the same file stay quiet, and clients of the old CA are still served on both ports.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(1, server.CountInLogs(Failed));
        await AssertServedAsync(server, client);

        // A different failure is logged; a good file ends the streak and the next leaf is logged again.
        server.ReplaceFile("ca.pem", "-----BEGIN CERTIFICATE-----\ngarbage\n");
        await server.WaitForLogAsync(Failed, 2);
        server.ReplaceFile("ca.pem", TestCertificates.CertPem(server.Ca) + TestCertificates.CertPem(TestCertificates.CreateCa("Second CA")));
        await server.WaitForLogAsync("TLS client CA reloaded from tls.ca_cert: 2 certificate(s)");
        server.ReplaceFile("ca.pem", TestCertificates.CertPem(TestCertificates.CreateLeaf(server.Ca, "not-a-ca", server: false, client: true)));
        await server.WaitForLogAsync(Failed, 3);
        await AssertServedAsync(server, client);
    }

    private static async Task AssertServedAsync(SecureServer server, X509Certificate2 client)
    {
        using var http = server.CreateHttp(clientCertificate: client);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/collections")).StatusCode);
        using var channel = server.CreateChannel(client);
        Assert.NotNull(await new QdrantGrpcClient(channel).Collections.ListAsync(new ListCollectionsRequest()));
    }
}
