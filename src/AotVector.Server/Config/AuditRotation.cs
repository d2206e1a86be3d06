namespace AotVector.Server.Config;

/// <summary><c>audit.rotation</c>: how often the audit log starts a new file.</summary>
internal enum AuditRotation : byte
{
    /// <summary><c>daily</c>: <c>audit.YYYY-MM-DD.log</c>.</summary>
    Daily,

    /// <summary><c>hourly</c>: <c>audit.YYYY-MM-DD-HH.log</c>.</summary>
    Hourly,
}
