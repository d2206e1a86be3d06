using System.Text;

namespace AotVector.Server.Security;

/// <summary>
/// The TLS gauges of <c>/metrics</c> (only when TLS is on), in unix seconds so an alert can compare them
/// with <c>time()</c>: when the served certificate expires, and when it was last loaded successfully
/// (at startup or by a reload), which tells a rotation that never reached the server from one that did.
/// </summary>
internal static class CertificateMetrics
{
    public static void Write(StringBuilder sb, CertificateProvider? tls)
    {
        if (tls is null)
        {
            return;
        }

        var served = tls.Certificate;
        sb.Append("# HELP tls_certificate_expiry_timestamp_seconds when the served TLS certificate expires (NotAfter)\n# TYPE tls_certificate_expiry_timestamp_seconds gauge\n");
        sb.Append("tls_certificate_expiry_timestamp_seconds ").Append(served.NotAfter.ToUnixTimeSeconds()).Append('\n');
        sb.Append("# HELP tls_certificate_last_reload_timestamp_seconds when the served TLS certificate was loaded (startup or the last successful reload)\n# TYPE tls_certificate_last_reload_timestamp_seconds gauge\n");
        sb.Append("tls_certificate_last_reload_timestamp_seconds ").Append(served.LoadedAt.ToUnixTimeSeconds()).Append('\n');
    }
}
