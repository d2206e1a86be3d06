using System.Text;

namespace AotVector.Server.Config;

/// <summary>The <c>service</c> section: listeners, limits and credentials.</summary>
internal sealed record ServiceSettings
{
    /// <summary><c>host</c>: address to bind, never empty.</summary>
    public string Host { get; init; } = "0.0.0.0";

    /// <summary><c>http_port</c>, 1..65535.</summary>
    public int HttpPort { get; init; } = 6333;

    /// <summary><c>grpc_port</c>, 1..65535; null turns gRPC off.</summary>
    public int? GrpcPort { get; init; } = 6334;

    /// <summary><c>max_request_size_mb</c>, at least 1.</summary>
    public int MaxRequestSizeMb { get; init; } = 32;

    /// <summary><c>max_workers</c>; 0 means one per core, null follows max_search_threads.</summary>
    public int? MaxWorkers { get; init; } = 0;

    /// <summary><c>enable_cors</c>.</summary>
    public bool EnableCors { get; init; } = true;

    /// <summary><c>enable_tls</c>: REST and gRPC over TLS with the <c>tls</c> section's files.</summary>
    public bool EnableTls { get; init; }

    /// <summary><c>verify_https_client_certificate</c>: require client certificates chaining to <c>tls.ca_cert</c>.</summary>
    public bool VerifyHttpsClientCertificate { get; init; }

    /// <summary><c>api_key</c>: full access. Null when unset or empty.</summary>
    public string? ApiKey { get; init; }

    /// <summary><c>alt_api_key</c>: a second full-access key for rotation. Null when unset or empty.</summary>
    public string? AltApiKey { get; init; }

    /// <summary><c>read_only_api_key</c>: reads only. Null when unset or empty.</summary>
    public string? ReadOnlyApiKey { get; init; }

    /// <summary><c>jwt_rbac</c>: accept HS256 tokens signed with api_key or alt_api_key.</summary>
    public bool JwtRbac { get; init; }

    /// <summary><c>enable_snapshot_url_recovery</c>: whether snapshots may be recovered from <c>http(s)</c> locations.</summary>
    public bool EnableSnapshotUrlRecovery { get; init; } = true;

    /// <summary>
    /// <c>snapshot_url_recovery_allow_local</c> (ours): lets URL recovery fetch from loopback, link-local and
    /// unspecified addresses, which it refuses by default (a server-side request to them reaches what the network
    /// boundary was meant to protect, such as cloud metadata endpoints).
    /// </summary>
    public bool SnapshotUrlRecoveryAllowLocal { get; init; }

    /// <summary>
    /// <c>max_snapshot_size_mb</c> (ours): the largest snapshot an upload or a URL recovery may bring in. Null (the
    /// default) sets no limit beyond the disk, as the reference sets none on uploads.
    /// </summary>
    public int? MaxSnapshotSizeMb { get; init; }

    /// <summary><c>slow_query_secs</c>: a query slower than this is checked for filters on unindexed fields.</summary>
    public double SlowQuerySecs { get; init; } = 1.2;

    /// <summary><c>metrics_prefix</c>: put before every metric name on /metrics (null: none).</summary>
    public string? MetricsPrefix { get; init; }

    /// <summary><c>hardware_reporting</c>.</summary>
    public bool HardwareReporting { get; init; }

    /// <summary>
    /// <c>auth_failure_limit</c>: failed authentications one client address may make within
    /// <see cref="AuthFailureWindowSec"/> before it is answered 429 for a window. 0 or null turns the throttle off.
    /// </summary>
    public int? AuthFailureLimit { get; init; } = 50;

    /// <summary><c>auth_failure_window_sec</c>: the counting window, and how long a throttled address waits (at least 1).</summary>
    public int AuthFailureWindowSec { get; init; } = 60;

    /// <summary>True when failed authentications are counted per address and too many answer 429.</summary>
    public bool AuthThrottleEnabled => AuthFailureLimit is > 0;

    /// <summary>True when any of the three keys is configured, i.e. requests need credentials.</summary>
    public bool AuthEnabled => ApiKey is not null || AltApiKey is not null || ReadOnlyApiKey is not null;

    // Records print every property; keys must never reach a log line, so say only whether they are set.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Host = ").Append(Host)
            .Append(", HttpPort = ").Append(HttpPort)
            .Append(", GrpcPort = ").Append(GrpcPort?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null")
            .Append(", MaxRequestSizeMb = ").Append(MaxRequestSizeMb)
            .Append(", MaxWorkers = ").Append(MaxWorkers?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null")
            .Append(", EnableCors = ").Append(EnableCors)
            .Append(", EnableTls = ").Append(EnableTls)
            .Append(", VerifyHttpsClientCertificate = ").Append(VerifyHttpsClientCertificate)
            .Append(", ApiKey = ").Append(Redacted(ApiKey))
            .Append(", AltApiKey = ").Append(Redacted(AltApiKey))
            .Append(", ReadOnlyApiKey = ").Append(Redacted(ReadOnlyApiKey))
            .Append(", JwtRbac = ").Append(JwtRbac)
            .Append(", HardwareReporting = ").Append(HardwareReporting)
            .Append(", AuthFailureLimit = ").Append(AuthFailureLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null")
            .Append(", AuthFailureWindowSec = ").Append(AuthFailureWindowSec)
            .Append(", EnableSnapshotUrlRecovery = ").Append(EnableSnapshotUrlRecovery)
            .Append(", SnapshotUrlRecoveryAllowLocal = ").Append(SnapshotUrlRecoveryAllowLocal)
            .Append(", MaxSnapshotSizeMb = ").Append(MaxSnapshotSizeMb?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null");
        return true;
    }

    private static string Redacted(string? key) => key is null ? "unset" : "***";
}
