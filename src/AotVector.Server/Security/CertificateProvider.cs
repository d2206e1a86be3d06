using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AotVector.Common.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Server.Security;

/// <summary>
/// The one source of TLS settings for both listeners. Every <c>cert_ttl</c> seconds a timer re-reads
/// <c>tls.cert</c>/<c>tls.key</c> (and <c>tls.ca_cert</c> under mTLS); a pair that passes every check is
/// swapped in atomically and only NEW handshakes see it, so open connections keep theirs. A broken or
/// half-written file keeps the last good material and is logged once per failure streak, not per tick.
/// </summary>
internal sealed class CertificateProvider : IDisposable
{
    private readonly string _certPath;
    private readonly string _keyPath;
    private readonly string? _caPath;
    private readonly TimeSpan? _ttl;
    private readonly TimeProvider _time;
    private readonly Lock _reloadLock = new();
    private volatile ServerCertificate _certificate;
    private volatile X509Certificate2Collection? _authorities;
    private byte[]? _caDigest;
    private bool _certFailing;
    private bool _caFailing;
    private ILogger _logger = NullLogger.Instance;
    private ITimer? _timer;

    private CertificateProvider(string certPath, string keyPath, string? caPath, TimeSpan? ttl, TimeProvider time, ServerCertificate certificate)
    {
        _certPath = certPath;
        _keyPath = keyPath;
        _caPath = caPath;
        _ttl = ttl;
        _time = time;
        _certificate = certificate;
    }

    /// <summary>The certificate new handshakes get.</summary>
    public ServerCertificate Certificate => _certificate;

    /// <summary>The CAs client certificates must chain to; null without mTLS.</summary>
    public X509Certificate2Collection? Authorities => _authorities;

    public bool RequiresClientCertificate => _caPath is not null;

    /// <summary>
    /// Loads the first certificate (and CA when <paramref name="caPath"/> is set, i.e. mTLS is on). Failing
    /// here stops startup: there is no last good certificate to fall back on yet.
    /// </summary>
    public static Result<CertificateProvider> Create(string certPath, string keyPath, string? caPath, TimeSpan? ttl, TimeProvider time)
    {
        var loaded = CertificateLoader.LoadServer(certPath, keyPath, time.GetUtcNow());
        if (!loaded.TryGet(out var certificate, out var error))
        {
            return error;
        }

        var provider = new CertificateProvider(certPath, keyPath, caPath, ttl, time, certificate);
        if (caPath is not null && provider.ReloadAuthorities() == ReloadOutcome.Failed)
        {
            return Invalid($"tls.ca_cert: '{caPath}' holds no usable CA certificate");
        }

        return provider;
    }

    /// <summary>A settings problem, worded for the one-line startup error (no "Wrong input" prefix).</summary>
    private static AvError Invalid(string message) => new(ErrorKind.BadRequest, message);

    /// <summary>Starts the reload timer (when cert_ttl is set) and logs from now on.</summary>
    public void Start(ILogger logger)
    {
        _logger = logger;
        var leaf = _certificate.Leaf;
        SecurityLog.TlsEnabled(logger, leaf.Subject, leaf.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), leaf.NotAfter.ToUniversalTime(),
            _ttl is { } t ? t.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) : "never (cert_ttl unset)");
        if (RequiresClientCertificate)
        {
            SecurityLog.MutualTlsEnabled(logger);
        }

        if (_ttl is { } ttl)
        {
            _timer = _time.CreateTimer(static state => ((CertificateProvider)state!).Reload(), this, ttl, ttl);
        }
    }

    /// <summary>One reload pass (the timer's tick); returns what happened to the server certificate.</summary>
    public ReloadOutcome Reload()
    {
        lock (_reloadLock)
        {
            if (_caPath is not null)
            {
                ReloadAuthorities();
            }

            return ReloadCertificate();
        }
    }

    /// <summary>
    /// Fresh options per connection around the current snapshot: Kestrel writes the ALPN list into the
    /// object it gets, so one shared instance would be mutated by every handshake.
    /// </summary>
    public SslServerAuthenticationOptions CreateOptions()
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _certificate.Context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (_authorities is { } authorities)
        {
            // Captured per handshake, so a CA swapped in mid-handshake cannot mix with the old one.
            options.ClientCertificateRequired = true;
            options.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                ClientCertificateValidator.IsTrusted(certificate, chain, authorities);
        }

        return options;
    }

    private ReloadOutcome ReloadCertificate()
    {
        byte[] cert;
        byte[] key;
        try
        {
            cert = File.ReadAllBytes(_certPath);
            key = File.ReadAllBytes(_keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CertificateFailed($"cannot read the certificate or key: {e.Message}");
        }

        if (CertificateLoader.Digest(cert, key).AsSpan().SequenceEqual(_certificate.SourceDigest))
        {
            _certFailing = false;
            return ReloadOutcome.Unchanged;
        }

        var loaded = CertificateLoader.LoadServer(cert, key, _time.GetUtcNow());
        if (!loaded.TryGet(out var certificate, out var error))
        {
            return CertificateFailed(error.Message);
        }

        // Not disposed: connections mid-handshake may still hold the old context.
        _certificate = certificate;
        _certFailing = false;
        var leaf = certificate.Leaf;
        SecurityLog.CertificateReloaded(_logger, leaf.Subject, leaf.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), leaf.NotAfter.ToUniversalTime());
        return ReloadOutcome.Reloaded;
    }

    private ReloadOutcome CertificateFailed(string reason)
    {
        if (!_certFailing)
        {
            _certFailing = true;
            SecurityLog.CertificateReloadFailed(_logger, reason);
        }

        return ReloadOutcome.Failed;
    }

    private ReloadOutcome ReloadAuthorities()
    {
        byte[] pem;
        try
        {
            pem = File.ReadAllBytes(_caPath!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return AuthoritiesFailed($"cannot read tls.ca_cert: {e.Message}");
        }

        var digest = CertificateLoader.Digest(pem);
        if (_caDigest is not null && digest.AsSpan().SequenceEqual(_caDigest))
        {
            _caFailing = false;
            return ReloadOutcome.Unchanged;
        }

        var loaded = CertificateLoader.LoadAuthorities(pem);
        if (!loaded.TryGet(out var authorities, out var error))
        {
            return AuthoritiesFailed(error.Message);
        }

        var first = _authorities is null;
        _authorities = authorities;
        _caDigest = digest;
        _caFailing = false;
        if (!first)
        {
            SecurityLog.AuthoritiesReloaded(_logger, authorities.Count);
        }

        return ReloadOutcome.Reloaded;
    }

    private ReloadOutcome AuthoritiesFailed(string reason)
    {
        if (!_caFailing)
        {
            _caFailing = true;
            SecurityLog.AuthoritiesReloadFailed(_logger, reason);
        }

        return ReloadOutcome.Failed;
    }

    public void Dispose() => _timer?.Dispose();
}
