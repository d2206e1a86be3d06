using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Engine.Shards;
using AotVector.Segment;
using AotVector.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Engine.Tests;

/// <summary>
/// A read whose caller went away stops working: shards stop at their next check and hand back a partial answer, which
/// the collection turns into a Cancelled error; a request's own timeout turns into Qdrant's Timeout error.
/// </summary>
public sealed class CancellationTests
{
    private const int Dim = 32;

    private static readonly CancellationToken s_cancelled = new(canceled: true);

    [Fact]
    public void ShardReads_FindingTheTokenCancelled_StopAtTheirFirstCheck()
    {
        using var dir = new TempDirectory("cancel");
        using var shard = Open(dir);
        Upsert(shard, count: 3000, firstId: 0);

        // Two sealed segments with graphs, and an appendable one: every kind of search path is there.
        var policy = new OptimizerPolicy(1, 1_000_000, 2, 0.2, 10, _ => new IndexingPolicy(1, 8, 32));
        for (var i = 0; i < 100 && shard.Optimize(policy, 1, default); i++)
        {
        }

        Upsert(shard, count: 2000, firstId: 10_000);
        var query = SeededRandom.Vectors(5, 1, Dim)[0];
        var filter = new Filter(Must: [new FieldCondition("n", Match: new MatchAny(null, [0, 1, 2, 3, 4]))]);
        const int all = 10_000;

        Assert.Equal(5000, shard.Search(Search(query, null, all, exact: true), default).Count);
        Assert.Empty(shard.Search(Search(query, null, all, exact: true), s_cancelled));
        Assert.Empty(shard.Search(Search(query, filter, all, exact: true), s_cancelled));
        Assert.Empty(shard.SearchByExamples(Examples(query, null, all), s_cancelled));
        Assert.Equal(0UL, shard.Count(filter, s_cancelled));
        Assert.Empty(shard.ScrollIds(filter, null, all, s_cancelled));

        // The graph walk reads the token at its first expansion: at most its entry point is collected.
        Assert.True(shard.Search(Search(query, null, 10, exact: false), s_cancelled).Count <= 1);
    }

    [Fact]
    public async Task ExampleScoring_CancelledMidway_StopsFarBeforeItsEnd()
    {
        using var dir = new TempDirectory("cancel");
        using var shard = Open(dir);
        const int points = 20_000;
        Upsert(shard, points, firstId: 0);

        // Every point scored against 300 examples: the whole pass is about two hundred million multiply-adds, and with
        // the limit at every point, the hits handed back count how far it got.
        var examples = Examples(SeededRandom.Vectors(6, 1, Dim)[0], null, points) with { Positives = SeededRandom.Vectors(7, 300, Dim) };
        Assert.Equal(points, shard.SearchByExamples(examples, default).Count);

        using var cts = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        var search = Task.Run(() =>
        {
            started.Set();
            return shard.SearchByExamples(examples, cts.Token);
        });
        started.Wait();
        await cts.CancelAsync();
        var partial = await search;
        Assert.True(partial.Count < points / 2, $"the cancelled pass scored {partial.Count} of {points} points");
    }

    [Fact]
    public async Task Query_CancelledByItsCaller_AnswersCancelled()
    {
        using var f = new EngineFixture();
        f.CreateCollection("c", Dim, Distance.Cosine);
        f.Upsert("c", [.. SeededRandom.Vectors(8, 100, Dim).Select((v, i) => EngineFixture.Point((ulong)i, v))]);

        var query = Query(SeededRandom.Vectors(9, 1, Dim)[0]);
        var result = await f.Engine.QueryAsync(EngineFixture.Full, "c", query, default, s_cancelled);
        Assert.Equal(ErrorKind.Cancelled, result.Error.Kind);
        var batch = await f.Engine.QueryBatchAsync(EngineFixture.Full, "c", [query, query], new ReadOptions(TimeSpan.FromSeconds(30)), s_cancelled);
        Assert.Equal(ErrorKind.Cancelled, batch.Error.Kind);
        var count = await f.Engine.CountAsync(EngineFixture.Full, "c", new CountRequest(new Filter(Must: [new HasIdCondition(new HashSet<PointId> { PointId.FromNum(1) })]), true), s_cancelled);
        Assert.Equal(ErrorKind.Cancelled, count.Error.Kind);
        var scroll = await f.Engine.ScrollAsync(EngineFixture.Full, "c", new ScrollRequest(null, 10, null, WithPayload.None, WithVector.None), s_cancelled);
        Assert.Equal(ErrorKind.Cancelled, scroll.Error.Kind);

        // The same calls with a live token answer.
        Assert.Equal(10, (await f.Engine.QueryAsync(EngineFixture.Full, "c", query, new ReadOptions(TimeSpan.FromSeconds(30)), default)).Value!.Count);
        Assert.Equal(1UL, (await f.Engine.CountAsync(EngineFixture.Full, "c", new CountRequest(new Filter(Must: [new HasIdCondition(new HashSet<PointId> { PointId.FromNum(1) })]), true), default)).Value);
    }

    [Fact]
    public async Task Query_PastItsTimeout_AnswersQdrantsTimeoutError()
    {
        using var f = new EngineFixture();
        f.CreateCollection("t", Dim, Distance.Dot);
        f.Upsert("t", [.. SeededRandom.Vectors(10, 100, Dim).Select((v, i) => EngineFixture.Point((ulong)i, v))]);

        // A zero timeout (gRPC allows it) has run out before the search starts.
        var query = Query(SeededRandom.Vectors(11, 1, Dim)[0]);
        var result = await f.Engine.QueryAsync(EngineFixture.Full, "t", query, new ReadOptions(TimeSpan.Zero), default);
        Assert.Equal(ErrorKind.Timeout, result.Error.Kind);
        Assert.Equal("Timeout: Timeout error: Operation 'Search' timed out after 0s", result.Error.Message);

        var batch = await f.Engine.QueryBatchAsync(EngineFixture.Full, "t", [query], new ReadOptions(TimeSpan.Zero), default);
        Assert.Equal("Timeout: Timeout error: Operation 'Search' timed out after 0s", batch.Error.Message);
        var scroll = await f.Engine.QueryAsync(EngineFixture.Full, "t", query with { Query = null }, new ReadOptions(TimeSpan.Zero), default);
        Assert.Equal("Timeout: Timeout error: Operation 'Query scroll' timed out after 0s", scroll.Error.Message);
    }

    private static LocalShard Open(TempDirectory dir) =>
        LocalShard.Create(dir.Path, 0, new VectorsConfig(new VectorParams(Dim, Distance.Dot), null), WalConfig.Default, NullLogger.Instance);

    private static void Upsert(LocalShard shard, int count, ulong firstId)
    {
        var vectors = SeededRandom.Vectors((int)firstId + 1, count, Dim);
        var points = vectors.Select((v, i) => new PointStruct(
            PointId.FromNum(firstId + (ulong)i),
            new Dictionary<string, VectorData> { [""] = v },
            new Payload { ["n"] = PayloadValue.FromInteger(i % 20) })).ToArray();
        Assert.True(shard.Update(new UpsertPoints(points), wait: true).IsOk);
    }

    private static ShardSearch Search(float[] query, Filter? filter, int limit, bool exact) =>
        new("", query, filter, limit, exact, 32, 10);

    private static ShardExampleSearch Examples(float[] example, Filter? filter, int limit) =>
        new("", RecommendStrategy.BestScore, [example], [], filter, limit);

    private static QueryRequest Query(float[] vector) =>
        new(new NearestQuery(new DenseVectorInput(vector)), null, null, 10, 0, null, null, WithPayload.None, WithVector.None);
}
