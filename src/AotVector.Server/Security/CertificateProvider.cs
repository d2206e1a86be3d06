using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AotVector.Common.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Server.Security;

/// <summary>
/// The one source of TLS settings for both listeners. Every <c>cert_ttl</c> seconds a timer re-reads
/// <c>tls.cert</c>/<c>tls.key</c> (and <c>tls.ca_cert</c> under mTLS); a pair that passes every check is
/// swapped in atomically and only NEW handshakes see it, so open connections keep theirs. A broken or
/// half-written file keeps the last good material; each distinct failure is logged once (the same failure
/// on the next tick stays quiet, a different one is logged, a success starts over). The same timer, or a
/// daily one without <c>cert_ttl</c>, warns while the served certificate is within a week of expiring.
/// </summary>
internal sealed class CertificateProvider : IDisposable
{
    /// <summary>How long before <c>NotAfter</c> the served certificate is warned about.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(7);

    /// <summary>How often the warning about one certificate repeats, and how often expiry is checked without cert_ttl.</summary>
    public static readonly TimeSpan ExpiryReminder = TimeSpan.FromDays(1);

    private readonly string _certPath;
    private readonly string _keyPath;
    private readonly string? _caPath;
    private readonly TimeSpan? _ttl;
    private readonly TimeProvider _time;
    private readonly Lock _reloadLock = new();
    private volatile ServerCertificate _certificate;
    private volatile X509Certificate2Collection? _authorities;
    private byte[]? _caDigest;
    private string? _certFailure;
    private string? _caFailure;
    private ServerCertificate? _expiryWarned;
    private DateTimeOffset _expiryWarnedAt;
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

    /// <summary>The certificate new handshakes get, with when it was loaded.</summary>
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
        if (caPath is not null && provider.ReadAuthorities(out var failure) == ReloadOutcome.Failed)
        {
            return new AvError(ErrorKind.BadRequest, failure);
        }

        return provider;
    }

    /// <summary>Starts the reload timer (every cert_ttl, else a daily expiry check) and logs from now on.</summary>
    public void Start(ILogger logger)
    {
        _logger = logger;
        var leaf = _certificate.Leaf;
        SecurityLog.TlsEnabled(logger, leaf.Subject, leaf.GetCertHashString(HashAlgorithmName.SHA256), leaf.NotAfter.ToUniversalTime(),
            _ttl is { } t ? t.TotalSeconds.ToString(CultureInfo.InvariantCulture) : "never (cert_ttl unset)");
        if (RequiresClientCertificate)
        {
            SecurityLog.MutualTlsEnabled(logger);
        }

        lock (_reloadLock)
        {
            WarnIfExpiring();
        }

        var period = _ttl ?? ExpiryReminder;
        _timer = _time.CreateTimer(static state => ((CertificateProvider)state!).Tick(), this, period, period);
    }

    /// <summary>One reload pass; returns what happened to the server certificate.</summary>
    public ReloadOutcome Reload()
    {
        lock (_reloadLock)
        {
            if (_caPath is not null)
            {
                ReloadAuthorities();
            }

            var outcome = ReloadCertificate();
            WarnIfExpiring();
            return outcome;
        }
    }

    private void Tick()
    {
        if (_ttl is not null)
        {
            Reload();
            return;
        }

        lock (_reloadLock)
        {
            WarnIfExpiring();
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
            _certFailure = null;
            return ReloadOutcome.Unchanged;
        }

        var loaded = CertificateLoader.LoadServer(cert, key, _time.GetUtcNow());
        if (!loaded.TryGet(out var certificate, out var error))
        {
            return CertificateFailed(error.Message);
        }

        // Not disposed: connections mid-handshake may still hold the old context.
        _certificate = certificate;
        _certFailure = null;
        var leaf = certificate.Leaf;
        SecurityLog.CertificateReloaded(_logger, leaf.Subject, leaf.GetCertHashString(HashAlgorithmName.SHA256), leaf.NotAfter.ToUniversalTime());
        return ReloadOutcome.Reloaded;
    }

    private ReloadOutcome CertificateFailed(string reason)
    {
        if (IsNewFailure(ref _certFailure, reason))
        {
            SecurityLog.CertificateReloadFailed(_logger, reason);
        }

        return ReloadOutcome.Failed;
    }

    private void ReloadAuthorities()
    {
        switch (ReadAuthorities(out var failure))
        {
            case ReloadOutcome.Failed:
                if (IsNewFailure(ref _caFailure, failure))
                {
                    SecurityLog.AuthoritiesReloadFailed(_logger, failure);
                }

                break;
            case ReloadOutcome.Reloaded:
                _caFailure = null;
                SecurityLog.AuthoritiesReloaded(_logger, _authorities!.Count);
                break;
            default:
                _caFailure = null;
                break;
        }
    }

    /// <summary>Reads tls.ca_cert and swaps it in when it changed and passes; otherwise the last good list stays and <paramref name="failure"/> says why.</summary>
    private ReloadOutcome ReadAuthorities(out string failure)
    {
        failure = "";
        byte[] pem;
        try
        {
            pem = File.ReadAllBytes(_caPath!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = $"tls.ca_cert: cannot read the file ({e.Message})";
            return ReloadOutcome.Failed;
        }

        var digest = CertificateLoader.Digest(pem);
        if (_caDigest is not null && digest.AsSpan().SequenceEqual(_caDigest))
        {
            return ReloadOutcome.Unchanged;
        }

        if (!CertificateLoader.LoadAuthorities(pem).TryGet(out var authorities, out var error))
        {
            failure = error.Message;
            return ReloadOutcome.Failed;
        }

        _authorities = authorities;
        _caDigest = digest;
        return ReloadOutcome.Reloaded;
    }

    /// <summary>
    /// True when <paramref name="reason"/> differs from the failure last logged for the same files (then it
    /// becomes the one to compare with): a broken file re-read every tick is logged once, not once per tick,
    /// while a different breakage (the key fixed but the pair now expired, say) is news and is logged.
    /// </summary>
    private static bool IsNewFailure(ref string? last, string reason)
    {
        if (string.Equals(last, reason, StringComparison.Ordinal))
        {
            return false;
        }

        last = reason;
        return true;
    }

    /// <summary>
    /// Warns while the served certificate is within <see cref="ExpiryWarning"/> of <c>NotAfter</c> (or past it):
    /// once for each certificate served, then again once a day for as long as it stays, so a server that runs
    /// for weeks on one file still says so, without a line every tick.
    /// </summary>
    private void WarnIfExpiring()
    {
        var certificate = _certificate;
        var now = _time.GetUtcNow();
        var left = certificate.NotAfter - now;
        if (left > ExpiryWarning
            || (ReferenceEquals(certificate, _expiryWarned) && now - _expiryWarnedAt < ExpiryReminder))
        {
            return;
        }

        _expiryWarned = certificate;
        _expiryWarnedAt = now;
        var leaf = certificate.Leaf;
        if (left <= TimeSpan.Zero)
        {
            SecurityLog.CertificateExpired(_logger, leaf.Subject, certificate.NotAfter.UtcDateTime);
        }
        else
        {
            SecurityLog.CertificateExpiresSoon(_logger, leaf.Subject, certificate.NotAfter.UtcDateTime, left.TotalDays);
        }
    }

    public void Dispose() => _timer?.Dispose();
}
