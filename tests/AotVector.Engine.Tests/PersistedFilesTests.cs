using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Catalog;
using AotVector.Engine.Collections;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// collection.json and aliases.json, format 1. The files under Fixtures/ were written by the hand-written writers
/// this format started with: each must read back to the same configuration, and saving that configuration must
/// give the same bytes, so a storage directory moves between builds in either direction.
/// </summary>
public sealed class PersistedFilesTests
{
    private static readonly CollectionConfig s_plain = new(
        new CollectionParams(new VectorsConfig(new VectorParams(4, Distance.Cosine), null), 1, 1, 1, true),
        HnswConfig.Default,
        OptimizersConfig.Default,
        WalConfig.Default);

    private static readonly CollectionConfig s_named = new(
        new CollectionParams(
            new VectorsConfig(null, new Dictionary<string, VectorParams>
            {
                ["text"] = new(768, Distance.Dot, new HnswConfigDiff(M: 32, OnDisk: true), false),
                ["image"] = new(512, Distance.Euclid, new HnswConfigDiff(EfConstruct: 200, FullScanThreshold: 5, MaxIndexingThreads: 2, PayloadM: 8)),
                ["l1"] = new(3, Distance.Manhattan, null, true),
            }),
            2,
            3,
            2,
            false),
        new HnswConfig(8, 64, 20000, 4, true, 12),
        new OptimizersConfig(0.35, 500, 3, 100000, 2000, null, 7, 2),
        new WalConfig(64, 1, 3));

    private static readonly CollectionConfig s_noVectors = s_plain with
    {
        Params = s_plain.Params with { Vectors = new VectorsConfig(null, new Dictionary<string, VectorParams>()) },
    };

    private static readonly Dictionary<string, (string Name, CollectionConfig Config)> s_fixtures = new()
    {
        ["collection-format1-single.json"] = ("plain", s_plain),
        ["collection-format1-named.json"] = ("München \"q\"", s_named),
        ["collection-format1-no-vectors.json"] = ("sparse-only", s_noVectors),
    };

    public static TheoryData<string> Collections => new(s_fixtures.Keys);

    [Theory]
    [MemberData(nameof(Collections))]
    public void CollectionFile_Format1_ReadsBack(string fixture)
    {
        var (name, config) = s_fixtures[fixture];
        using var dir = new TempDirectory();
        File.Copy(Fixture(fixture), Path.Combine(dir.Path, CollectionConfigStore.FileName));

        var (loadedName, loaded) = CollectionConfigStore.Load(dir.Path);

        Assert.Equal(name, loadedName);
        AssertSame(config, loaded);
    }

    [Theory]
    [MemberData(nameof(Collections))]
    public void CollectionFile_Save_WritesFormat1Unchanged(string fixture)
    {
        var (name, config) = s_fixtures[fixture];
        using var dir = new TempDirectory();

        CollectionConfigStore.Save(dir.Path, name, config);

        Assert.Equal(File.ReadAllText(Fixture(fixture)), File.ReadAllText(Path.Combine(dir.Path, CollectionConfigStore.FileName)));
    }

    [Fact]
    public void CollectionFile_OptionalMembersMayBeLeftOut()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, CollectionConfigStore.FileName), """
            {"format": 1, "name": "short", "vectors": {"size": 2, "distance": "Dot", "hnsw_config": {"m": 4}},
             "shard_number": 1, "replication_factor": 1, "write_consistency_factor": 1, "on_disk_payload": false,
             "hnsw_config": {"m": 16, "ef_construct": 100, "full_scan_threshold": 10000, "max_indexing_threads": 0, "on_disk": false},
             "optimizer_config": {"deleted_threshold": 0.2, "vacuum_min_vector_number": 1000, "default_segment_number": 0, "flush_interval_sec": 5},
             "wal_config": {"wal_capacity_mb": 32, "wal_segments_ahead": 0, "wal_retain_closed": 1}}
            """);

        var (_, config) = CollectionConfigStore.Load(dir.Path);

        Assert.Equal(new VectorParams(2, Distance.Dot, new HnswConfigDiff(M: 4)), config.Params.Vectors.Single);
        Assert.Null(config.HnswConfig.PayloadM);
        Assert.Null(config.OptimizersConfig.IndexingThreshold);
        Assert.Null(config.OptimizersConfig.MaxSegmentSize);
    }

    /// <summary>A damaged file fails with JsonException, which the catalog logs and skips (one collection, not the server).</summary>
    [Theory]
    [InlineData("""{"format": 1}""")]
    [InlineData("""{"format": 1, "name": "x", "vectors": {"size": 2, "distance": "Hamming"}}""")]
    [InlineData("""{"format": 1, "name": null}""")]
    [InlineData("""{"format": 1, "name": "x", "vectors": [1]}""")]
    [InlineData("""{"format": 1, "name": "x", "shard_number": "one"}""")]
    [InlineData("""{"format": 1""")]
    public void CollectionFile_Damaged_IsJsonException(string text)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, CollectionConfigStore.FileName), text);

        Assert.ThrowsAny<JsonException>(() => CollectionConfigStore.Load(dir.Path));
    }

    [Fact]
    public void CollectionFile_OtherFormat_IsRefused()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, CollectionConfigStore.FileName);
        File.WriteAllText(path, File.ReadAllText(Fixture("collection-format1-single.json")).Replace("\"format\": 1", "\"format\": 3", StringComparison.Ordinal));

        var error = Assert.Throws<InvalidDataException>(() => CollectionConfigStore.Load(dir.Path));
        Assert.Contains("format 3", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Metadata makes the file format 2 and reads back with every JSON kind (doubles stay doubles); without it the file stays format 1.</summary>
    [Fact]
    public void CollectionFile_Metadata_IsFormat2AndReadsBack()
    {
        var nested = new Payload { ["model"] = PayloadValue.FromString("e5"), ["dims"] = PayloadValue.FromInteger(384) };
        var metadata = new Payload
        {
            ["team"] = PayloadValue.FromString("search \"core\""),
            ["version"] = PayloadValue.FromDouble(2.0),
            ["ratio"] = PayloadValue.FromDouble(0.25),
            ["live"] = PayloadValue.True,
            ["nothing"] = PayloadValue.Null,
            ["tags"] = PayloadValue.FromArray([PayloadValue.FromString("a"), PayloadValue.FromInteger(-3)]),
            ["embedding"] = PayloadValue.FromObject(nested),
        };
        using var dir = new TempDirectory();

        CollectionConfigStore.Save(dir.Path, "meta", s_plain with { Metadata = metadata });

        var text = File.ReadAllText(Path.Combine(dir.Path, CollectionConfigStore.FileName));
        Assert.Contains("\"format\": 2", text, StringComparison.Ordinal);
        Assert.Contains("\"version\": 2.0", text, StringComparison.Ordinal);
        var (_, loaded) = CollectionConfigStore.Load(dir.Path);
        Assert.Equal(metadata, loaded.Metadata);
        Assert.Equal(["team", "version", "ratio", "live", "nothing", "tags", "embedding"], loaded.Metadata!.Keys);
        Assert.Equal(PayloadKind.Double, loaded.Metadata["version"]!.Kind);

        CollectionConfigStore.Save(dir.Path, "meta", loaded with { Metadata = null });
        Assert.Contains("\"format\": 1", File.ReadAllText(Path.Combine(dir.Path, CollectionConfigStore.FileName)), StringComparison.Ordinal);
        Assert.Null(CollectionConfigStore.Load(dir.Path).Config.Metadata);
    }

    [Fact]
    public void AliasFile_Format1_ReadsBackAndSavesUnchanged()
    {
        using var dir = new TempDirectory();
        File.Copy(Fixture("aliases-format1.json"), Path.Combine(dir.Path, AliasStore.FileName));

        var aliases = AliasStore.Load(dir.Path);

        Assert.Equal(new Dictionary<string, string> { ["Beta"] = "plain", ["alpha"] = "München", ["zeta"] = "plain" }, aliases);
        using var again = new TempDirectory();
        AliasStore.Save(again.Path, new Dictionary<string, string> { ["zeta"] = "plain", ["alpha"] = "München", ["Beta"] = "plain" });
        Assert.Equal(File.ReadAllText(Fixture("aliases-format1.json")), File.ReadAllText(Path.Combine(again.Path, AliasStore.FileName)));
    }

    [Fact]
    public void AliasFile_EmptyAndMissing()
    {
        using var dir = new TempDirectory();
        Assert.Empty(AliasStore.Load(dir.Path));

        AliasStore.Save(dir.Path, new Dictionary<string, string>());
        Assert.Equal(File.ReadAllText(Fixture("aliases-format1-empty.json")), File.ReadAllText(Path.Combine(dir.Path, AliasStore.FileName)));
        Assert.Empty(AliasStore.Load(dir.Path));
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>Records compare dictionaries by reference, so the vectors are compared entry by entry, in order.</summary>
    private static void AssertSame(CollectionConfig expected, CollectionConfig actual)
    {
        Assert.Equal(expected.Params.Vectors.Single, actual.Params.Vectors.Single);
        Assert.Equal(expected.Params.Vectors.Named?.ToList(), actual.Params.Vectors.Named?.ToList());
        Assert.Equal(expected.Params with { Vectors = actual.Params.Vectors }, actual.Params);
        Assert.Equal(expected.HnswConfig, actual.HnswConfig);
        Assert.Equal(expected.OptimizersConfig, actual.OptimizersConfig);
        Assert.Equal(expected.WalConfig, actual.WalConfig);
    }
}
