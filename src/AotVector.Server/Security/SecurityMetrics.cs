using System.Text;

namespace AotVector.Server.Security;

/// <summary>Process-wide security counters, written into /metrics (Prometheus text) by <see cref="Append"/>.</summary>
internal static class SecurityMetrics
{
    private static long s_authFailures;
    private static long s_throttled;
    private static long s_auditDropped;

    public static long AuthFailures => Interlocked.Read(ref s_authFailures);

    public static long Throttled => Interlocked.Read(ref s_throttled);

    public static long AuditDropped => Interlocked.Read(ref s_auditDropped);

    public static void AuthFailed() => Interlocked.Increment(ref s_authFailures);

    public static void RequestThrottled() => Interlocked.Increment(ref s_throttled);

    public static void AuditLineDropped() => Interlocked.Increment(ref s_auditDropped);

    public static void Append(StringBuilder sb)
    {
        sb.Append("# HELP auth_failures_total requests refused because authentication failed (no, unknown or rejected credential)\n# TYPE auth_failures_total counter\n");
        sb.Append("auth_failures_total ").Append(AuthFailures).Append('\n');
        sb.Append("# HELP auth_throttled_total requests refused with 429 because their address failed authentication too often\n# TYPE auth_throttled_total counter\n");
        sb.Append("auth_throttled_total ").Append(Throttled).Append('\n');
        sb.Append("# HELP audit_lines_dropped_total audit log lines lost because the writer fell behind or could not write\n# TYPE audit_lines_dropped_total counter\n");
        sb.Append("audit_lines_dropped_total ").Append(AuditDropped).Append('\n');
    }
}
