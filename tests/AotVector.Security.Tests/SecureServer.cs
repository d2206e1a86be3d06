using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AotVector.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>
/// The published server with security settings: optional TLS files (made by a test CA) written into its
/// working directory before start, and clients for both ports that trust that CA.
/// </summary>
internal sealed class SecureServer : IAsyncDisposable
{
    public const string ApiKey = "full_key_for_tests_0123456789abcdef";
    public const string AltApiKey = "alt_key_for_tests_0123456789abcdefgh";
    public const string ReadOnlyKey = "read_only_key_for_tests";

    private SecureServer(ServerProcess process, X509Certificate2 ca, X509Certificate2? serverCertificate, bool tls)
    {
        Process = process;
        Ca = ca;
        ServerCertificate = serverCertificate;
        Tls = tls;
    }

    public ServerProcess Process { get; }

    public X509Certificate2 Ca { get; }

    public X509Certificate2? ServerCertificate { get; }

    public bool Tls { get; }

    public string CaPath => Path.Combine(Process.WorkingDirectory, "ca.pem");

    public string Scheme => Tls ? "https" : "http";

    public Uri RestUri => new($"{Scheme}://localhost:{Process.HttpPort}");

    public Uri GrpcUri => new($"{Scheme}://localhost:{Process.GrpcPort}");

    /// <summary>Starts a server; <paramref name="env"/> adds settings (keys, jwt_rbac, cert_ttl...).</summary>
    public static async Task<SecureServer> StartAsync(bool tls = false, bool mtls = false, params (string Name, string Value)[] env)
    {
        var options = new ServerOptions();
        foreach (var (name, value) in env)
        {
            options.WithEnv(name, value);
        }

        var process = ServerProcess.Create(options);
        var ca = TestCertificates.CreateCa("AotVector Test CA");
        X509Certificate2? certificate = null;
        if (tls)
        {
            certificate = TestCertificates.CreateLeaf(ca, "aotvector-server-1");
            TestCertificates.WritePair(process.WorkingDirectory, certificate);
            process.WriteFile("ca.pem", TestCertificates.CertPem(ca));
            options.WithEnv("QDRANT__SERVICE__ENABLE_TLS", "true")
                .WithEnv("QDRANT__TLS__CERT", Path.Combine(process.WorkingDirectory, "cert.pem"))
                .WithEnv("QDRANT__TLS__KEY", Path.Combine(process.WorkingDirectory, "key.pem"))
                .WithEnv("QDRANT__TLS__CA_CERT", Path.Combine(process.WorkingDirectory, "ca.pem"));
            if (mtls)
            {
                options.WithEnv("QDRANT__SERVICE__VERIFY_HTTPS_CLIENT_CERTIFICATE", "true");
            }
        }

        var server = new SecureServer(process, ca, certificate, tls);
        try
        {
            process.Start();
            await server.WaitReadyAsync(mtls ? TestCertificates.CreateLeaf(ca, "ready-probe", server: false, client: true) : null);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return server;
    }

    private async Task WaitReadyAsync(X509Certificate2? clientCertificate)
    {
        using var http = CreateHttp(clientCertificate: clientCertificate);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited)
            {
                Assert.Fail($"Server exited with code {Process.ExitCode} before it was ready.\n{Process.Logs()}");
            }

            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        Assert.Fail($"Server not ready within 60 s.\n{Process.Logs()}");
    }

    /// <summary>A handler that trusts only the test CA and reports each server certificate it is shown (once per new connection).</summary>
    public SocketsHttpHandler CreateHandler(X509Certificate2? clientCertificate = null, Action<X509Certificate2>? onHandshake = null)
    {
        var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null)
            {
                return false;
            }

            var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            onHandshake?.Invoke(leaf);
            return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && ChainsToCa(leaf);
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { clientCertificate };
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        return handler;
    }

    public HttpClient CreateHttp(string? apiKey = null, X509Certificate2? clientCertificate = null, Action<X509Certificate2>? onHandshake = null)
    {
        var http = new HttpClient(CreateHandler(clientCertificate, onHandshake)) { BaseAddress = RestUri, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("api-key", apiKey);
        }

        return http;
    }

    /// <summary>A raw gRPC channel (h2c or TLS trusting the test CA), for calls with per-call metadata.</summary>
    public GrpcChannel CreateChannel(X509Certificate2? clientCertificate = null, Action<X509Certificate2>? onHandshake = null) =>
        GrpcChannel.ForAddress(GrpcUri, new GrpcChannelOptions { HttpHandler = CreateHandler(clientCertificate, onHandshake), DisposeHttpClient = true });

    /// <summary>
    /// Replaces a file in the working directory in one rename, so the reload timer sees the old content or the
    /// new, never a half-written file (which would be a failure of its own, logged as such).
    /// </summary>
    public void ReplaceFile(string name, string contents)
    {
        var path = Path.Combine(Process.WorkingDirectory, name);
        File.WriteAllText(path + ".tmp", contents);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The server's output so far (stdout and stderr).</summary>
    public string Logs => Process.StandardOutput + Process.StandardError;

    /// <summary>Waits until <paramref name="text"/> appears <paramref name="count"/> times in the logs (the reload timer is asynchronous).</summary>
    public async Task WaitForLogAsync(string text, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (CountInLogs(text) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(CountInLogs(text) >= count, $"'{text}' not logged {count} time(s) within 60 s\n{Process.Logs()}");
    }

    public int CountInLogs(string text)
    {
        var logs = Logs;
        var count = 0;
        for (var i = logs.IndexOf(text, StringComparison.Ordinal); i >= 0; i = logs.IndexOf(text, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public static Metadata Key(string? credential) => credential is null ? [] : new Metadata { { "api-key", credential } };

    public static Metadata Bearer(string credential) => new() { { "authorization", "Bearer " + credential } };

    public bool ChainsToCa(X509Certificate2 leaf)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    public static StringContent Json(string json) => new(json, new MediaTypeHeaderValue("application/json"));

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
