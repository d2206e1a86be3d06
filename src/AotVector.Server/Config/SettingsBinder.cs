namespace AotVector.Server.Config;

/// <summary>
/// Maps the merged tree onto <see cref="ServerSettings"/> by hand: one typed, range-checked read per key,
/// with the lower bounds Qdrant's own validation uses. Qdrant keys we do not use yet are accepted silently,
/// so an existing Qdrant config file produces no warnings; anything else is warned about.
/// </summary>
internal static class SettingsBinder
{
    private const int MaxPort = 65535;

    public static ServerSettings Bind(ConfigNode root, BindContext context)
    {
        var top = ConfigSection.Root(root, context);
        var defaults = new ServerSettings();

        var settings = new ServerSettings
        {
            LogLevel = top.String("log_level", defaults.LogLevel),
            Logger = BindLogger(top.Section("logger"), defaults.Logger),
            Storage = BindStorage(top.Section("storage"), defaults.Storage),
            Service = BindService(top.Section("service"), defaults.Service),
            Cluster = BindCluster(top.Section("cluster"), defaults.Cluster),
            Tls = BindTls(top.Section("tls"), defaults.Tls),
            Audit = BindAudit(top.Section("audit"), defaults.Audit),
            TelemetryDisabled = top.Bool("telemetry_disabled", defaults.TelemetryDisabled),
        };

        top.Accept("debugger", "inference", "gpu", "feature_flags");
        top.Finish();
        return settings;
    }

    private static LoggerSettings BindLogger(ConfigSection s, LoggerSettings d)
    {
        var result = new LoggerSettings { Format = s.Choice("format", d.Format, "text", "json") };
        s.Accept("log_level", "span_events", "color", "on_disk");
        s.Finish();
        return result;
    }

    private static StorageSettings BindStorage(ConfigSection s, StorageSettings d)
    {
        var result = new StorageSettings
        {
            StoragePath = s.String("storage_path", d.StoragePath),
            SnapshotsPath = s.String("snapshots_path", d.SnapshotsPath),
            TempPath = s.NullableString("temp_path", d.TempPath),
            OnDiskPayload = s.Bool("on_disk_payload", d.OnDiskPayload),
            MinFreeSpaceMb = s.NullableInt("min_free_space_mb", d.MinFreeSpaceMb, min: 0),
            Wal = BindWal(s.Section("wal"), d.Wal),
            Performance = BindPerformance(s.Section("performance"), d.Performance),
            Optimizers = BindOptimizers(s.Section("optimizers"), d.Optimizers),
            HnswIndex = BindHnsw(s.Section("hnsw_index"), d.HnswIndex),
            DefaultStrictMode = BindCollectionDefaults(s.Section("collection"), d.DefaultStrictMode),
        };

        s.Accept(
            "snapshots_config", "payload", "optimizers_overwrite", "hnsw_global_config", "mmap_advice", "low_memory_mode",
            "node_type", "update_queue_size", "handle_collection_load_errors", "recovery_mode", "update_concurrency",
            "shard_transfer_method", "max_collections", "quotas");
        s.Finish();
        return result;
    }

    // storage.collection: the defaults of new collections; of these only strict_mode is read so far.
    private static Engine.Api.StrictModeConfig? BindCollectionDefaults(ConfigSection s, Engine.Api.StrictModeConfig? d)
    {
        var strict = BindStrictMode(s.Section("strict_mode"), d);
        s.Accept("vectors", "quantization", "shard_number", "shard_number_per_node", "replication_factor", "write_consistency_factor");
        s.Finish();
        return strict;
    }

    private static Engine.Api.StrictModeConfig? BindStrictMode(ConfigSection s, Engine.Api.StrictModeConfig? d)
    {
        if (!s.IsPresent)
        {
            return d;
        }

        const ulong Any = ulong.MaxValue;
        var result = new Engine.Api.StrictModeConfig
        {
            Enabled = s.NullableBool("enabled"),
            MaxQueryLimit = s.NullableULong("max_query_limit", null, 1, Any),
            MaxTimeout = s.NullableULong("max_timeout", null, 1, Any),
            UnindexedFilteringRetrieve = s.NullableBool("unindexed_filtering_retrieve"),
            UnindexedFilteringUpdate = s.NullableBool("unindexed_filtering_update"),
            SearchMaxHnswEf = s.NullableULong("search_max_hnsw_ef", null, 0, Any),
            SearchAllowExact = s.NullableBool("search_allow_exact"),
            SearchMaxOversampling = s.NullableDouble("search_max_oversampling", 0, double.MaxValue),
            UpsertMaxBatchsize = s.NullableULong("upsert_max_batchsize", null, 0, Any),
            SearchMaxBatchsize = s.NullableULong("search_max_batchsize", null, 0, Any),
            MaxCollectionVectorSizeBytes = s.NullableULong("max_collection_vector_size_bytes", null, 0, Any),
            ReadRateLimit = s.NullableULong("read_rate_limit", null, 1, Any),
            WriteRateLimit = s.NullableULong("write_rate_limit", null, 1, Any),
            MaxCollectionPayloadSizeBytes = s.NullableULong("max_collection_payload_size_bytes", null, 0, Any),
            MaxPointsCount = s.NullableULong("max_points_count", null, 1, Any),
            FilterMaxConditions = s.NullableULong("filter_max_conditions", null, 0, Any),
            ConditionMaxSize = s.NullableULong("condition_max_size", null, 0, Any),
            MaxPayloadIndexCount = s.NullableULong("max_payload_index_count", null, 0, Any),
            MaxResidentMemoryPercent = (uint?)s.NullableULong("max_resident_memory_percent", null, 1, 100),
        };

        // Per-vector limits are set per collection; a server-wide default names no vectors.
        s.Accept("multivector_config", "sparse_config");
        s.Finish();
        return result;
    }

    private static WalSettings BindWal(ConfigSection s, WalSettings d)
    {
        var result = new WalSettings
        {
            WalCapacityMb = s.Int("wal_capacity_mb", d.WalCapacityMb, min: 1),
            WalSegmentsAhead = s.Int("wal_segments_ahead", d.WalSegmentsAhead, min: 0),
        };
        s.Accept("wal_retain_closed");
        s.Finish();
        return result;
    }

    private static PerformanceSettings BindPerformance(ConfigSection s, PerformanceSettings d)
    {
        var result = new PerformanceSettings
        {
            MaxSearchThreads = s.Int("max_search_threads", d.MaxSearchThreads, min: 0),
            MaxOptimizationThreads = s.Int("max_optimization_threads", d.MaxOptimizationThreads, min: 0),
            OptimizerCpuBudget = s.Int("optimizer_cpu_budget", d.OptimizerCpuBudget, min: int.MinValue),
            UpdateRateLimit = s.NullableInt("update_rate_limit", d.UpdateRateLimit, min: 1),
        };
        s.Accept(
            "optimizer_io_budget", "search_timeout_sec", "incoming_shard_transfers_limit", "outgoing_shard_transfers_limit",
            "async_scorer", "io_uring", "max_concurrent_collection_loads", "max_concurrent_shard_loads", "max_concurrent_segment_loads");
        s.Finish();
        return result;
    }

    private static OptimizersSettings BindOptimizers(ConfigSection s, OptimizersSettings d)
    {
        var result = new OptimizersSettings
        {
            DeletedThreshold = s.Double("deleted_threshold", d.DeletedThreshold, min: 0, max: 1),
            VacuumMinVectorNumber = s.Int("vacuum_min_vector_number", d.VacuumMinVectorNumber, min: 100),
            DefaultSegmentNumber = s.Int("default_segment_number", d.DefaultSegmentNumber, min: 0),
            MaxSegmentSizeKb = s.NullableInt("max_segment_size_kb", d.MaxSegmentSizeKb, min: 1),
            MemmapThresholdKb = s.NullableInt("memmap_threshold_kb", d.MemmapThresholdKb, min: 0),
            IndexingThresholdKb = s.NullableInt("indexing_threshold_kb", d.IndexingThresholdKb, min: 0),
            FlushIntervalSec = s.Int("flush_interval_sec", d.FlushIntervalSec, min: 0),
            MaxOptimizationThreads = s.NullableInt("max_optimization_threads", d.MaxOptimizationThreads, min: 0),
        };
        s.Accept("prevent_unoptimized");
        s.Finish();
        return result;
    }

    private static HnswIndexSettings BindHnsw(ConfigSection s, HnswIndexSettings d)
    {
        var result = new HnswIndexSettings
        {
            M = s.Int("m", d.M, min: 0),
            EfConstruct = s.Int("ef_construct", d.EfConstruct, min: 4),
            FullScanThresholdKb = s.Int("full_scan_threshold_kb", d.FullScanThresholdKb, min: 0),
            MaxIndexingThreads = s.Int("max_indexing_threads", d.MaxIndexingThreads, min: 0),
            OnDisk = s.OptionalBool("on_disk", d.OnDisk),
            PayloadM = s.NullableInt("payload_m", d.PayloadM, min: 0),
        };
        s.Accept("memory", "inline_storage");
        s.Finish();
        return result;
    }

    private static ServiceSettings BindService(ConfigSection s, ServiceSettings d)
    {
        var result = new ServiceSettings
        {
            Host = s.String("host", d.Host),
            HttpPort = s.Int("http_port", d.HttpPort, min: 1, max: MaxPort),
            GrpcPort = s.NullableInt("grpc_port", d.GrpcPort, min: 1, max: MaxPort),
            MaxRequestSizeMb = s.Int("max_request_size_mb", d.MaxRequestSizeMb, min: 1),
            MaxWorkers = s.NullableInt("max_workers", d.MaxWorkers, min: 0),
            EnableCors = s.Bool("enable_cors", d.EnableCors),
            EnableTls = s.Bool("enable_tls", d.EnableTls),
            VerifyHttpsClientCertificate = s.Bool("verify_https_client_certificate", d.VerifyHttpsClientCertificate),
            ApiKey = s.NullableString("api_key", d.ApiKey, warnWhenEmpty: true),
            AltApiKey = s.NullableString("alt_api_key", d.AltApiKey, warnWhenEmpty: true),
            ReadOnlyApiKey = s.NullableString("read_only_api_key", d.ReadOnlyApiKey, warnWhenEmpty: true),
            JwtRbac = s.OptionalBool("jwt_rbac", d.JwtRbac),
            HardwareReporting = s.OptionalBool("hardware_reporting", d.HardwareReporting),
            AuthFailureLimit = s.NullableInt("auth_failure_limit", d.AuthFailureLimit, min: 0),
            AuthFailureWindowSec = s.Int("auth_failure_window_sec", d.AuthFailureWindowSec, min: 1),
            SlowQuerySecs = s.Double("slow_query_secs", d.SlowQuerySecs, min: 0, max: 1e9),
            MetricsPrefix = s.NullableString("metrics_prefix", d.MetricsPrefix),
            EnableSnapshotUrlRecovery = s.OptionalBool("enable_snapshot_url_recovery", d.EnableSnapshotUrlRecovery),
            SnapshotUrlRecoveryAllowLocal = s.Bool("snapshot_url_recovery_allow_local", d.SnapshotUrlRecoveryAllowLocal),
            MaxSnapshotSizeMb = s.NullableInt("max_snapshot_size_mb", d.MaxSnapshotSizeMb, min: 1),
        };
        s.Accept(
            "metrics_port", "http_keep_alive_timeout_sec", "http_client_request_timeout_sec", "http_client_disconnect_timeout_sec",
            "enforce_internal_auth", "hide_jwt_dashboard", "static_content_dir", "enable_static_content");
        s.Finish();
        return result;
    }

    private static ClusterSettings BindCluster(ConfigSection s, ClusterSettings d)
    {
        var result = new ClusterSettings
        {
            Enabled = s.Bool("enabled", d.Enabled),
            PeerId = s.NullableULong("peer_id", d.PeerId, min: 1, max: Engine.Snapshots.PeerIdentity.MaxConfigured),
            GrpcTimeoutMs = s.Int("grpc_timeout_ms", d.GrpcTimeoutMs, min: 1),
            ConnectionTimeoutMs = s.Int("connection_timeout_ms", d.ConnectionTimeoutMs, min: 1),
            P2p = BindP2p(s.Section("p2p"), d.P2p),
            Consensus = BindConsensus(s.Section("consensus"), d.Consensus),
        };
        s.Accept("resharding_enabled");
        s.Finish();
        return result;
    }

    private static P2pSettings BindP2p(ConfigSection s, P2pSettings d)
    {
        var result = new P2pSettings
        {
            Port = s.NullableInt("port", d.Port, min: 1, max: MaxPort),
            EnableTls = s.Bool("enable_tls", d.EnableTls),
        };
        s.Accept("connection_pool_size");
        s.Finish();
        return result;
    }

    private static ConsensusSettings BindConsensus(ConfigSection s, ConsensusSettings d)
    {
        var result = new ConsensusSettings
        {
            TickPeriodMs = s.Int("tick_period_ms", d.TickPeriodMs, min: 1),
            CompactWalEntries = s.Int("compact_wal_entries", d.CompactWalEntries, min: 0),
            BootstrapTimeoutSec = s.Int("bootstrap_timeout_sec", d.BootstrapTimeoutSec, min: 1),
        };
        s.Accept("max_message_queue_size", "message_timeout_ticks");
        s.Finish();
        return result;
    }

    private static TlsSettings BindTls(ConfigSection s, TlsSettings d)
    {
        var result = new TlsSettings
        {
            Cert = s.NullableString("cert", d.Cert),
            Key = s.NullableString("key", d.Key),
            CaCert = s.NullableString("ca_cert", d.CaCert),
            CertTtlSec = s.NullableInt("cert_ttl", d.CertTtlSec, min: 1),
        };
        s.Finish();
        return result;
    }

    private static AuditSettings BindAudit(ConfigSection s, AuditSettings d)
    {
        var result = new AuditSettings
        {
            Enabled = s.Bool("enabled", d.Enabled),
            Dir = s.String("dir", d.Dir),
            Rotation = s.Choice("rotation", d.Rotation == AuditRotation.Hourly ? "hourly" : "daily", "daily", "hourly") == "hourly"
                ? AuditRotation.Hourly
                : AuditRotation.Daily,
            MaxLogFiles = s.Int("max_log_files", d.MaxLogFiles, min: 0),
            TrustForwardedHeaders = s.Bool("trust_forwarded_headers", d.TrustForwardedHeaders),
        };
        s.Accept("log_api");
        s.Finish();
        return result;
    }
}
