using System.Security.Cryptography.X509Certificates;
using AotVector.Security.Testing;
using AotVector.Server.Security;
using AotVector.Testing;
using Microsoft.Extensions.Logging;

namespace AotVector.Server.Tests.Security;

public sealed class CertificateProviderTests : IDisposable
{
    private readonly TempDirectory _dir = new("tls");
    private readonly X509Certificate2 _ca = TestCertificates.CreateCa("Test CA");

    public void Dispose() => _dir.Dispose();

    private CertificateProvider Create(X509Certificate2 server, bool mtls = false)
    {
        var (cert, key) = TestCertificates.WritePair(_dir.Path, server);
        string? ca = null;
        if (mtls)
        {
            ca = _dir.Combine("ca.pem");
            File.WriteAllText(ca, TestCertificates.CertPem(_ca));
        }

        var created = CertificateProvider.Create(cert, key, ca, TimeSpan.FromSeconds(1), TimeProvider.System);
        Assert.True(created.TryGet(out var provider, out var error), error.Message);
        return provider;
    }

    [Fact]
    public void New_files_are_swapped_in_for_new_handshakes()
    {
        var first = TestCertificates.CreateLeaf(_ca, "one");
        using var provider = Create(first);
        var before = provider.CreateOptions();
        Assert.Equal(first.Thumbprint, provider.Certificate.Leaf.Thumbprint);
        Assert.Equal(ReloadOutcome.Unchanged, provider.Reload());

        var second = TestCertificates.CreateLeaf(_ca, "two");
        TestCertificates.WritePair(_dir.Path, second);
        Assert.Equal(ReloadOutcome.Reloaded, provider.Reload());
        Assert.Equal(second.Thumbprint, provider.Certificate.Leaf.Thumbprint);
        Assert.Same(provider.Certificate.Context, provider.CreateOptions().ServerCertificateContext);

        // Options handed out earlier keep the context they were made with.
        Assert.NotSame(before.ServerCertificateContext, provider.CreateOptions().ServerCertificateContext);
    }

    [Fact]
    public void Broken_files_keep_the_last_good_certificate_and_log_once_per_streak()
    {
        var first = TestCertificates.CreateLeaf(_ca, "one");
        using var provider = Create(first);
        var log = new CapturingLogger();
        provider.Start(log);
        var (certPath, keyPath) = (_dir.Combine("cert.pem"), _dir.Combine("key.pem"));

        File.WriteAllText(certPath, "-----BEGIN CERTIFICATE-----\nMIIB");
        Assert.Equal(ReloadOutcome.Failed, provider.Reload());
        Assert.Equal(ReloadOutcome.Failed, provider.Reload());
        Assert.Equal(ReloadOutcome.Failed, provider.Reload());
        Assert.Equal(first.Thumbprint, provider.Certificate.Leaf.Thumbprint);
        Assert.Equal(1, log.Count(LogLevel.Warning));

        // Half a rotation: new certificate, old key. Still the same streak, still one line.
        var second = TestCertificates.CreateLeaf(_ca, "two");
        File.WriteAllText(certPath, TestCertificates.CertPem(second));
        Assert.Equal(ReloadOutcome.Failed, provider.Reload());
        Assert.Equal(1, log.Count(LogLevel.Warning));

        File.WriteAllText(keyPath, TestCertificates.KeyPem(second));
        Assert.Equal(ReloadOutcome.Reloaded, provider.Reload());
        Assert.Equal(second.Thumbprint, provider.Certificate.Leaf.Thumbprint);

        // A new streak logs again.
        File.Delete(keyPath);
        Assert.Equal(ReloadOutcome.Failed, provider.Reload());
        Assert.Equal(2, log.Count(LogLevel.Warning));
    }

    [Fact]
    public void Mismatched_key_is_refused()
    {
        var a = TestCertificates.CreateLeaf(_ca, "a");
        var b = TestCertificates.CreateLeaf(_ca, "b");
        var result = CertificateLoader.LoadServer(
            System.Text.Encoding.UTF8.GetBytes(TestCertificates.CertPem(a)),
            System.Text.Encoding.UTF8.GetBytes(TestCertificates.KeyPem(b)),
            DateTimeOffset.UtcNow);
        Assert.False(result.IsOk);
    }

    [Fact]
    public void Certificate_outside_its_validity_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        var expired = TestCertificates.CreateLeaf(_ca, "old", notBefore: now.AddDays(-10), notAfter: now.AddDays(-1));
        var future = TestCertificates.CreateLeaf(_ca, "new", notBefore: now.AddDays(1), notAfter: now.AddDays(10));
        foreach (var certificate in new[] { expired, future })
        {
            var result = CertificateLoader.LoadServer(
                System.Text.Encoding.UTF8.GetBytes(TestCertificates.CertPem(certificate)),
                System.Text.Encoding.UTF8.GetBytes(TestCertificates.KeyPem(certificate)),
                now);
            Assert.False(result.TryGet(out _, out var error));
            Assert.Contains("valid from", error.Message);
        }
    }

    [Fact]
    public void First_load_failure_is_an_error()
    {
        File.WriteAllText(_dir.Combine("cert.pem"), "garbage");
        File.WriteAllText(_dir.Combine("key.pem"), "garbage");
        Assert.False(CertificateProvider.Create(_dir.Combine("cert.pem"), _dir.Combine("key.pem"), null, null, TimeProvider.System).IsOk);
    }

    [Fact]
    public void Mutual_tls_requires_a_client_certificate_from_the_ca_and_the_ca_reloads()
    {
        using var provider = Create(TestCertificates.CreateLeaf(_ca, "server"), mtls: true);
        var options = provider.CreateOptions();
        Assert.True(options.ClientCertificateRequired);
        var validate = options.RemoteCertificateValidationCallback!;
        var client = TestCertificates.CreateLeaf(_ca, "client", server: false, client: true);
        var serverOnly = TestCertificates.CreateLeaf(_ca, "not-a-client", server: true, client: false);
        var foreignCa = TestCertificates.CreateCa("Foreign CA");
        var foreign = TestCertificates.CreateLeaf(foreignCa, "intruder", server: false, client: true);

        Assert.True(validate(this, client, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(validate(this, null, null, System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.False(validate(this, foreign, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(validate(this, serverOnly, null, System.Net.Security.SslPolicyErrors.None));

        // Rotate the CA file to the foreign CA: new handshakes trust it, old options keep the old one.
        File.WriteAllText(_dir.Combine("ca.pem"), TestCertificates.CertPem(foreignCa));
        provider.Reload();
        var rotated = provider.CreateOptions().RemoteCertificateValidationCallback!;
        Assert.True(rotated(this, foreign, null, System.Net.Security.SslPolicyErrors.None));
        Assert.False(rotated(this, client, null, System.Net.Security.SslPolicyErrors.None));
        Assert.True(validate(this, client, null, System.Net.Security.SslPolicyErrors.None));

        // A broken CA file keeps the last good one.
        File.WriteAllText(_dir.Combine("ca.pem"), "not a certificate");
        provider.Reload();
        Assert.True(provider.CreateOptions().RemoteCertificateValidationCallback!(this, foreign, null, System.Net.Security.SslPolicyErrors.None));
    }

    [Fact]
    public void Without_mtls_no_client_certificate_is_asked_for()
    {
        using var provider = Create(TestCertificates.CreateLeaf(_ca, "server"));
        var options = provider.CreateOptions();
        Assert.False(options.ClientCertificateRequired);
        Assert.Null(options.RemoteCertificateValidationCallback);
    }
}
