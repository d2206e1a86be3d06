using System.Net;
using System.Security.Cryptography.X509Certificates;
using AotVector.Security.Testing;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>
/// Certificate rotation while running: replaced files reach new handshakes on both ports within cert_ttl,
/// connections opened before keep working on the old session, and a garbage file keeps the last good certificate.
/// </summary>
public sealed class RotationTests
{
    [Fact]
    public async Task Replaced_certificate_reaches_new_handshakes_on_both_ports_and_open_connections_survive()
    {
        await using var server = await SecureServer.StartAsync(tls: true, env: [("QDRANT__TLS__CERT_TTL", "1")]);
        var first = server.ServerCertificate!;
        var rest = server.Process.HttpPort;
        var grpc = server.Process.GrpcPort;
        Assert.Equal(first.Thumbprint, (await Handshake.ServerCertificateAsync(rest)).Thumbprint);
        Assert.Equal(first.Thumbprint, (await Handshake.ServerCertificateAsync(grpc)).Thumbprint);

        // Open an HTTP/2 connection on each port before the rotation, counting their handshakes.
        var restHandshakes = new List<X509Certificate2>();
        var grpcHandshakes = new List<X509Certificate2>();
        using var http = server.CreateHttp(onHandshake: c => { lock (restHandshakes) { restHandshakes.Add(c); } });
        using var channel = server.CreateChannel(onHandshake: c => { lock (grpcHandshakes) { grpcHandshakes.Add(c); } });
        var qdrant = new QdrantGrpcClient(channel);
        await GetH2Async(http);
        await qdrant.Qdrant.HealthCheckAsync(new HealthCheckRequest());

        var second = TestCertificates.CreateLeaf(server.Ca, "aotvector-server-2");
        TestCertificates.WritePair(server.Process.WorkingDirectory, second);
        await Handshake.WaitForAsync(rest, second, server);
        await Handshake.WaitForAsync(grpc, second, server);
        Assert.Contains("TLS certificate reloaded", server.Process.StandardOutput + server.Process.StandardError);

        // The open connections were not dropped: same single handshake each, still the first certificate.
        await GetH2Async(http);
        await qdrant.Qdrant.HealthCheckAsync(new HealthCheckRequest());
        Assert.Equal(new[] { first.Thumbprint }, restHandshakes.Select(c => c.Thumbprint));
        Assert.Equal(new[] { first.Thumbprint }, grpcHandshakes.Select(c => c.Thumbprint));

        // A garbage certificate file: the reload fails (logged), the last good certificate stays.
        server.Process.WriteFile("cert.pem", "-----BEGIN CERTIFICATE-----\ngarbage\n");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Logs(server).Contains("TLS certificate reload failed", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Contains("TLS certificate reload failed", Logs(server));
        Assert.Equal(second.Thumbprint, (await Handshake.ServerCertificateAsync(rest)).Thumbprint);
        Assert.Equal(second.Thumbprint, (await Handshake.ServerCertificateAsync(grpc)).Thumbprint);
        using var fresh = server.CreateHttp();
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/collections")).StatusCode);

        // The failure is logged once for the streak, not once per tick; fixing the file ends it.
        var third = TestCertificates.CreateLeaf(server.Ca, "aotvector-server-3");
        TestCertificates.WritePair(server.Process.WorkingDirectory, third);
        await Handshake.WaitForAsync(rest, third, server);
        Assert.Equal(1, CountOccurrences(Logs(server), "TLS certificate reload failed"));
    }

    private static string Logs(SecureServer server) => server.Process.StandardOutput + server.Process.StandardError;

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task GetH2Async(HttpClient http)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/collections") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }
}
