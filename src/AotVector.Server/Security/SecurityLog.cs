namespace AotVector.Server.Security;

/// <summary>Source-generated security log events with stable ids (400-449).</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(400, LogLevel.Information, "TLS enabled on REST and gRPC: certificate {Subject} (SHA-256 {Thumbprint}), valid until {NotAfter:u}; reloaded every {Ttl} s")]
    public static partial void TlsEnabled(ILogger logger, string subject, string thumbprint, DateTime notAfter, string ttl);

    [LoggerMessage(401, LogLevel.Information, "TLS certificate reloaded: {Subject} (SHA-256 {Thumbprint}), valid until {NotAfter:u}; new connections use it")]
    public static partial void CertificateReloaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(402, LogLevel.Warning, "TLS certificate reload failed, keeping the current certificate until the files are fixed: {Reason}")]
    public static partial void CertificateReloadFailed(ILogger logger, string reason);

    [LoggerMessage(403, LogLevel.Information, "TLS client CA reloaded from tls.ca_cert: {Count} certificate(s)")]
    public static partial void AuthoritiesReloaded(ILogger logger, int count);

    [LoggerMessage(404, LogLevel.Warning, "TLS client CA reload failed, keeping the current CA until the file is fixed: {Reason}")]
    public static partial void AuthoritiesReloadFailed(ILogger logger, string reason);

    [LoggerMessage(405, LogLevel.Information, "Client certificates required on REST and gRPC (mTLS), chaining to tls.ca_cert")]
    public static partial void MutualTlsEnabled(ILogger logger);

    [LoggerMessage(407, LogLevel.Information, "REST listening on https://{Host}:{Port}")]
    public static partial void RestListeningTls(ILogger logger, string host, int port);

    [LoggerMessage(408, LogLevel.Information, "gRPC listening on https://{Host}:{Port} (TLS, ALPN h2)")]
    public static partial void GrpcListeningTls(ILogger logger, string host, int port);

    [LoggerMessage(420, LogLevel.Warning, "TLS certificate {Subject} expires at {NotAfter:u}, in {Days:F1} days: renew tls.cert and tls.key")]
    public static partial void CertificateExpiresSoon(ILogger logger, string subject, DateTime notAfter, double days);

    [LoggerMessage(421, LogLevel.Warning, "TLS certificate {Subject} expired at {NotAfter:u}: clients refuse it until tls.cert and tls.key are renewed")]
    public static partial void CertificateExpired(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(406, LogLevel.Information, "Authentication enabled: {Mechanisms}")]
    public static partial void AuthEnabled(ILogger logger, string mechanisms);

    [LoggerMessage(440, LogLevel.Information, "Audit log enabled: {Path} ({Rotation} files, keeping {MaxFiles})")]
    public static partial void AuditEnabled(ILogger logger, string path, string rotation, int maxFiles);

    [LoggerMessage(441, LogLevel.Warning, "Audit log queue full ({Capacity} lines): new lines are dropped until the writer catches up; audit_lines_dropped_total in /metrics counts them")]
    public static partial void AuditQueueFull(ILogger logger, int capacity);

    [LoggerMessage(442, LogLevel.Warning, "Audit log write to {Path} failed, lines are dropped until a write succeeds: {Reason}")]
    public static partial void AuditWriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(443, LogLevel.Information, "Failed-authentication throttle: a client address with {Limit} failures within a {WindowSec} s window is refused (429) for one window")]
    public static partial void AuthThrottleEnabled(ILogger logger, int limit, int windowSec);
}
