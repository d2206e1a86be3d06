using System.Runtime.CompilerServices;
using AotVector.Server.Config;

namespace AotVector.Server.Tests.Config;

public sealed class SettingsLoaderTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Load_NoFilesNoEnvironment_ReturnsQdrantDefaults()
    {
        var loaded = _fixture.LoadOk();
        var s = loaded.Settings;

        Assert.Equal("INFO", s.LogLevel);
        Assert.Equal("./storage", s.Storage.StoragePath);
        Assert.Equal("./snapshots", s.Storage.SnapshotsPath);
        Assert.Null(s.Storage.TempPath);
        Assert.True(s.Storage.OnDiskPayload);
        Assert.Equal(32, s.Storage.Wal.WalCapacityMb);
        Assert.Equal(0, s.Storage.Wal.WalSegmentsAhead);
        Assert.Equal(0, s.Storage.Performance.MaxSearchThreads);
        Assert.Equal(0, s.Storage.Performance.MaxOptimizationThreads);
        Assert.Equal(0, s.Storage.Performance.OptimizerCpuBudget);
        Assert.Null(s.Storage.Performance.UpdateRateLimit);
        Assert.Equal(0.2, s.Storage.Optimizers.DeletedThreshold);
        Assert.Equal(1000, s.Storage.Optimizers.VacuumMinVectorNumber);
        Assert.Equal(0, s.Storage.Optimizers.DefaultSegmentNumber);
        Assert.Null(s.Storage.Optimizers.MaxSegmentSizeKb);
        Assert.Null(s.Storage.Optimizers.MemmapThresholdKb);
        Assert.Equal(10000, s.Storage.Optimizers.IndexingThresholdKb);
        Assert.Equal(5, s.Storage.Optimizers.FlushIntervalSec);
        Assert.Null(s.Storage.Optimizers.MaxOptimizationThreads);
        Assert.Equal(16, s.Storage.HnswIndex.M);
        Assert.Equal(100, s.Storage.HnswIndex.EfConstruct);
        Assert.Equal(10000, s.Storage.HnswIndex.FullScanThresholdKb);
        Assert.Equal(0, s.Storage.HnswIndex.MaxIndexingThreads);
        Assert.False(s.Storage.HnswIndex.OnDisk);
        Assert.Null(s.Storage.HnswIndex.PayloadM);
        Assert.Equal("0.0.0.0", s.Service.Host);
        Assert.Equal(6333, s.Service.HttpPort);
        Assert.Equal(6334, s.Service.GrpcPort);
        Assert.Equal(32, s.Service.MaxRequestSizeMb);
        Assert.Equal(0, s.Service.MaxWorkers);
        Assert.True(s.Service.EnableCors);
        Assert.False(s.Service.EnableTls);
        Assert.False(s.Service.VerifyHttpsClientCertificate);
        Assert.Null(s.Service.ApiKey);
        Assert.Null(s.Service.AltApiKey);
        Assert.Null(s.Service.ReadOnlyApiKey);
        Assert.False(s.Service.JwtRbac);
        Assert.False(s.Service.HardwareReporting);
        Assert.False(s.Service.AuthEnabled);
        Assert.False(s.Cluster.Enabled);
        Assert.Equal(6335, s.Cluster.P2p.Port);
        Assert.False(s.Cluster.P2p.EnableTls);
        Assert.Equal(100, s.Cluster.Consensus.TickPeriodMs);
        Assert.Equal(128, s.Cluster.Consensus.CompactWalEntries);
        Assert.False(s.TelemetryDisabled);
        Assert.Equal("./tls/cert.pem", s.Tls.Cert);
        Assert.Equal("./tls/key.pem", s.Tls.Key);
        Assert.Equal("./tls/cacert.pem", s.Tls.CaCert);
        Assert.Equal(3600, s.Tls.CertTtlSec);
        Assert.Empty(loaded.Warnings);
        Assert.Equal(["built-in defaults"], loaded.Sources);
    }

    [Fact]
    public void Load_EmbeddedDefaults_EqualTheModelDefaults()
    {
        // The record defaults (used for keys a file leaves out) and the shipped YAML must never drift apart.
        Assert.Equal(new ServerSettings(), _fixture.LoadOk().Settings);
    }

    [Fact]
    public void Load_RepositoryConfigFile_ParsesWithoutWarnings()
    {
        var repoConfig = FindRepositoryFile("config/config.yaml");
        _fixture.Write("config/config.yaml", File.ReadAllText(repoConfig));

        var loaded = _fixture.LoadOk();

        Assert.Equal(new ServerSettings(), loaded.Settings);
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void Load_QdrantStyleFileWithKeysWeDoNotUse_ProducesNoWarnings()
    {
        _fixture.Write("qdrant.yaml", """
            log_level: INFO
            logger:
              format: json
            storage:
              snapshots_config:
                snapshots_storage: local
              update_concurrency: null
              node_type: "Normal"
              performance:
                max_search_threads: 2
                max_optimization_runtime_threads: 3
                incoming_shard_transfers_limit: 1
              optimizers:
                max_segment_size: 5000
                indexing_threshold: 20000
              hnsw_index:
                full_scan_threshold: 500
                memory: cached
              collection:
                replication_factor: 1
                vectors:
                  on_disk: null
              max_collections: null
            service:
              metrics_port: 9090
              enforce_internal_auth: true
            cluster:
              peer_id: 7
              p2p:
                connection_pool_size: 2
              consensus:
                bootstrap_timeout_sec: 15
            audit:
              enabled: false
            """);

        var loaded = _fixture.LoadOk("--config-path", "qdrant.yaml");

        Assert.Empty(loaded.Warnings);
        var storage = loaded.Settings.Storage;
        Assert.Equal(2, storage.Performance.MaxSearchThreads);
        Assert.Equal(3, storage.Performance.MaxOptimizationThreads);
        Assert.Equal(5000, storage.Optimizers.MaxSegmentSizeKb);
        Assert.Equal(20000, storage.Optimizers.IndexingThresholdKb);
        Assert.Equal(500, storage.HnswIndex.FullScanThresholdKb);
    }

    [Fact]
    public void Load_WorkingDirectoryConfigFile_OverridesOnlyItsKeys()
    {
        var path = _fixture.Write("config/config.yaml", """
            service:
              http_port: 7333
            storage:
              optimizers:
                deleted_threshold: 0.5
            """);

        var loaded = _fixture.LoadOk();

        Assert.Equal(7333, loaded.Settings.Service.HttpPort);
        Assert.Equal(6334, loaded.Settings.Service.GrpcPort);
        Assert.Equal("0.0.0.0", loaded.Settings.Service.Host);
        Assert.Equal(0.5, loaded.Settings.Storage.Optimizers.DeletedThreshold);
        Assert.Equal(1000, loaded.Settings.Storage.Optimizers.VacuumMinVectorNumber);
        Assert.Equal(["built-in defaults", path], loaded.Sources);
        Assert.Equal(path + ", line 2", loaded.Origins["service.http_port"]);
    }

    [Fact]
    public void Load_RunModeAndLocalFiles_MergeInQdrantOrder()
    {
        _fixture.Write("config/config.yaml", "service:\n  http_port: 7001\n  grpc_port: 7002\n  host: 127.0.0.1\n");
        _fixture.Write("config/production.yaml", "service:\n  grpc_port: 7003\n  host: 127.0.0.2\n");
        _fixture.Write("config/local.yml", "service:\n  host: 127.0.0.3\n");
        _fixture.Write("config/development.yaml", "service:\n  http_port: 9999\n");
        _fixture.Environment["RUN_MODE"] = "production";

        var service = _fixture.LoadOk().Settings.Service;

        Assert.Equal(7001, service.HttpPort);
        Assert.Equal(7003, service.GrpcPort);
        Assert.Equal("127.0.0.3", service.Host);
    }

    [Fact]
    public void Load_ConfigPath_OverridesWorkingDirectoryFile()
    {
        _fixture.Write("config/config.yaml", "service:\n  http_port: 7001\n  max_request_size_mb: 64\n");
        var custom = _fixture.Write("custom/my.yaml", "service:\n  http_port: 7002\n");

        var loaded = _fixture.LoadOk("--config-path", custom);

        Assert.Equal(7002, loaded.Settings.Service.HttpPort);
        Assert.Equal(64, loaded.Settings.Service.MaxRequestSizeMb);
        Assert.Equal(custom, loaded.Sources[^1]);
    }

    [Fact]
    public void Load_ConfigPathWithEqualsAndRelativePath_IsResolvedAgainstContentRoot()
    {
        _fixture.Write("custom/my.yaml", "log_level: DEBUG\n");

        Assert.Equal("DEBUG", _fixture.LoadOk("--config-path=custom/my.yaml").Settings.LogLevel);
    }

    [Fact]
    public void Load_ConfigPathWithoutExtension_FindsYamlFile()
    {
        _fixture.Write("custom/my.yaml", "log_level: WARN\n");

        Assert.Equal("WARN", _fixture.LoadOk("--config-path", "custom/my").Settings.LogLevel);
    }

    [Fact]
    public void Load_ConfigPathMissing_FailsNamingTheFile()
    {
        var message = _fixture.LoadError("--config-path", "nope.yaml");

        Assert.StartsWith("--config-path: config file 'nope.yaml' does not exist", message);
        Assert.Contains(Path.Combine(_fixture.Root, "nope.yaml"), message);
    }

    [Fact]
    public void Load_ConfigPathWithoutValue_Fails()
    {
        Assert.Equal("--config-path: expected a file path after it", _fixture.LoadError("--config-path"));
    }

    [Fact]
    public void Load_OtherArguments_AreLeftToTheHost()
    {
        var loaded = _fixture.LoadOk("--uri", "http://peer:6335", "--disable-telemetry");

        Assert.True(loaded.Settings.TelemetryDisabled);
    }

    [Fact]
    public void Load_NullInLaterFile_SetsNull()
    {
        _fixture.Write("config/config.yaml", "service:\n  grpc_port: null\ntls:\n  cert_ttl: ~\n");

        var settings = _fixture.LoadOk().Settings;

        Assert.Null(settings.Service.GrpcPort);
        Assert.Null(settings.Tls.CertTtlSec);
    }

    [Fact]
    public void Load_EmptyFile_KeepsDefaults()
    {
        _fixture.Write("config/config.yaml", "# only a comment\n");

        Assert.Equal(new ServerSettings(), _fixture.LoadOk().Settings);
    }

    [Fact]
    public void Load_KeysInAnyCase_AreMatched()
    {
        _fixture.Write("config/config.yaml", "Service:\n  HTTP_Port: 7100\n");

        Assert.Equal(7100, _fixture.LoadOk().Settings.Service.HttpPort);
    }

    [Fact]
    public void Load_QdrantEnvironmentVariables_OverrideNestedKeys()
    {
        _fixture.Write("config/config.yaml", "service:\n  http_port: 7001\n");
        _fixture.Environment["QDRANT__SERVICE__HTTP_PORT"] = "7000";
        _fixture.Environment["QDRANT__STORAGE__OPTIMIZERS__DELETED_THRESHOLD"] = "0.5";
        _fixture.Environment["QDRANT__SERVICE__API_KEY"] = "secret";
        _fixture.Environment["QDRANT__SERVICE__ENABLE_CORS"] = "false";
        _fixture.Environment["QDRANT__LOG_LEVEL"] = "DEBUG";
        _fixture.Environment["QDRANT__STORAGE__HNSW_INDEX__PAYLOAD_M"] = "8";
        _fixture.Environment["PATH"] = "/usr/bin";

        var loaded = _fixture.LoadOk();
        var s = loaded.Settings;

        Assert.Equal(7000, s.Service.HttpPort);
        Assert.Equal(0.5, s.Storage.Optimizers.DeletedThreshold);
        Assert.Equal("secret", s.Service.ApiKey);
        Assert.False(s.Service.EnableCors);
        Assert.Equal("DEBUG", s.LogLevel);
        Assert.Equal(8, s.Storage.HnswIndex.PayloadM);
        Assert.Equal("environment variable QDRANT__SERVICE__HTTP_PORT", loaded.Origins["service.http_port"]);
    }

    [Fact]
    public void Load_EnvironmentVariableNamesInLowerCase_AreMatched()
    {
        _fixture.Environment["qdrant__service__http_port"] = "7010";

        Assert.Equal(7010, _fixture.LoadOk().Settings.Service.HttpPort);
    }

    [Fact]
    public void Load_AotVectorPrefix_WinsOverQdrantPrefix()
    {
        _fixture.Environment["QDRANT__SERVICE__HTTP_PORT"] = "7000";
        _fixture.Environment["AOTVECTOR__SERVICE__HTTP_PORT"] = "8000";
        _fixture.Environment["QDRANT__SERVICE__GRPC_PORT"] = "7001";

        var service = _fixture.LoadOk().Settings.Service;

        Assert.Equal(8000, service.HttpPort);
        Assert.Equal(7001, service.GrpcPort);
    }

    [Fact]
    public void Load_EnvironmentVariable_WinsOverConfigPath()
    {
        var custom = _fixture.Write("my.yaml", "service:\n  http_port: 7002\n");
        _fixture.Environment["QDRANT__SERVICE__HTTP_PORT"] = "7003";

        Assert.Equal(7003, _fixture.LoadOk("--config-path", custom).Settings.Service.HttpPort);
    }

    [Fact]
    public void Load_EnvironmentNullOrEmpty_DisablesGrpc()
    {
        _fixture.Environment["QDRANT__SERVICE__GRPC_PORT"] = "null";
        Assert.Null(_fixture.LoadOk().Settings.Service.GrpcPort);

        _fixture.Environment["QDRANT__SERVICE__GRPC_PORT"] = "";
        Assert.Null(_fixture.LoadOk().Settings.Service.GrpcPort);
    }

    [Fact]
    public void Load_EnvironmentAliasName_SetsCanonicalKey()
    {
        _fixture.Environment["QDRANT__STORAGE__OPTIMIZERS__MAX_SEGMENT_SIZE"] = "4000";

        Assert.Equal(4000, _fixture.LoadOk().Settings.Storage.Optimizers.MaxSegmentSizeKb);
    }

    [Fact]
    public void Load_AliasAndCanonicalInOneFile_Fails()
    {
        var path = _fixture.Write("config/config.yaml", "storage:\n  optimizers:\n    max_segment_size: 1\n    max_segment_size_kb: 2\n");

        var message = _fixture.LoadError();

        Assert.StartsWith("storage.optimizers: both 'max_segment_size' and 'max_segment_size_kb' are set", message);
        Assert.Contains(path, message);
    }

    [Fact]
    public void Load_BooleanSpellings_AreAccepted()
    {
        _fixture.Environment["QDRANT__SERVICE__ENABLE_CORS"] = "No";
        _fixture.Environment["QDRANT__STORAGE__ON_DISK_PAYLOAD"] = "off";
        _fixture.Environment["QDRANT__TELEMETRY_DISABLED"] = "TRUE";

        var s = _fixture.LoadOk().Settings;

        Assert.False(s.Service.EnableCors);
        Assert.False(s.Storage.OnDiskPayload);
        Assert.True(s.TelemetryDisabled);
    }

    [Fact]
    public void ServiceSettings_ToString_DoesNotPrintKeys()
    {
        _fixture.Environment["QDRANT__SERVICE__API_KEY"] = "super-secret-value";
        _fixture.Environment["QDRANT__SERVICE__HOST"] = "127.0.0.1";

        var text = _fixture.LoadOk().Settings.ToString();

        Assert.DoesNotContain("super-secret-value", text);
        Assert.Contains("ApiKey = ***", text);
    }

    [Fact]
    public void ResolvePath_RelativePath_IsUnderContentRoot()
    {
        var loaded = _fixture.LoadOk();

        Assert.Equal(Path.Combine(_fixture.Root, "storage"), loaded.ResolvePath(loaded.Settings.Storage.StoragePath));
    }

    private static string FindRepositoryFile(string relative, [CallerFilePath] string thisFile = "")
    {
        // Walk up from this source file, so the lookup does not depend on where the binaries were built.
        for (var dir = new FileInfo(thisFile).Directory; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "AotVector.sln")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Repository file not found above this test's source.", relative);
    }
}
