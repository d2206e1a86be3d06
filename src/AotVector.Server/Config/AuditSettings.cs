namespace AotVector.Server.Config;

/// <summary>The <c>audit</c> section, with the reference server's keys and defaults. Off unless <c>enabled</c>.</summary>
internal sealed record AuditSettings
{
    /// <summary><c>audit.enabled</c>: write the audit log.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>audit.dir</c>: directory of the <c>audit.*.log</c> files, relative to the working directory.</summary>
    public string Dir { get; init; } = "./storage/audit";

    /// <summary><c>audit.rotation</c>: a new file every day or every hour (UTC).</summary>
    public AuditRotation Rotation { get; init; } = AuditRotation.Daily;

    /// <summary><c>audit.max_log_files</c>: files kept, the current one included; older ones are deleted. 0 counts as 1.</summary>
    public int MaxLogFiles { get; init; } = 7;

    /// <summary><c>audit.trust_forwarded_headers</c>: record the client from <c>Forwarded</c> / <c>X-Forwarded-For</c>.</summary>
    public bool TrustForwardedHeaders { get; init; }
}
