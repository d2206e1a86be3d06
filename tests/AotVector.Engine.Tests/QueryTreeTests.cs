using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// Queries with prefetch branches over a collection with two named vectors ("a": 4-d Cosine, "b": 3-d Euclid), each
/// answer checked against a brute-force ranking computed here from the same points and the reference's formulas.
/// </summary>
public sealed class QueryTreeTests
{
    private const int Count = 150;
    private static readonly float[][] s_a = SeededRandom.Vectors(31, Count, 4);
    private static readonly float[][] s_b = SeededRandom.Vectors(32, Count, 3);
    private static readonly float[] s_qa = SeededRandom.Vectors(33, 1, 4)[0];
    private static readonly float[] s_qb = SeededRandom.Vectors(34, 1, 3)[0];

    [Fact]
    public async Task Rrf_OfTwoVectors_IsTheFusionOfTheirExactRankings()
    {
        using var f = Fixture();
        var request = Root(new FusionQuery(FusionMethod.Rrf), 10, Leaf(s_qa, "a", 20), Leaf(s_qb, "b", 25));

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var expected = BruteRrf(2, BruteA(s_qa, null).Take(20).ToList(), BruteB(s_qb, null).Take(25).ToList()).Take(10).ToList();
        Assert.Equal(expected.Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => (float)e.Score), r.Value!.Select(p => p.Score), new Close(1e-6f));
    }

    [Fact]
    public async Task Rrf_WithK_OffsetAndThreshold()
    {
        using var f = Fixture();
        var query = Root(new FusionQuery(FusionMethod.Rrf, 60), 5, Leaf(s_qa, "a", 30), Leaf(s_qb, "b", 30)) with { Offset = 3 };

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", query, default, default);

        var all = BruteRrf(60, BruteA(s_qa, null).Take(30).ToList(), BruteB(s_qb, null).Take(30).ToList());
        Assert.Equal(all.Skip(3).Take(5).Select(e => e.Id), r.Value!.Select(p => p.Id.Num));

        // The threshold keeps fused scores at or above it (inclusive, as the reference's take_while).
        var threshold = (float)all[4].Score;
        var cut = await f.Engine.QueryAsync(EngineFixture.Full, "h", query with { Offset = 0, Limit = 100, ScoreThreshold = threshold }, default, default);
        Assert.Equal(all.TakeWhile(e => (float)e.Score >= threshold).Select(e => e.Id), cut.Value!.Select(p => p.Id.Num));
    }

    [Fact]
    public async Task Dbsf_OfTwoVectors_SumsNormalisedScores()
    {
        using var f = Fixture();
        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", Root(new FusionQuery(FusionMethod.Dbsf), 10, Leaf(s_qa, "a", 20), Leaf(s_qb, "b", 20)), default, default);

        // Euclid scores are distances, normalised as they are (the reference does not flip them).
        var expected = BruteDbsf(BruteA(s_qa, null).Take(20).ToList(), BruteB(s_qb, null).Take(20).ToList()).Take(10).ToList();
        Assert.Equal(expected.Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => (float)e.Score), r.Value!.Select(p => p.Score), new Close(1e-4f));
    }

    [Fact]
    public async Task NestedPrefetch_RescoredByAVectorQuery_WithTheOuterFilterInTheLeaves()
    {
        using var f = Fixture();
        var third = new Filter(Must: [new FieldCondition("n", Match: new MatchValue(PayloadValue.FromInteger(0)))]);
        var inner = new Prefetch([Leaf(s_qa, "a", 30), Leaf(s_qb, "b", 30)], new FusionQuery(FusionMethod.Rrf), null, null, null, null, 15, null);
        var request = Root(new NearestQuery(new DenseVectorInput(s_qb)), 5, inner) with { Using = "b", Filter = third, WithPayload = WithPayload.All };

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var fused = BruteRrf(2, BruteA(s_qa, third).Take(30).ToList(), BruteB(s_qb, third).Take(30).ToList()).Take(15).Select(e => e.Id).ToHashSet();
        var expected = BruteB(s_qb, third).Where(e => fused.Contains(e.Id)).Take(5).ToList();
        Assert.Equal(expected.Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => (float)e.Score), r.Value!.Select(p => p.Score), new Close(1e-4f));
        Assert.All(r.Value!, p => Assert.Equal(0, p.Payload!["n"]!.AsInteger));
    }

    [Fact]
    public async Task PrefetchOfScrolls_AndReferencedIds_AreLeftOutEverywhere()
    {
        using var f = Fixture();

        // A branch by point id 7 excludes 7 from every branch and from the answer; a branch without a query is the
        // first points by id.
        var byId = new Prefetch([], new NearestQuery(new PointIdInput(PointId.FromNum(7))), "a", null, null, null, 10, null);
        var scroll = new Prefetch([], null, null, null, null, null, 10, null);
        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", Root(new FusionQuery(FusionMethod.Rrf), 30, byId, scroll), default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.DoesNotContain(7UL, r.Value!.Select(p => p.Id.Num));
        var nearest7 = BruteA(s_a[7], null).Where(e => e.Id != 7).Take(10).ToList();
        var first = Enumerable.Range(0, 11).Select(i => (ulong)i).Where(i => i != 7).Select(i => (Id: i, Score: 0.0)).ToList();
        Assert.Equal(BruteRrf(2, nearest7, first).Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
    }

    [Fact]
    public async Task BranchWithLookupFrom_ReadsTheOtherCollection_AndExcludesNothingHere()
    {
        using var f = Fixture();
        var created = await f.Engine.CreateAsync(EngineFixture.Full, new CreateCollectionRequest("other", new VectorsConfig(null, new Dictionary<string, VectorParams> { ["v"] = new(4, Distance.Cosine) })), default);
        Assert.True(created.IsOk);
        var elsewhere = s_a[7];
        f.Upsert("other", new PointStruct(7UL, new Dictionary<string, VectorData> { ["v"] = elsewhere }, null));

        var branch = new Prefetch([], new NearestQuery(new PointIdInput(PointId.FromNum(7))), "a", null, null, null, 10, new LookupLocation("other", "v"));
        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", Root(new FusionQuery(FusionMethod.Rrf), 10, branch), default, default);

        // Point 7 of "h" (the same vector) comes back first: the id named a point of the other collection.
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.Equal(7UL, r.Value![0].Id.Num);
        Assert.Equal(BruteA(elsewhere, null).Take(10).Select(e => e.Id), r.Value!.Select(p => p.Id.Num));

        // A branch naming a vector the collection does not have is a 400, not a failure of the tree.
        var unknown = await f.Engine.QueryAsync(EngineFixture.Full, "h", Root(new FusionQuery(FusionMethod.Rrf), 10, Leaf(s_qa, "zzz", 10)), default, default);
        Assert.Equal(ErrorKind.BadRequest, unknown.Error.Kind);
        Assert.Contains("zzz", unknown.Error.Message);
    }

    [Fact]
    public async Task BadTrees_AreRefusedWithTheReferenceWords()
    {
        using var f = Fixture();
        var leaf = Leaf(s_qa, "a", 10);
        var cases = new (QueryRequest Request, string Message)[]
        {
            (Root(null, 10, leaf), "Bad request: A query is needed to merge the prefetches. Can't have prefetches without defining a query."),
            (Root(new FusionQuery(FusionMethod.Rrf), 10), "Wrong input: Validation failed: cannot apply Fusion without prefetches"),
            (Root(new FusionQuery(FusionMethod.Rrf), 10, leaf) with { Using = "a" }, "Bad request: Fusion queries cannot be combined with the 'using' field."),
            (Root(new FusionQuery(FusionMethod.Rrf, 2, [1f]), 10, leaf, leaf), "Wrong input: Validation failed: Number of weights in RRF should match number of pre-fetches: got 1, expected 2"),
            (Root(new FusionQuery(FusionMethod.Rrf, 2, [1f, float.NaN]), 10, leaf, leaf), "Wrong input: query.rrf.weights: RRF weights must be finite numbers"),
            (Root(new FusionQuery(FusionMethod.Rrf, 0), 10, leaf, leaf), "Wrong input: query.rrf.k: value 0 invalid, must be 1 or larger"),
            (Root(new FusionQuery(FusionMethod.Rrf), 10, leaf, leaf with { Prefetches = [leaf with { Limit = 0 }] }), "Wrong input: prefetch[1].prefetch[0].limit: value 0 invalid, must be 1 or larger"),
            (Root(new FusionQuery(FusionMethod.Rrf), 10, leaf, new Prefetch([leaf], null, null, null, null, null, 10, null)), "Bad request: A query is needed to merge the prefetches. Can't have prefetches without defining a query."),
            (Root(new FusionQuery(FusionMethod.Rrf), 10, leaf with { ScoreThreshold = 0.5f, Query = null }), "Bad request: A query is needed to use the score_threshold. Can't have score_threshold without defining a query."),
            (Root(new FusionQuery(FusionMethod.Rrf), 10, leaf with { Limit = 600_000 }, leaf with { Limit = 400_001 }), "Wrong input: prefetch[1].limit: the prefetch limits add up to 1000001, more than 1000000"),
            (Root(new FusionQuery(FusionMethod.Rrf), 10, Chain(RequestRules.MaxPrefetchDepth + 1)), "Wrong input: Validation failed: prefetches depth 65 exceeds max depth 64 at " + string.Join('.', Enumerable.Repeat("prefetch[0]", 65))),
        };

        foreach (var (request, message) in cases)
        {
            var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", request, default, default);
            Assert.False(r.IsOk, message);
            Assert.Equal((ErrorKind.BadRequest, message), (r.Error.Kind, r.Error.Message));
        }

        // 64 levels is the most, and runs.
        var deepest = await f.Engine.QueryAsync(EngineFixture.Full, "h", Root(new FusionQuery(FusionMethod.Rrf), 10, Chain(RequestRules.MaxPrefetchDepth)), default, default);
        Assert.True(deepest.IsOk, deepest.IsOk ? null : deepest.Error.Message);
        Assert.Equal(BruteA(s_qa, null).Take(10).Select(e => e.Id), deepest.Value!.Select(p => p.Id.Num));
    }

    [Fact]
    public async Task CancelledOrTimedOut_TheWholeTreeStops()
    {
        using var f = Fixture();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var request = Root(new FusionQuery(FusionMethod.Rrf), 10, Leaf(s_qa, "a", 20), Leaf(s_qb, "b", 20));

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", request, default, cancelled.Token);
        Assert.Equal(ErrorKind.Cancelled, r.Error.Kind);
        var timedOut = await f.Engine.QueryBatchAsync(EngineFixture.Full, "h", [request], new ReadOptions(TimeSpan.Zero), default);
        Assert.Equal(ErrorKind.Timeout, timedOut.Error.Kind);
    }

    // A chain of `levels` branches below the root; only the innermost searches ("a", the query vector).
    private static Prefetch Chain(int levels)
    {
        var node = Leaf(s_qa, "a", 10);
        for (var i = 1; i < levels; i++)
        {
            node = new Prefetch([node], new FusionQuery(FusionMethod.Rrf), null, null, null, null, 10, null);
        }

        return node;
    }

    private static EngineFixture Fixture()
    {
        var f = new EngineFixture();
        var named = new Dictionary<string, VectorParams> { ["a"] = new(4, Distance.Cosine), ["b"] = new(3, Distance.Euclid) };
        var created = f.Engine.CreateAsync(EngineFixture.Full, new CreateCollectionRequest("h", new VectorsConfig(null, named)), default).AsTask().Result;
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
        f.Upsert("h", [.. Enumerable.Range(0, Count).Select(i => new PointStruct(
            (ulong)i,
            new Dictionary<string, VectorData> { ["a"] = s_a[i], ["b"] = s_b[i] },
            new Payload { ["n"] = PayloadValue.FromInteger(i % 3) }))]);
        return f;
    }

    private static Prefetch Leaf(float[] vector, string name, uint limit) =>
        new([], new NearestQuery(new DenseVectorInput(vector)), name, null, new SearchParams(Exact: true), null, limit, null);

    private static QueryRequest Root(QueryInput? query, uint limit, params Prefetch[] prefetches) =>
        new(query, null, null, limit, 0, null, null, WithPayload.None, WithVector.None, null, prefetches);

    // Cosine similarity on "a", best first, ties to the smaller id.
    private static List<(ulong Id, double Score)> BruteA(float[] q, Filter? filter) =>
        [.. Matching(filter).Select(i => ((ulong)i, Cosine(q, s_a[i]))).OrderByDescending(e => e.Item2).ThenBy(e => e.Item1)];

    // Euclid distance on "b", nearest first.
    private static List<(ulong Id, double Score)> BruteB(float[] q, Filter? filter) =>
        [.. Matching(filter).Select(i => ((ulong)i, Math.Sqrt(q.Zip(s_b[i], (x, y) => (double)(x - y) * (x - y)).Sum()))).OrderBy(e => e.Item2).ThenBy(e => e.Item1)];

    private static IEnumerable<int> Matching(Filter? filter) => Enumerable.Range(0, Count).Where(i => filter is null || i % 3 == 0);

    private static double Cosine(float[] x, float[] y)
    {
        double dot = 0, nx = 0, ny = 0;
        for (var i = 0; i < x.Length; i++)
        {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }

        return dot / Math.Sqrt(nx * ny);
    }

    // In float and in list order, as the reference adds, so that equal sums tie here as they do there.
    private static List<(ulong Id, double Score)> BruteRrf(int k, params List<(ulong Id, double Score)>[] lists)
    {
        var sums = new Dictionary<ulong, float>();
        foreach (var list in lists)
        {
            for (var pos = 0; pos < list.Count; pos++)
            {
                sums[list[pos].Id] = sums.GetValueOrDefault(list[pos].Id) + (1f / (pos + k));
            }
        }

        return [.. sums.Select(kv => (kv.Key, (double)kv.Value)).OrderByDescending(e => e.Item2).ThenBy(e => e.Key)];
    }

    private static List<(ulong Id, double Score)> BruteDbsf(params List<(ulong Id, double Score)>[] lists)
    {
        var sums = new Dictionary<ulong, double>();
        foreach (var list in lists)
        {
            var mean = list.Average(e => e.Score);
            var sd = Math.Sqrt(list.Sum(e => (e.Score - mean) * (e.Score - mean)) / (list.Count - 1));
            foreach (var (id, score) in list)
            {
                sums[id] = sums.GetValueOrDefault(id) + ((score - (mean - (3 * sd))) / (6 * sd));
            }
        }

        return [.. sums.Select(kv => (kv.Key, kv.Value)).OrderByDescending(e => e.Value).ThenBy(e => e.Key)];
    }

    private sealed class Close(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
