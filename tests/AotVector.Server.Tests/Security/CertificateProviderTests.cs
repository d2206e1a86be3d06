using System.Security.Cryptography.X509Certificates;
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

        // A clock of its own: its reload timer ticks only when a test advances it, never between a test's steps.
        var created = CertificateProvider.Create(cert, key, ca, TimeSpan.FromSeconds(1), new ManualTime(DateTimeOffset.UtcNow));
        Assert.True(created.TryGet(out var provider, out var error), error.Message);
        return provider;
    }

    private CertificateProvider Create(X509Certificate2 server, TimeSpan? ttl, TimeProvider time)
    {
        var (cert, key) = TestCertificates.WritePair(_dir.Path, server);
        Assert.True(CertificateProvider.Create(cert, key, null, ttl, time).TryGet(out var provider, out var error), error.Message);
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
    public void Each_distinct_reload_failure_is_logged_once_and_a_success_starts_over()
    {
        var now = DateTimeOffset.UtcNow;
        var first = TestCertificates.CreateLeaf(_ca, "one");
        using var provider = Create(first);
        var log = new CapturingLogger();
        provider.Start(log);
        var (certPath, keyPath) = (_dir.Combine("cert.pem"), _dir.Combine("key.pem"));
        var logged = new List<int>();
        void FailsTwice()
        {
            Assert.Equal(ReloadOutcome.Failed, provider.Reload());
            Assert.Equal(ReloadOutcome.Failed, provider.Reload());
            Assert.Equal(first.Thumbprint, provider.Certificate.Leaf.Thumbprint);
            logged.Add(Failures(log).Count);
        }

        // Garbage; then half a rotation (new certificate, old key); then an expired pair; then no key file.
        File.WriteAllText(certPath, "-----BEGIN CERTIFICATE-----\nMIIB");
        FailsTwice();
        var second = TestCertificates.CreateLeaf(_ca, "two");
        File.WriteAllText(certPath, TestCertificates.CertPem(second));
        FailsTwice();
        var expired = TestCertificates.CreateLeaf(_ca, "old", notBefore: now.AddDays(-10), notAfter: now.AddDays(-1));
        TestCertificates.WritePair(_dir.Path, expired);
        FailsTwice();
        File.Delete(keyPath);
        FailsTwice();
        Assert.Equal([1, 2, 3, 4], logged);
        var failures = Failures(log);
        Assert.Contains("not a usable PEM certificate", failures[0]);
        Assert.Contains("does not belong to the certificate", failures[1]);
        Assert.Contains("not now", failures[2]);
        Assert.Contains("cannot read", failures[3]);

        // A success starts over: the same failure as before it is news again.
        TestCertificates.WritePair(_dir.Path, second);
        Assert.Equal(ReloadOutcome.Reloaded, provider.Reload());
        Assert.Equal(second.Thumbprint, provider.Certificate.Leaf.Thumbprint);
        File.Delete(keyPath);
        Assert.Equal(ReloadOutcome.Failed, provider.Reload());
        Assert.Equal(ReloadOutcome.Failed, provider.Reload());
        Assert.Equal(5, Failures(log).Count);
    }

    private static List<string> Failures(CapturingLogger log, string prefix = "TLS certificate reload failed") =>
        log.Entries.Where(e => e.Message.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Message).ToList();

    [Fact]
    public void Reload_timer_reloads_every_cert_ttl()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var (cert, key) = TestCertificates.WritePair(_dir.Path, TestCertificates.CreateLeaf(_ca, "one"));
        Assert.True(CertificateProvider.Create(cert, key, null, TimeSpan.FromMinutes(5), time).TryGet(out var provider, out _));
        using (provider)
        {
            provider.Start(new CapturingLogger());
            var second = TestCertificates.CreateLeaf(_ca, "two");
            TestCertificates.WritePair(_dir.Path, second);
            time.Advance(TimeSpan.FromMinutes(4));
            Assert.NotEqual(second.Thumbprint, provider.Certificate.Leaf.Thumbprint);
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(second.Thumbprint, provider.Certificate.Leaf.Thumbprint);
        }

        Assert.Equal(0, time.Timers);
    }

    [Fact]
    public void Expiry_within_a_week_is_warned_at_start_then_once_a_day_and_at_once_for_a_new_certificate()
    {
        var start = DateTimeOffset.UtcNow;
        var time = new ManualTime(start);
        var leaf = TestCertificates.CreateLeaf(_ca, "short-lived", notAfter: start.AddDays(10));
        using var provider = Create(leaf, TimeSpan.FromHours(1), time);
        var log = new CapturingLogger();
        provider.Start(log);
        Assert.Empty(Expiring(log));

        time.Advance(TimeSpan.FromDays(2));
        Assert.Empty(Expiring(log));
        time.Advance(TimeSpan.FromDays(1.5));
        Assert.Single(Expiring(log));
        Assert.Contains("CN=short-lived expires at", Expiring(log)[0]);
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Single(Expiring(log));
        time.Advance(TimeSpan.FromHours(20));
        Assert.Equal(2, Expiring(log).Count);

        // A new certificate that also expires soon is warned about on the reload that brings it in.
        var next = TestCertificates.CreateLeaf(_ca, "also-short", notAfter: time.Now.AddDays(5));
        TestCertificates.WritePair(_dir.Path, next);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(next.Thumbprint, provider.Certificate.Leaf.Thumbprint);
        Assert.Equal(3, Expiring(log).Count);
        Assert.Contains("CN=also-short expires at", Expiring(log)[2]);

        // Past NotAfter the server still serves it (nothing better to serve) and says it has expired, daily.
        time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(4, Expiring(log).Count);
        Assert.Contains("CN=also-short expired at", Expiring(log)[3]);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(4, Expiring(log).Count);
    }

    [Fact]
    public void Without_cert_ttl_expiry_is_checked_daily_and_nothing_is_reloaded()
    {
        var start = DateTimeOffset.UtcNow;
        var time = new ManualTime(start);
        var leaf = TestCertificates.CreateLeaf(_ca, "fixed", notAfter: start.AddDays(8.5));
        using var provider = Create(leaf, null, time);
        var log = new CapturingLogger();
        provider.Start(log);
        TestCertificates.WritePair(_dir.Path, TestCertificates.CreateLeaf(_ca, "ignored"));
        time.Advance(TimeSpan.FromDays(1));
        Assert.Empty(Expiring(log));
        time.Advance(TimeSpan.FromDays(1));
        Assert.Single(Expiring(log));
        Assert.Equal(leaf.Thumbprint, provider.Certificate.Leaf.Thumbprint);
    }

    [Fact]
    public void Certificate_expiring_within_a_week_is_warned_at_start()
    {
        var leaf = TestCertificates.CreateLeaf(_ca, "three-days", notAfter: DateTimeOffset.UtcNow.AddDays(3));
        using var provider = Create(leaf);
        var log = new CapturingLogger();
        provider.Start(log);
        Assert.Single(Expiring(log));
        Assert.Equal(LogLevel.Warning, log.Entries.Single(e => e.Message.Contains("expires at", StringComparison.Ordinal)).Level);
    }

    private static List<string> Expiring(CapturingLogger log) =>
        log.Entries.Where(e => e.Message.Contains(" expires at ", StringComparison.Ordinal) || e.Message.Contains(" expired at ", StringComparison.Ordinal))
            .Select(e => e.Message).ToList();

    [Fact]
    public void Metrics_give_the_served_expiry_and_the_last_successful_load()
    {
        var start = DateTimeOffset.UtcNow;
        var time = new ManualTime(start);
        var first = TestCertificates.CreateLeaf(_ca, "one", notAfter: start.AddDays(100));
        using var provider = Create(first, TimeSpan.FromHours(1), time);
        provider.Start(new CapturingLogger());
        Assert.Equal((Unix(first.NotAfter), start.ToUnixTimeSeconds()), Gauges(provider));

        // A failed reload moves neither gauge; a successful one moves both.
        time.Advance(TimeSpan.FromHours(1));
        File.WriteAllText(_dir.Combine("cert.pem"), "garbage");
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal((Unix(first.NotAfter), start.ToUnixTimeSeconds()), Gauges(provider));
        var second = TestCertificates.CreateLeaf(_ca, "two", notAfter: start.AddDays(200));
        TestCertificates.WritePair(_dir.Path, second);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal((Unix(second.NotAfter), time.Now.ToUnixTimeSeconds()), Gauges(provider));

        var none = new System.Text.StringBuilder();
        CertificateMetrics.Write(none, null);
        Assert.Equal(0, none.Length);
    }

    private static long Unix(DateTime notAfter) => new DateTimeOffset(notAfter.ToUniversalTime()).ToUnixTimeSeconds();

    private static (long Expiry, long Loaded) Gauges(CertificateProvider provider)
    {
        var text = new System.Text.StringBuilder();
        CertificateMetrics.Write(text, provider);
        var lines = text.ToString().Split('\n');
        Assert.Contains("# TYPE tls_certificate_expiry_timestamp_seconds gauge", lines);
        Assert.Contains("# TYPE tls_certificate_last_reload_timestamp_seconds gauge", lines);
        return (Value("tls_certificate_expiry_timestamp_seconds "), Value("tls_certificate_last_reload_timestamp_seconds "));
        long Value(string name) => long.Parse(lines.Single(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..], System.Globalization.CultureInfo.InvariantCulture);
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

    public static TheoryData<string, string> NotAuthorities => new()
    {
        { "leaf", "basicConstraints CA:false" },
        { "no basicConstraints", "no basicConstraints extension" },
        { "CA without keyCertSign", "keyUsage without keyCertSign" },
        { "CA and a leaf", "basicConstraints CA:false" },
    };

    private string NotAuthorityPem(string shape) => shape switch
    {
        "leaf" => TestCertificates.CertPem(TestCertificates.CreateLeaf(_ca, "client", server: false, client: true)),
        "no basicConstraints" => TestCertificates.CertPem(TestCertificates.CreateSelfSigned("bare")),
        "CA without keyCertSign" => TestCertificates.CertPem(TestCertificates.CreateSelfSigned("signs-nothing",
            new X509BasicConstraintsExtension(true, false, 0, true), new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true))),
        _ => TestCertificates.CertPem(_ca) + TestCertificates.CertPem(TestCertificates.CreateLeaf(_ca, "client", server: false, client: true)),
    };

    [Theory]
    [MemberData(nameof(NotAuthorities))]
    public void Ca_file_with_a_certificate_that_is_no_ca_is_refused_at_startup(string shape, string why)
    {
        var (cert, key) = TestCertificates.WritePair(_dir.Path, TestCertificates.CreateLeaf(_ca, "server"));
        var ca = _dir.Combine("ca.pem");
        File.WriteAllText(ca, NotAuthorityPem(shape));
        Assert.False(CertificateProvider.Create(cert, key, ca, null, TimeProvider.System).TryGet(out _, out var error), shape);
        Assert.StartsWith("tls.ca_cert: 'CN=", error.Message);
        Assert.Contains($"is not a CA certificate ({why})", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Ca_file_with_two_cas_is_accepted()
    {
        var (cert, key) = TestCertificates.WritePair(_dir.Path, TestCertificates.CreateLeaf(_ca, "server"));
        var ca = _dir.Combine("ca.pem");
        File.WriteAllText(ca, TestCertificates.CertPem(_ca) + TestCertificates.CertPem(TestCertificates.CreateCa("Second CA")));
        Assert.True(CertificateProvider.Create(cert, key, ca, null, TimeProvider.System).TryGet(out var provider, out var error), error.Message);
        using (provider)
        {
            Assert.Equal(2, provider.Authorities!.Count);
        }
    }

    [Fact]
    public void Ca_file_that_is_no_ca_at_reload_keeps_the_last_good_ca_and_each_distinct_failure_is_logged_once()
    {
        using var provider = Create(TestCertificates.CreateLeaf(_ca, "server"), mtls: true);
        var log = new CapturingLogger();
        provider.Start(log);
        var client = TestCertificates.CreateLeaf(_ca, "client", server: false, client: true);
        var caPath = _dir.Combine("ca.pem");
        bool Trusted() => provider.CreateOptions().RemoteCertificateValidationCallback!(this, client, null, System.Net.Security.SslPolicyErrors.None);
        const string Failed = "TLS client CA reload failed";

        File.WriteAllText(caPath, TestCertificates.CertPem(TestCertificates.CreateLeaf(_ca, "not-a-ca", server: false, client: true)));
        provider.Reload();
        provider.Reload();
        Assert.True(Trusted());
        Assert.Single(Failures(log, Failed));
        Assert.Contains("'CN=not-a-ca' is not a CA certificate (basicConstraints CA:false)", Failures(log, Failed)[0]);

        File.WriteAllText(caPath, NotAuthorityPem("CA and a leaf"));
        provider.Reload();
        provider.Reload();
        File.Delete(caPath);
        provider.Reload();
        provider.Reload();
        Assert.True(Trusted());
        Assert.Equal(3, Failures(log, Failed).Count);
        Assert.Contains("'CN=client'", Failures(log, Failed)[1]);
        Assert.Contains("cannot read", Failures(log, Failed)[2]);

        // Back to the good CA (nothing to reload, it is what is served), then the leaf again: logged again.
        File.WriteAllText(caPath, TestCertificates.CertPem(_ca));
        provider.Reload();
        File.WriteAllText(caPath, NotAuthorityPem("leaf"));
        provider.Reload();
        Assert.Equal(4, Failures(log, Failed).Count);
        Assert.True(Trusted());
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
