namespace AotVector.Server.Config;

/// <summary>
/// The whole server configuration, shaped like Qdrant's <c>config.yaml</c>. Every default here equals
/// the value in our <c>config/config.yaml</c>, so an absent key and the shipped file mean the same thing.
/// </summary>
internal sealed record ServerSettings
{
    /// <summary><c>log_level</c>: minimum log level (TRACE, DEBUG, INFO, WARN, ERROR), as written.</summary>
    public string LogLevel { get; init; } = "INFO";

    public LoggerSettings Logger { get; init; } = new();

    public StorageSettings Storage { get; init; } = new();

    public ServiceSettings Service { get; init; } = new();

    public ClusterSettings Cluster { get; init; } = new();

    public TlsSettings Tls { get; init; } = new();

    public AuditSettings Audit { get; init; } = new();

    /// <summary><c>telemetry_disabled</c> (also set by the <c>--disable-telemetry</c> argument).</summary>
    public bool TelemetryDisabled { get; init; }
}
