namespace AotVector.Server.Tests.Config;

/// <summary>Type, range and YAML errors: one line each, naming the key (or line) and the source.</summary>
public sealed class SettingsValidationTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Load_PortNotANumber_FailsNamingKeyAndFile()
    {
        var path = _fixture.Write("config/config.yaml", "service:\n  http_port: abc\n");

        Assert.Equal(
            $"service.http_port: expected an integer from 1 to 65535, got 'abc' (from {path}, line 2)",
            _fixture.LoadError());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("6333.5")]
    public void Load_PortOutOfRange_Fails(string value)
    {
        var path = _fixture.Write("my.yaml", $"service:\n  http_port: {value}\n");

        Assert.Equal(
            $"service.http_port: expected an integer from 1 to 65535, got '{value}' (from {path}, line 2)",
            _fixture.LoadError("--config-path", path));
    }

    [Fact]
    public void Load_BadEnvironmentValue_FailsNamingTheVariable()
    {
        _fixture.Environment["QDRANT__STORAGE__OPTIMIZERS__DELETED_THRESHOLD"] = "1.5";

        Assert.Equal(
            "storage.optimizers.deleted_threshold: expected a number from 0 to 1, got '1.5' (from environment variable QDRANT__STORAGE__OPTIMIZERS__DELETED_THRESHOLD)",
            _fixture.LoadError());
    }

    [Fact]
    public void Load_GrpcPortOutOfRange_MentionsNullIsAllowed()
    {
        _fixture.Environment["QDRANT__SERVICE__GRPC_PORT"] = "70000";

        Assert.Equal(
            "service.grpc_port: expected an integer from 1 to 65535 or null, got '70000' (from environment variable QDRANT__SERVICE__GRPC_PORT)",
            _fixture.LoadError());
    }

    [Theory]
    [InlineData("service:\n  max_request_size_mb: 0\n", "service.max_request_size_mb: expected an integer >= 1, got '0'")]
    [InlineData("tls:\n  cert_ttl: 0\n", "tls.cert_ttl: expected an integer >= 1 or null, got '0'")]
    [InlineData("storage:\n  hnsw_index:\n    m: -1\n", "storage.hnsw_index.m: expected an integer >= 0, got '-1'")]
    [InlineData("storage:\n  hnsw_index:\n    ef_construct: 3\n", "storage.hnsw_index.ef_construct: expected an integer >= 4, got '3'")]
    [InlineData("storage:\n  optimizers:\n    deleted_threshold: -0.1\n", "storage.optimizers.deleted_threshold: expected a number from 0 to 1, got '-0.1'")]
    [InlineData("storage:\n  optimizers:\n    vacuum_min_vector_number: 10\n", "storage.optimizers.vacuum_min_vector_number: expected an integer >= 100, got '10'")]
    [InlineData("storage:\n  wal:\n    wal_capacity_mb: 0\n", "storage.wal.wal_capacity_mb: expected an integer >= 1, got '0'")]
    [InlineData("cluster:\n  p2p:\n    port: 0\n", "cluster.p2p.port: expected an integer from 1 to 65535 or null, got '0'")]
    [InlineData("service:\n  enable_tls: maybe\n", "service.enable_tls: expected true or false, got 'maybe'")]
    [InlineData("service:\n  host: ''\n", "service.host: expected a non-empty string, got ''")]
    [InlineData("service:\n  http_port: null\n", "service.http_port: expected an integer from 1 to 65535, got null")]
    [InlineData("service:\n  http_port: [1, 2]\n", "service.http_port: expected an integer from 1 to 65535, got a list")]
    [InlineData("service: 5\n", "service: expected a mapping of keys, got '5'")]
    [InlineData("storage:\n  storage_path:\n    nested: 1\n", "storage.storage_path: expected a non-empty string, got a mapping")]
    public void Load_InvalidValue_FailsWithOneLine(string yaml, string expectedPrefix)
    {
        var path = _fixture.Write("config/config.yaml", yaml);

        var message = _fixture.LoadError();

        Assert.StartsWith(expectedPrefix + " (from " + path + ", line ", message);
    }

    [Fact]
    public void Load_SamePortForHttpAndGrpc_Fails()
    {
        _fixture.Environment["QDRANT__SERVICE__GRPC_PORT"] = "6333";

        Assert.Equal(
            "service.grpc_port: must differ from service.http_port (6333) (from environment variable QDRANT__SERVICE__GRPC_PORT)",
            _fixture.LoadError());
    }

    [Fact]
    public void Load_MalformedYaml_FailsNamingFileAndLine()
    {
        var path = _fixture.Write("config/config.yaml", "service:\n  http_port: 6333\n   grpc_port: [6334\n");

        var message = _fixture.LoadError();

        Assert.StartsWith($"{path}: malformed YAML at line 3", message);
    }

    [Fact]
    public void Load_UnclosedQuote_FailsNamingFile()
    {
        var path = _fixture.Write("config/config.yaml", "log_level: \"INFO\nservice:\n  http_port: 1\n");

        Assert.StartsWith($"{path}: malformed YAML at line ", _fixture.LoadError());
    }

    [Fact]
    public void Load_DuplicateKey_Fails()
    {
        var path = _fixture.Write("config/config.yaml", "service:\n  http_port: 1\n  http_port: 2\n");

        var message = _fixture.LoadError();

        Assert.StartsWith($"{path}: malformed YAML", message);
    }

    [Fact]
    public void Load_KeysDifferingOnlyInCase_Fail()
    {
        var path = _fixture.Write("config/config.yaml", "service:\n  http_port: 1\n  HTTP_PORT: 2\n");

        Assert.Equal(
            $"{path}: malformed YAML at line 3: key 'HTTP_PORT' appears twice in the same mapping",
            _fixture.LoadError());
    }

    [Fact]
    public void Load_TopLevelIsNotAMapping_Fails()
    {
        var path = _fixture.Write("config/config.yaml", "- a\n- b\n");

        Assert.StartsWith($"{path}: expected a mapping of sections", _fixture.LoadError());
    }

    [Fact]
    public void Load_UnknownKeys_WarnWithFullDottedName()
    {
        var path = _fixture.Write("config/config.yaml", "service:\n  htpp_port: 1\nstorage:\n  wal:\n    capacity: 3\nbogus: true\n");
        _fixture.Environment["QDRANT__SERVICE__NOPE"] = "1";

        var warnings = _fixture.LoadOk().Warnings;

        Assert.Contains($"unknown key 'service.htpp_port' is ignored (from {path}, line 2)", warnings);
        Assert.Contains($"unknown key 'storage.wal.capacity' is ignored (from {path}, line 5)", warnings);
        Assert.Contains($"unknown key 'bogus' is ignored (from {path}, line 6)", warnings);
        Assert.Contains("unknown key 'service.nope' is ignored (from environment variable QDRANT__SERVICE__NOPE)", warnings);
        Assert.Equal(4, warnings.Count);
    }

    [Fact]
    public void Load_EnvironmentNameWithEmptySection_IsWarnedAndIgnored()
    {
        _fixture.Environment["QDRANT__SERVICE____HTTP_PORT"] = "1";

        var loaded = _fixture.LoadOk();

        Assert.Equal(6333, loaded.Settings.Service.HttpPort);
        Assert.Single(loaded.Warnings, w => w.StartsWith("environment variable QDRANT__SERVICE____HTTP_PORT is ignored", StringComparison.Ordinal));
    }
}
