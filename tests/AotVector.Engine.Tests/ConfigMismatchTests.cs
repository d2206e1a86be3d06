using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Shards;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// Qdrant's config mismatch optimization: after a PATCH of hnsw_config the background optimizer rebuilds the graphs
/// of sealed segments with the new m / ef_construct, or drops them for m 0, while searches keep working. An unchanged
/// config never rebuilds, and a restart on either side of the rebuild ends with exactly one.
/// </summary>
public sealed class ConfigMismatchTests
{
    private const int Dim = 16;
    private const int Points = 3000;
    private static readonly AccessContext s_full = AccessContext.Full;

    public static TheoryData<ulong?, ulong?> Changes => new() { { 8UL, null }, { null, 40UL } };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Patch_RebuildsGraphWithNewParameters_WhileQueriesRun(ulong? m, ulong? efConstruct)
    {
        using var f = new EngineFixture();
        await CreateIndexedAsync(f, "r");
        var shard = Shard(f, "r");
        var built = shard.GraphsBuilt;
        var wanted = ((int)(m ?? 16), (int)(efConstruct ?? 100));

        // Queries run from before the PATCH until the new graph is in; every one must get a full, ordered answer.
        var queries = SeededRandom.Vectors(72, 30, Dim);
        using var rebuilt = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            for (var i = 0; i == 0 || !rebuilt.IsCancellationRequested; i++)
            {
                var r = await f.Engine.QueryAsync(s_full, "r", Query(queries[i % queries.Length], 10, null), default, default);
                Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
                Assert.Equal(10, r.Value!.Count);
                Assert.All(r.Value, p => Assert.True(p.Id.Num < Points));
                Assert.True(r.Value.Zip(r.Value.Skip(1)).All(p => p.First.Score >= p.Second.Score), "hits out of score order");
            }
        });

        await PatchAsync(f, new UpdateCollectionRequest("r", HnswConfig: new HnswConfigDiff(M: m, EfConstruct: efConstruct)));
        AssertYellowWhileOldGraph(f, "r", shard, built);
        await WaitGreenAsync(f, "r", () => shard.DescribeGraphs().All(g => (g.M, g.EfConstruct) == wanted));
        rebuilt.Cancel();
        await reader;

        Assert.Equal(built + 1, shard.GraphsBuilt);
        var info = Info(f, "r");
        Assert.Equal((ulong)Points, info.IndexedVectorsCount);
        Assert.Null(info.OptimizerError);
        var recall = await RecallAsync(f.Engine, "r", queries, ef: 64);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3} below 0.95 after the rebuild");
    }

    [Fact]
    public async Task UnchangedGraphConfig_OptimizerTicksDoNoWork()
    {
        using var f = new EngineFixture();
        await CreateIndexedAsync(f, "u");
        var collection = f.Engine.CollectionForTests("u");
        var shard = Shard(f, "u");
        var built = shard.GraphsBuilt;

        // The same m and ef_construct, and settings that do not shape the graph, leave the graph alone.
        await PatchAsync(f, new UpdateCollectionRequest("u", HnswConfig: new HnswConfigDiff(M: 16, EfConstruct: 100, FullScanThreshold: 20, MaxIndexingThreads: 1)));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(CollectionStatus.Green, Info(f, "u").Status);
            Assert.False(collection.Optimize(1, default));
        }

        Assert.Equal(built, shard.GraphsBuilt);
        Assert.Equal((16, 100), GraphOf(shard, ""));
    }

    [Fact]
    public async Task PatchMZero_DropsGraph_AnswersStayExact_PatchBackRebuilds()
    {
        using var f = new EngineFixture();
        await CreateIndexedAsync(f, "z");
        var shard = Shard(f, "z");

        await PatchAsync(f, new UpdateCollectionRequest("z", HnswConfig: new HnswConfigDiff(M: 0)));
        var pending = Info(f, "z");
        if (shard.DescribeGraphs().Count > 0)
        {
            // Read after the info and dropped under the write lock: the info saw the graph and must say it is due to go.
            Assert.Equal(CollectionStatus.Yellow, pending.Status);
            Assert.Equal((ulong)Points, pending.IndexedVectorsCount);
        }

        await WaitGreenAsync(f, "z", () => shard.DescribeGraphs().Count == 0);
        Assert.Equal(0UL, Info(f, "z").IndexedVectorsCount);
        foreach (var q in SeededRandom.Vectors(73, 20, Dim))
        {
            var exact = await f.Engine.QueryAsync(s_full, "z", Query(q, 10, new SearchParams(Exact: true)), default, default);
            var planned = await f.Engine.QueryAsync(s_full, "z", Query(q, 10, new SearchParams(HnswEf: 16)), default, default);
            Assert.Equal(exact.Value!.Select(p => p.Id), planned.Value!.Select(p => p.Id));
        }

        var built = shard.GraphsBuilt;
        await PatchAsync(f, new UpdateCollectionRequest("z", HnswConfig: new HnswConfigDiff(M: 16)));
        await WaitGreenAsync(f, "z", () => Info(f, "z").IndexedVectorsCount == Points);
        Assert.Equal((16, 100), GraphOf(shard, ""));
        Assert.Equal(built + 1, shard.GraphsBuilt);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Restart_AroundTheRebuild_RebuildsExactlyOnce(bool clean)
    {
        using var f = new EngineFixture();
        await CreateIndexedAsync(f, "p");
        f.Engine.FlushAll(); // segments durable, so a crash below replays nothing that could seal or build again
        var before = Shard(f, "p");
        var built = before.GraphsBuilt;
        await PatchAsync(f, new UpdateCollectionRequest("p", HnswConfig: new HnswConfigDiff(M: 8)));

        // The restart lands before, during (the build is cancelled) or after the rebuild: exactly one takes effect.
        f.Reopen(flushFirst: clean);
        var after = Shard(f, "p");
        await WaitGreenAsync(f, "p", () => after.DescribeGraphs().All(g => g.M == 8));
        Assert.Equal(1, before.GraphsBuilt - built + after.GraphsBuilt);
        Assert.Equal((ulong)Points, Info(f, "p").IndexedVectorsCount);

        // Rebuilt: the graph file reopens with its parameters, so nothing is pending and nothing is built again.
        f.Reopen(flushFirst: clean);
        var reopened = Shard(f, "p");
        var info = Info(f, "p");
        Assert.Equal(CollectionStatus.Green, info.Status);
        Assert.Equal((ulong)Points, info.IndexedVectorsCount);
        Assert.Equal((8, 100), GraphOf(reopened, ""));
        Assert.False(f.Engine.CollectionForTests("p").Optimize(1, default));
        Assert.Equal(0, reopened.GraphsBuilt);
    }

    [Fact]
    public async Task PerVectorPatch_RebuildsOnlyThatVector_AndOverridesTheCollectionLevel()
    {
        using var f = new EngineFixture();
        var named = new Dictionary<string, VectorParams>(StringComparer.Ordinal)
        {
            ["a"] = new(Dim, Distance.Cosine),
            ["b"] = new(Dim, Distance.Euclid),
        };
        var created = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest(
            "n", new VectorsConfig(null, named), new HnswConfigDiff(M: 16, EfConstruct: 100), new OptimizersConfigDiff(IndexingThreshold: 100)), default);
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
        var a = SeededRandom.Vectors(81, Points, Dim);
        var b = SeededRandom.Vectors(82, Points, Dim);
        f.Upsert("n", [.. Enumerable.Range(0, Points).Select(i => new PointStruct((ulong)i, new Dictionary<string, VectorData> { ["a"] = a[i], ["b"] = b[i] }, null))]);
        await WaitGreenAsync(f, "n", () => Info(f, "n").IndexedVectorsCount == 2 * Points);
        var shard = Shard(f, "n");
        var built = shard.GraphsBuilt;

        await PatchAsync(f, new UpdateCollectionRequest("n", Vectors: new Dictionary<string, VectorParamsDiff> { ["a"] = new(new HnswConfigDiff(M: 8)) }));
        await WaitGreenAsync(f, "n", () => GraphOf(shard, "a") == (8, 100));
        Assert.Equal((16, 100), GraphOf(shard, "b"));
        Assert.Equal(built + 1, shard.GraphsBuilt);

        // The collection-level m now reaches only "b": "a" keeps its own.
        await PatchAsync(f, new UpdateCollectionRequest("n", HnswConfig: new HnswConfigDiff(M: 24)));
        await WaitGreenAsync(f, "n", () => GraphOf(shard, "b") == (24, 100));
        Assert.Equal((8, 100), GraphOf(shard, "a"));
        Assert.Equal(built + 2, shard.GraphsBuilt);
        Assert.Equal((ulong)(2 * Points), Info(f, "n").IndexedVectorsCount);
    }

    private static async Task CreateIndexedAsync(EngineFixture f, string name)
    {
        // An indexing threshold of 100 KB seals the 3000 points into one segment that gets an m 16 graph.
        var r = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest(
            name,
            new VectorsConfig(new VectorParams(Dim, Distance.Cosine), null),
            new HnswConfigDiff(M: 16, EfConstruct: 100),
            new OptimizersConfigDiff(IndexingThreshold: 100)), default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var vectors = SeededRandom.Vectors(71, Points, Dim);
        f.Upsert(name, [.. vectors.Select((v, i) => EngineFixture.Point((ulong)i, v))]);
        await WaitGreenAsync(f, name, () => Info(f, name).IndexedVectorsCount == Points);
        Assert.Equal((16, 100), GraphOf(Shard(f, name), ""));
    }

    private static async Task PatchAsync(EngineFixture f, UpdateCollectionRequest request)
    {
        var r = await f.Engine.UpdateAsync(s_full, request, default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
    }

    // The count is read after the info, and an install counts under the write lock: an unchanged count means the
    // info saw the old graph, so it must report the pending rebuild. (A finished rebuild leaves nothing to check.)
    private static void AssertYellowWhileOldGraph(EngineFixture f, string name, LocalShard shard, int built)
    {
        var info = Info(f, name);
        if (shard.GraphsBuilt == built)
        {
            Assert.Equal(CollectionStatus.Yellow, info.Status);
        }
    }

    private static Task WaitGreenAsync(EngineFixture f, string name, Func<bool> done) =>
        f.WaitForBackgroundAsync(() => Info(f, name).Status == CollectionStatus.Green && done(), "the optimizer's work");

    private static CollectionInfo Info(EngineFixture f, string name) => f.Engine.GetInfo(s_full, name).Value!;

    private static LocalShard Shard(EngineFixture f, string name) => Assert.Single(f.Engine.CollectionForTests(name).LocalShards);

    private static (int M, int EfConstruct)? GraphOf(LocalShard shard, string vector) =>
        shard.DescribeGraphs().Where(g => g.Vector == vector).Select(g => ((int, int)?)(g.M, g.EfConstruct)).SingleOrDefault();

    private static async Task<double> RecallAsync(VectorEngine engine, string name, float[][] queries, int ef)
    {
        var hits = 0;
        foreach (var q in queries)
        {
            var exact = await engine.QueryAsync(s_full, name, Query(q, 10, new SearchParams(Exact: true)), default, default);
            var approx = await engine.QueryAsync(s_full, name, Query(q, 10, new SearchParams(HnswEf: (ulong)ef)), default, default);
            hits += approx.Value!.Select(p => p.Id).Intersect(exact.Value!.Select(p => p.Id)).Count();
        }

        return hits / (10.0 * queries.Length);
    }

    private static QueryRequest Query(float[] v, uint limit, SearchParams? p) =>
        new(new NearestQuery(new DenseVectorInput(v)), null, null, limit, 0, null, p, WithPayload.None, WithVector.None);
}
