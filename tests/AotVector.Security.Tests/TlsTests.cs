using System.Diagnostics;
using System.Net;
using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>REST and gRPC over TLS with an API key: the seed's curl example and the official client over https.</summary>
public sealed class TlsTests
{
    private static Task<SecureServer> StartAsync() => SecureServer.StartAsync(tls: true, env:
    [
        ("QDRANT__SERVICE__API_KEY", "your_secret_api_key_here"),
        ("QDRANT__SERVICE__READ_ONLY_API_KEY", SecureServer.ReadOnlyKey),
    ]);

    [Fact]
    public async Task Curl_example_from_the_docs_works_with_the_test_ca()
    {
        await using var server = await StartAsync();
        var command = $"curl -sS -X GET https://localhost:{server.Process.HttpPort} --header 'api-key: your_secret_api_key_here' --cacert '{server.CaPath}'";
        var (exit, stdout, stderr) = await BashAsync(command);
        Assert.True(exit == 0, $"{command}\n{stderr}\n{server.Process.Logs()}");
        Assert.Contains("\"title\":\"qdrant - vector search engine\"", stdout);

        var (exit2, stdout2, _) = await BashAsync($"curl -sS -o /dev/null -w '%{{http_code}}' https://localhost:{server.Process.HttpPort}/collections --cacert '{server.CaPath}'");
        Assert.Equal((0, "401"), (exit2, stdout2));
        var (exit3, stdout3, _) = await BashAsync($"curl -sS https://localhost:{server.Process.HttpPort}/collections --header 'api-key: your_secret_api_key_here' --cacert '{server.CaPath}'");
        Assert.Equal(0, exit3);
        Assert.Contains("\"collections\":[]", stdout3);

        // Without the CA, curl refuses our certificate: it really is TLS, and only the test CA vouches for it.
        var (untrusted, _, _) = await BashAsync($"curl -sS https://localhost:{server.Process.HttpPort}");
        Assert.NotEqual(0, untrusted);
    }

    [Fact]
    public async Task Official_client_over_https_with_api_key_and_thumbprint()
    {
        await using var server = await StartAsync();
        var thumbprint = server.ServerCertificate!.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var channel = QdrantChannel.ForAddress(server.GrpcUri, new ClientConfiguration { ApiKey = "your_secret_api_key_here", CertificateThumbprint = thumbprint });
        using var client = new QdrantClient(new QdrantGrpcClient(channel));
        await client.CreateCollectionAsync("tls", new VectorParams { Size = 2, Distance = Distance.Dot });
        await client.UpsertAsync("tls", [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f } }]);
        Assert.Equal(1UL, await client.CountAsync("tls"));
        Assert.Equal("qdrant - vector search engine", (await client.HealthAsync()).Title);

        using var readChannel = QdrantChannel.ForAddress(server.GrpcUri, new ClientConfiguration { ApiKey = SecureServer.ReadOnlyKey, CertificateThumbprint = thumbprint });
        using var reader = new QdrantClient(new QdrantGrpcClient(readChannel));
        Assert.Contains("tls", await reader.ListCollectionsAsync());
        var denied = await Assert.ThrowsAsync<RpcException>(() => reader.DeleteCollectionAsync("tls"));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        using var anonymousChannel = QdrantChannel.ForAddress(server.GrpcUri, new ClientConfiguration { CertificateThumbprint = thumbprint });
        using var anonymous = new QdrantClient(new QdrantGrpcClient(anonymousChannel));
        var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.ListCollectionsAsync());
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

        // The REST port serves the same certificate over HTTP/2 and HTTP/1.1.
        using var http = server.CreateHttp("your_secret_api_key_here");
        using var h2 = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/collections/tls") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact });
        Assert.Equal(HttpStatusCode.OK, h2.StatusCode);
        Assert.Equal(HttpVersion.Version20, h2.Version);
    }

    [Fact]
    public async Task Official_js_client_over_https_with_api_key()
    {
        var js = Path.Combine(RepoPaths.Root, "tests", "js");
        Assert.True(Directory.Exists(Path.Combine(js, "node_modules")), "tests/js/node_modules is missing: run ./build.sh test (it runs npm ci there)");
        await using var server = await StartAsync();
        var psi = new ProcessStartInfo("node") { WorkingDirectory = js, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("secure.mjs");
        psi.ArgumentList.Add($"https://localhost:{server.Process.HttpPort}");
        psi.ArgumentList.Add("your_secret_api_key_here");
        psi.ArgumentList.Add(SecureServer.ReadOnlyKey);
        psi.Environment["NODE_EXTRA_CA_CERTS"] = server.CaPath;
        using var node = Process.Start(psi)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        Assert.True(node.ExitCode == 0, $"{await stdout}\n{await stderr}\n{server.Process.Logs()}");
        Assert.Contains("ok", await stdout);
    }

    [Fact]
    public async Task Plain_http_to_a_tls_port_gets_nothing_useful()
    {
        await using var server = await StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Process.HttpPort}"), Timeout = TimeSpan.FromSeconds(20) };
        try
        {
            using var response = await http.GetAsync("/collections");
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // Expected: the TLS listener does not speak clear text.
        }
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("mismatched key")]
    [InlineData("expired")]
    public async Task Unusable_certificate_at_startup_stops_the_server_with_one_line(string problem)
    {
        var ca = TestCertificates.CreateCa("Startup CA");
        var now = DateTimeOffset.UtcNow;
        var good = TestCertificates.CreateLeaf(ca, "server");
        var expired = TestCertificates.CreateLeaf(ca, "old", notBefore: now.AddDays(-20), notAfter: now.AddDays(-1));
        var other = TestCertificates.CreateLeaf(ca, "other");
        var options = new AotVector.Testing.ServerOptions();
        var process = AotVector.Testing.ServerProcess.Create(options);
        await using (process)
        {
            var (cert, key) = problem switch
            {
                "garbage" => ("-----BEGIN CERTIFICATE-----\nnot really\n", "nothing"),
                "mismatched key" => (TestCertificates.CertPem(good), TestCertificates.KeyPem(other)),
                _ => (TestCertificates.CertPem(expired), TestCertificates.KeyPem(expired)),
            };
            options.WithEnv("QDRANT__SERVICE__ENABLE_TLS", "true")
                .WithEnv("QDRANT__TLS__CERT", process.WriteFile("cert.pem", cert))
                .WithEnv("QDRANT__TLS__KEY", process.WriteFile("key.pem", key));
            process.Start();
            var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(2, exit);
            Assert.Contains("aotvector: configuration error: tls.", process.StandardError);
            Assert.DoesNotContain("   at ", process.StandardError);
        }
    }

    internal static async Task<(int Exit, string Stdout, string Stderr)> BashAsync(string command)
    {
        var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
