using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace AotVector.Security.Tests;

/// <summary>One fresh TLS handshake, to see which certificate a port serves right now.</summary>
internal static class Handshake
{
    public static async Task<X509Certificate2> ServerCertificateAsync(int port, X509Certificate2? clientCertificate = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var ssl = new SslStream(tcp.GetStream());
        X509Certificate2? seen = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return true;
            },
        };
        if (clientCertificate is not null)
        {
            options.ClientCertificates = [clientCertificate];
        }

        await ssl.AuthenticateAsClientAsync(options);
        return seen ?? throw new InvalidOperationException("no server certificate");
    }

    /// <summary>Polls new handshakes until <paramref name="port"/> serves <paramref name="expected"/> (the reload timer is asynchronous).</summary>
    public static async Task WaitForAsync(int port, X509Certificate2 expected, SecureServer server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = (await ServerCertificateAsync(port)).Thumbprint;
            if (last == expected.Thumbprint)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"port {port} still serves {last}, not {expected.Thumbprint}\n{server.Process.Logs()}");
    }
}
