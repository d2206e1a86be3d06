using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Shards;
using AotVector.Segment;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// Memory placement through the engine, as the reference's: vectors on_disk true are cold and false cached, the graph
/// follows hnsw_config.on_disk, int8 codes take their memory (always_ram true as pinned, else the vectors'); the
/// optimizer places every sealed segment after builds, PATCHes and restarts, and searches answer the same throughout.
/// </summary>
public sealed class MemoryPlacementTests
{
    private const int Dim = 8;
    private const int Points = 2000;
    private static readonly AccessContext s_full = AccessContext.Full;

    [Fact]
    public async Task Placement_FollowsTheConfig_ThroughPatchesAndRestarts()
    {
        using var f = new EngineFixture();
        await CreateAsync(f, "m", onDisk: true, QuantizationConfig.Int8(0.99f, memory: "pinned"));
        Fill(f, "m");
        await WaitPlacedAsync(f, "m", MemoryPlacement.Cold, MemoryPlacement.Cached, MemoryPlacement.Pinned);
        var before = await SearchAsync(f, "m");

        // Codes to cold: placed again without a rebuild.
        await PatchAsync(f, new UpdateCollectionRequest("m") { QuantizationConfig = new QuantizationConfigDiff(QuantizationConfig.Int8(0.99f, memory: "cold")) });
        await WaitPlacedAsync(f, "m", MemoryPlacement.Cold, MemoryPlacement.Cached, MemoryPlacement.Cold);
        Assert.Equal(before, await SearchAsync(f, "m"));

        // Vectors in RAM and the graph on disk.
        await PatchAsync(f, new UpdateCollectionRequest("m", Vectors: new Dictionary<string, VectorParamsDiff> { [""] = new(OnDisk: false) }, HnswConfig: new HnswConfigDiff(OnDisk: true)));
        await WaitPlacedAsync(f, "m", MemoryPlacement.Cached, MemoryPlacement.Cold, MemoryPlacement.Cold);
        Assert.Equal(before, await SearchAsync(f, "m"));

        f.Reopen(flushFirst: true);
        await WaitPlacedAsync(f, "m", MemoryPlacement.Cached, MemoryPlacement.Cold, MemoryPlacement.Cold);
        Assert.Equal(before, await SearchAsync(f, "m"));
        var q = Info(f, "m").Config.QuantizationConfig!;
        Assert.Equal("cold", q.Memory);
        Assert.False(Info(f, "m").Config.Params.Vectors.Find("")!.OnDisk);
        Assert.True(Info(f, "m").Config.HnswConfig.OnDisk);
    }

    [Theory]
    [InlineData(true, null, MemoryPlacement.Pinned)] // always_ram true pins whatever the vectors do
    [InlineData(false, null, MemoryPlacement.Cold)] // always_ram false follows the vectors (on disk: cold)
    [InlineData(null, null, MemoryPlacement.Cold)]
    [InlineData(true, "cached", MemoryPlacement.Cached)] // memory wins over always_ram
    public async Task Codes_WithoutMemory_FollowAlwaysRam_ElseTheVectors(bool? alwaysRam, string? memory, MemoryPlacement expected)
    {
        using var f = new EngineFixture();
        await CreateAsync(f, "a", onDisk: true, QuantizationConfig.Int8(alwaysRam: alwaysRam, memory: memory));
        Fill(f, "a");
        await WaitPlacedAsync(f, "a", MemoryPlacement.Cold, MemoryPlacement.Cached, expected);
    }

    [Fact]
    public async Task Vectors_WithoutOnDisk_FollowTheMemmapThreshold()
    {
        using var f = new EngineFixture();
        var r = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest(
            "t",
            new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null),
            OptimizersConfig: new OptimizersConfigDiff(IndexingThreshold: 20, DefaultSegmentNumber: 2, MemmapThreshold: 1)), default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Fill(f, "t");
        await WaitPlacedAsync(f, "t", MemoryPlacement.Cold, MemoryPlacement.Cached, null);
    }

    [Fact]
    public async Task VectorMemory_WinsOverOnDisk_AndPinnedIsRefused()
    {
        using var f = new EngineFixture();
        var pinned = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest("v", new VectorsConfig(new VectorParams(Dim, Distance.Euclid) { Memory = "pinned" }, null)), default);
        Assert.Equal(ErrorKind.Validation, pinned.Error.Kind);
        Assert.Contains("[vectors.memory: `pinned` memory placement is not supported for dense vector storage]", pinned.Error.Message, StringComparison.Ordinal);

        var r = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest(
            "v",
            new VectorsConfig(new VectorParams(Dim, Distance.Euclid, OnDisk: false) { Memory = "cold" }, null),
            OptimizersConfig: new OptimizersConfigDiff(IndexingThreshold: 20, DefaultSegmentNumber: 2)), default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Fill(f, "v");
        await WaitPlacedAsync(f, "v", MemoryPlacement.Cold, MemoryPlacement.Cached, null);

        await PatchAsync(f, new UpdateCollectionRequest("v", Vectors: new Dictionary<string, VectorParamsDiff> { [""] = new() { Memory = "cached" } }));
        await WaitPlacedAsync(f, "v", MemoryPlacement.Cached, MemoryPlacement.Cached, null);
        f.Reopen(flushFirst: true);
        Assert.Equal("cached", Info(f, "v").Config.Params.Vectors.Find("")!.Memory);
        await WaitPlacedAsync(f, "v", MemoryPlacement.Cached, MemoryPlacement.Cached, null);

        var refused = await f.Engine.UpdateAsync(s_full, new UpdateCollectionRequest("v", Vectors: new Dictionary<string, VectorParamsDiff> { [""] = new() { Memory = "pinned" } }), default);
        Assert.Equal(ErrorKind.Validation, refused.Error.Kind);
    }

    [Fact]
    public async Task PayloadMemory_WinsOverOnDiskPayload_RefusesPinned_AndSurvivesPatchAndRestart()
    {
        using var f = new EngineFixture();
        var pinned = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest("p", new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null)) { PayloadMemory = "pinned" }, default);
        Assert.Equal(ErrorKind.Validation, pinned.Error.Kind);
        Assert.Contains("`pinned` memory placement is not supported for payload storage", pinned.Error.Message, StringComparison.Ordinal);

        var r = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest("p", new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null), OnDiskPayload: true) { PayloadMemory = "cached" }, default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.False(Info(f, "p").Config.Params.OnDiskPayload);
        Assert.Equal("cached", Info(f, "p").Config.Params.PayloadMemory);

        // on_disk_payload alone does not move payloads while memory says otherwise; memory does.
        await PatchAsync(f, new UpdateCollectionRequest("p", OnDiskPayload: true));
        Assert.False(Info(f, "p").Config.Params.OnDiskPayload);
        await PatchAsync(f, new UpdateCollectionRequest("p") { PayloadMemory = "cold" });
        Assert.True(Info(f, "p").Config.Params.OnDiskPayload);

        var refused = await f.Engine.UpdateAsync(s_full, new UpdateCollectionRequest("p") { PayloadMemory = "pinned" }, default);
        Assert.Equal(ErrorKind.Validation, refused.Error.Kind);

        f.Reopen(flushFirst: true);
        Assert.True(Info(f, "p").Config.Params.OnDiskPayload);
        Assert.Equal("cold", Info(f, "p").Config.Params.PayloadMemory);
    }

    private static async Task CreateAsync(EngineFixture f, string name, bool? onDisk, QuantizationConfig quantization)
    {
        // An indexing threshold of 20 KB seals every few hundred points.
        var r = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest(
            name,
            new VectorsConfig(new VectorParams(Dim, Distance.Euclid, OnDisk: onDisk), null),
            OptimizersConfig: new OptimizersConfigDiff(IndexingThreshold: 20, DefaultSegmentNumber: 2)) { QuantizationConfig = quantization }, default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
    }

    private static void Fill(EngineFixture f, string name)
    {
        var vectors = SeededRandom.Vectors(97, Points, Dim);
        for (var start = 0; start < Points; start += 500)
        {
            f.Upsert(name, [.. Enumerable.Range(start, 500).Select(i => EngineFixture.Point((ulong)i, vectors[i]))]);
        }
    }

    private static async Task<List<ulong>> SearchAsync(EngineFixture f, string name)
    {
        var hits = new List<ulong>();
        foreach (var query in SeededRandom.Vectors(98, 5, Dim))
        {
            var request = new QueryRequest(new NearestQuery(new DenseVectorInput(query)), null, null, 10, 0, null, null, WithPayload.None, WithVector.None);
            var r = await f.Engine.QueryAsync(s_full, name, request, default, default);
            Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
            hits.AddRange(r.Value!.Select(h => h.Id.Num));
        }

        return hits;
    }

    private static async Task PatchAsync(EngineFixture f, UpdateCollectionRequest request)
    {
        var r = await f.Engine.UpdateAsync(s_full, request, default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
    }

    private static Task WaitPlacedAsync(EngineFixture f, string name, MemoryPlacement vectors, MemoryPlacement graph, MemoryPlacement? codes) =>
        f.WaitForBackgroundAsync(
            () => Info(f, name).Status == CollectionStatus.Green
                && Shard(f, name).VectorPlacements("") is { Count: > 0 } placed
                && placed.All(p => p.Vectors == vectors && p.Graph == graph && p.Codes == codes),
            $"sealed segments placed as {vectors}/{graph}/{codes}");

    private static CollectionInfo Info(EngineFixture f, string name) => f.Engine.GetInfo(s_full, name).Value!;

    private static LocalShard Shard(EngineFixture f, string name) => Assert.Single(f.Engine.CollectionForTests(name).LocalShards);
}
