using System.Net;
using System.Security.Cryptography.X509Certificates;
using AotVector.Testing;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>
/// Certificate rotation while running: replaced files reach new handshakes on both ports within cert_ttl,
/// connections opened before keep working on the old session, a broken file keeps the last good certificate (each
/// distinct failure logged once), and /metrics tells when the served certificate expires and when it was loaded.
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
        server.ReplaceFile("cert.pem", "-----BEGIN CERTIFICATE-----\ngarbage\n");
        await server.WaitForLogAsync("TLS certificate reload failed");
        Assert.Equal(second.Thumbprint, (await Handshake.ServerCertificateAsync(rest)).Thumbprint);
        Assert.Equal(second.Thumbprint, (await Handshake.ServerCertificateAsync(grpc)).Thumbprint);
        using var fresh = server.CreateHttp();
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/collections")).StatusCode);

        // The failure is logged once, not once per tick; fixing the file ends it. (Counted by its reason: a tick
        // between the two writes of a pair may see the new certificate with the old key, a failure of its own.)
        var third = TestCertificates.CreateLeaf(server.Ca, "aotvector-server-3");
        TestCertificates.WritePair(server.Process.WorkingDirectory, third);
        await Handshake.WaitForAsync(rest, third, server);
        Assert.Equal(1, server.CountInLogs("not a usable PEM certificate"));
    }

    [Fact]
    public async Task Each_distinct_reload_failure_is_logged_once_and_a_success_starts_over()
    {
        await using var server = await SecureServer.StartAsync(tls: true, env: [("QDRANT__TLS__CERT_TTL", "1")]);
        var first = server.ServerCertificate!;
        var rest = server.Process.HttpPort;
        var now = DateTimeOffset.UtcNow;
        var other = TestCertificates.CreateLeaf(server.Ca, "aotvector-server-other");
        var expired = TestCertificates.CreateLeaf(server.Ca, "aotvector-server-expired", notBefore: now.AddDays(-10), notAfter: now.AddDays(-1));
        const string Failed = "TLS certificate reload failed";

        // Each step replaces files by renames, and where a step changes both files the state between them is
        // the previous step's failure again, so every line logged belongs to one step.
        (string Reason, Action Apply)[] steps =
        [
            ("not a usable PEM certificate", () => server.ReplaceFile("cert.pem", "-----BEGIN CERTIFICATE-----\ngarbage\n")),
            ("does not belong to the certificate", () => server.ReplaceFile("cert.pem", TestCertificates.CertPem(other))),
            ("not now", () =>
            {
                server.ReplaceFile("key.pem", TestCertificates.KeyPem(expired));
                server.ReplaceFile("cert.pem", TestCertificates.CertPem(expired));
            }),
            ("cannot read", () => File.Delete(Path.Combine(server.Process.WorkingDirectory, "key.pem"))),
        ];
        for (var i = 0; i < steps.Length; i++)
        {
            steps[i].Apply();
            await server.WaitForLogAsync(steps[i].Reason);

            // A few more ticks over the same failure: they stay quiet, and the last good certificate is served.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            Assert.Equal(i + 1, server.CountInLogs(Failed));
            Assert.Equal(1, server.CountInLogs(steps[i].Reason));
            Assert.Equal(first.Thumbprint, (await Handshake.ServerCertificateAsync(rest)).Thumbprint);
        }

        // Fixed (the certificate first: until the key arrives it is the same unreadable key): served, nothing logged.
        var fixedPair = TestCertificates.CreateLeaf(server.Ca, "aotvector-server-fixed");
        server.ReplaceFile("cert.pem", TestCertificates.CertPem(fixedPair));
        server.ReplaceFile("key.pem", TestCertificates.KeyPem(fixedPair));
        await Handshake.WaitForAsync(rest, fixedPair, server);
        Assert.Equal(steps.Length, server.CountInLogs(Failed));

        // After a success the same failure as before it is news again.
        File.Delete(Path.Combine(server.Process.WorkingDirectory, "key.pem"));
        await server.WaitForLogAsync(Failed, steps.Length + 1);
        Assert.Equal(2, server.CountInLogs("cannot read"));
    }

    [Fact]
    public async Task Metrics_show_the_served_certificate_expiry_and_last_reload_and_a_short_lived_one_is_warned_about()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await using var server = await SecureServer.StartAsync(tls: true, env: [("QDRANT__TLS__CERT_TTL", "1")]);
        var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var (expiry, loaded) = await GaugesAsync(server);
        Assert.Equal(Unix(server.ServerCertificate!.NotAfter), expiry);
        Assert.InRange(loaded, before, started);
        Assert.Equal(0, server.CountInLogs("expires at"));

        // Rotated to a certificate with three days left: the gauges follow it, and the reload warns.
        var shortLived = TestCertificates.CreateLeaf(server.Ca, "aotvector-server-short", notAfter: DateTimeOffset.UtcNow.AddDays(3));
        var rotated = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        TestCertificates.WritePair(server.Process.WorkingDirectory, shortLived);
        await Handshake.WaitForAsync(server.Process.HttpPort, shortLived, server);
        (expiry, loaded) = await GaugesAsync(server);
        Assert.Equal(Unix(shortLived.NotAfter), expiry);
        Assert.InRange(loaded, rotated, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        await server.WaitForLogAsync("TLS certificate CN=aotvector-server-short expires at");

        // Without TLS there is no certificate to report.
        await using var plain = await SecureServer.StartAsync();
        using var http = plain.CreateHttp();
        Assert.DoesNotContain("tls_certificate", await http.GetStringAsync("/metrics"));
    }

    private static long Unix(DateTime notAfter) => new DateTimeOffset(notAfter.ToUniversalTime()).ToUnixTimeSeconds();

    private static async Task<(long Expiry, long Loaded)> GaugesAsync(SecureServer server)
    {
        using var http = server.CreateHttp();
        var lines = (await http.GetStringAsync("/metrics")).Split('\n');
        Assert.Contains("# TYPE tls_certificate_expiry_timestamp_seconds gauge", lines);
        Assert.Contains("# TYPE tls_certificate_last_reload_timestamp_seconds gauge", lines);
        return (Value("tls_certificate_expiry_timestamp_seconds "), Value("tls_certificate_last_reload_timestamp_seconds "));
        long Value(string name) => long.Parse(lines.Single(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task GetH2Async(HttpClient http)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/collections") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }
}
