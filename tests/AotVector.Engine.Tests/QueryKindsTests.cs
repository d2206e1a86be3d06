using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// The query kinds beyond nearest, recommend and fusion, each against a brute-force answer computed here with the
/// reference's formulas: discovery and context scores (dense, sparse, multivector, by vector and by id, at the top and
/// as a node over prefetches), order_by on scroll and query (ties, arrays, start_from), and random samples. Several
/// segments: <see cref="QueryKindsShardTests"/>.
/// </summary>
public sealed class QueryKindsTests
{
    private const int Count = 150;
    private const float Margin = 1.1920929E-07f;
    private static readonly float[][] s_a = SeededRandom.Vectors(41, Count, 4);
    private static readonly float[][] s_b = SeededRandom.Vectors(42, Count, 3);
    private static readonly float[] s_q = SeededRandom.Vectors(43, 1, 4)[0];

    [Fact]
    public async Task Discover_ByVectorAndIds_RanksByContextThenTarget()
    {
        using var f = Fixture();
        var pairs = new[] { Pair(3, 9), Pair(20, 40) };
        var request = Query(new DiscoverQuery(new DenseVectorInput(s_q), pairs), "a", 10);

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var expected = Brute(Enumerable.Range(0, Count).Where(i => i is not (3 or 9 or 20 or 40)), i => DiscoverScore(CosineA, i, Normalized(s_q), [(s_a[3], s_a[9]), (s_a[20], s_a[40])])).Take(10).ToList();
        Assert.Equal(expected.Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => e.Score), r.Value!.Select(p => p.Score), new Close(1e-5f));

        // The integer part is the context rank: with two pairs the best points score in (2, 3).
        Assert.InRange(r.Value![0].Score, 2f, 3f);
    }

    [Fact]
    public async Task Context_OnEuclid_SumsThePairLosses_AndIsNeverPositive()
    {
        using var f = Fixture();
        var p0 = s_b[5];
        var n0 = s_b[6];
        var pairs = new[] { new ContextPair(new DenseVectorInput(p0), new DenseVectorInput(n0)), new ContextPair(new PointIdInput(PointId.FromNum(7)), new DenseVectorInput(s_b[8])) };
        var request = Query(new ContextQuery(pairs), "b", 15) with { Filter = EveryThird };

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var expected = Brute(Enumerable.Range(0, Count).Where(i => i % 3 == 0 && i != 7), i =>
            ContextLoss(EuclidB(i, p0), EuclidB(i, n0)) + ContextLoss(EuclidB(i, s_b[7]), EuclidB(i, s_b[8]))).Take(15).ToList();
        Assert.Equal(expected.Select(e => e.Score), r.Value!.Select(p => p.Score), new Close(1e-5f));
        Assert.All(r.Value!, p => Assert.True(p.Score <= 0f));
        Assert.All(r.Value!, p => Assert.True(p.Id.Num % 3 == 0 && p.Id.Num != 7));
    }

    [Fact]
    public async Task Discover_AsANode_RanksOnlyWhatThePrefetchFound()
    {
        using var f = Fixture();
        var leaf = new Prefetch([], new NearestQuery(new DenseVectorInput(s_q)), "a", null, new SearchParams(Exact: true), null, 30, null);
        var request = Query(new DiscoverQuery(new PointIdInput(PointId.FromNum(11)), [Pair(1, 2)]), "a", 5) with { Prefetch = [leaf] };

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);

        // Ids named anywhere in the tree are left out of every branch, as the reference does.
        var found = Brute(Enumerable.Range(0, Count).Where(i => i is not (1 or 2 or 11)), i => CosineA(i, Normalized(s_q))).Take(30).Select(e => (int)e.Id).ToList();
        var expected = Brute(found, i => DiscoverScore(CosineA, i, s_a[11], [(s_a[1], s_a[2])])).Take(5).ToList();
        Assert.Equal(expected.Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
    }

    [Fact]
    public async Task Discover_OnSparseAndMultiVectors_UsesTheirSimilarities()
    {
        using var f = new EngineFixture();
        var request = new CreateCollectionRequest("s", new VectorsConfig(null, new Dictionary<string, VectorParams>
        {
            ["m"] = new(2, Distance.Dot, MultivectorConfig: new MultiVectorConfig(MultiVectorComparator.MaxSim)),
        }))
        {
            SparseVectors = new Dictionary<string, SparseVectorParams> { ["t"] = new(null, null) },
        };
        Assert.True((await f.Engine.CreateAsync(EngineFixture.Full, request, default)).IsOk);
        var sparse = new SparseVector[40];
        var multi = new float[40][];
        var rows = SeededRandom.Vectors(44, 80, 2);
        for (var i = 0; i < 40; i++)
        {
            sparse[i] = new SparseVector([(uint)(i % 5), (uint)(5 + (i % 3))], [1f + (i % 4), 0.5f * (i % 7)]);
            multi[i] = [.. rows[2 * i], .. rows[(2 * i) + 1]];
            f.Upsert("s", new PointStruct((ulong)i, new Dictionary<string, VectorData> { ["t"] = sparse[i], ["m"] = new MultiDenseVector(multi[i], 2) }, null));
        }

        var target = new SparseVector([0, 6], [1f, 2f]);
        var r = await f.Engine.QueryAsync(EngineFixture.Full, "s", Query(new DiscoverQuery(new SparseVectorInput(target), [new ContextPair(new PointIdInput(PointId.FromNum(1)), new PointIdInput(PointId.FromNum(2)))]), "t", 10), default, default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var expected = Brute(Enumerable.Range(0, 40).Where(i => i is not (1 or 2)), i =>
            (Side(SparseDot(sparse[i], sparse[1]), SparseDot(sparse[i], sparse[2])) + Scaled(SparseDot(sparse[i], target))));
        Assert.Equal(expected.Take(10).Select(e => e.Score), r.Value!.Select(p => p.Score), new Close(1e-5f));

        var m = await f.Engine.QueryAsync(EngineFixture.Full, "s", Query(new ContextQuery([new ContextPair(new PointIdInput(PointId.FromNum(3)), new PointIdInput(PointId.FromNum(4)))]), "m", 10), default, default);
        Assert.True(m.IsOk, m.IsOk ? null : m.Error.Message);
        var expectedMulti = Brute(Enumerable.Range(0, 40).Where(i => i is not (3 or 4)), i => ContextLoss(MaxSim(multi[3], multi[i]), MaxSim(multi[4], multi[i])));
        Assert.Equal(expectedMulti.Take(10).Select(e => e.Score), m.Value!.Select(p => p.Score), new Close(1e-5f));
    }

    [Fact]
    public async Task Discover_WithAMissingId_IsNotFound()
    {
        using var f = Fixture();
        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", Query(new DiscoverQuery(new DenseVectorInput(s_q), [Pair(1, 9999)]), "a", 5), default, default);
        Assert.Equal(ErrorKind.NotFound, r.Error.Kind);
    }

    [Theory]
    [InlineData(OrderDirection.Asc)]
    [InlineData(OrderDirection.Desc)]
    public async Task OrderByScroll_PagesThroughTiesWithStartFromAndAFilter(OrderDirection direction)
    {
        using var f = Fixture();
        await Index(f, "p", PayloadSchemaType.Integer);

        // Brute force: every point with a value, by (value, id) in the direction; 11 values for 150 points, many ties.
        var all = Enumerable.Range(0, Count).Where(i => i % 10 != 9).Select(i => (Value: (long)(i % 11), Id: (ulong)i));
        var expected = direction == OrderDirection.Asc
            ? all.OrderBy(e => e.Value).ThenBy(e => e.Id).ToList()
            : all.OrderByDescending(e => e.Value).ThenByDescending(e => e.Id).ToList();

        // The reference's paging: start_from the last value seen, and leave out the ids already seen with it.
        var got = new List<(long Value, ulong Id)>();
        OrderValue? from = null;
        var seenAtLast = new List<PointId>();
        for (var page = 0; page < 100; page++)
        {
            var filter = seenAtLast.Count == 0 ? null : new Filter(MustNot: [new HasIdCondition(seenAtLast.ToHashSet())]);
            var r = await f.Engine.ScrollAsync(EngineFixture.Full, "h", new ScrollRequest(filter, 7, null, WithPayload.None, WithVector.None, new OrderBy("p", direction, from)), default);
            Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
            Assert.Null(r.Value!.NextPageOffset);
            if (r.Value.Points.Count == 0)
            {
                break;
            }

            foreach (var p in r.Value.Points)
            {
                var value = p.OrderValue!.Value;
                Assert.True(value.IsInteger);
                got.Add((value.Integer, p.Id.Num));
                if (from is not { } last || value != last)
                {
                    seenAtLast.Clear();
                    from = value;
                }

                seenAtLast.Add(p.Id);
            }
        }

        Assert.Equal(expected, got);
    }

    [Fact]
    public async Task OrderBy_ArraysComeOncePerValue_FloatsAndStartFrom_AndTheQueryForm()
    {
        using var f = new EngineFixture();
        Assert.True((await f.Engine.CreateAsync(EngineFixture.Full, new CreateCollectionRequest("o", new VectorsConfig(new VectorParams(2, Distance.Dot), null)), default)).IsOk);
        var values = new Dictionary<ulong, double[]> { [1] = [2.5, 0.5], [2] = [1.5], [3] = [2.5, 2.5], [4] = [], [5] = [-1], [6] = [7, 1.5] };
        foreach (var (id, v) in values)
        {
            var payload = new Payload { ["x"] = v.Length == 1 ? PayloadValue.FromDouble(v[0]) : PayloadValue.FromArray([.. v.Select(PayloadValue.FromDouble)]) };
            f.Upsert("o", new PointStruct(id, new Dictionary<string, VectorData> { [""] = new float[] { 1, 0 } }, payload));
        }

        var noIndex = await f.Engine.ScrollAsync(EngineFixture.Full, "o", new ScrollRequest(null, 10, null, WithPayload.None, WithVector.None, new OrderBy("x")), default);
        Assert.Equal("Wrong input: No range index for `order_by` key: `x`. Please create one to use `order_by`. Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Range conditions", noIndex.Error.Message);
        await Index(f, "x", PayloadSchemaType.Float, "o");

        var r = await f.Engine.ScrollAsync(EngineFixture.Full, "o", new ScrollRequest(null, 10, null, WithPayload.All, WithVector.None, new OrderBy("x", OrderDirection.Desc, OrderValue.Of(2L))), default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.Equal([(1.5, 6UL), (1.5, 2UL), (0.5, 1UL), (-1, 5UL)], r.Value!.Points.Select(p => (p.OrderValue!.Value.Float, p.Id.Num)));
        Assert.NotNull(r.Value.Points[0].Payload);

        var withOffset = await f.Engine.ScrollAsync(EngineFixture.Full, "o", new ScrollRequest(null, 10, PointId.FromNum(1), WithPayload.None, WithVector.None, new OrderBy("x")), default);
        Assert.StartsWith("Wrong input: Cannot use an `offset` when using `order_by`.", withOffset.Error.Message);

        var q = await f.Engine.QueryAsync(EngineFixture.Full, "o", new QueryRequest(new OrderByQuery(new OrderBy("x")), null, null, 4, 1, null, null, WithPayload.None, WithVector.None), default, default);
        Assert.True(q.IsOk, q.IsOk ? null : q.Error.Message);
        Assert.Equal([(0.5, 1UL), (1.5, 2UL), (1.5, 6UL), (2.5, 1UL)], q.Value!.Select(p => (p.OrderValue!.Value.Float, p.Id.Num)));
        Assert.All(q.Value!, p => Assert.Equal(1f, p.Score));
    }

    [Fact]
    public async Task OrderBy_AsANode_OrdersThePrefetchedPoints()
    {
        using var f = Fixture();
        await Index(f, "p", PayloadSchemaType.Integer);
        var leaf = new Prefetch([], new NearestQuery(new DenseVectorInput(s_q)), "a", null, new SearchParams(Exact: true), null, 20, null);
        var request = new QueryRequest(new OrderByQuery(new OrderBy("p", OrderDirection.Desc)), null, null, 50, 0, null, null, WithPayload.None, WithVector.None, null, [leaf]);

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var found = Brute(Enumerable.Range(0, Count), i => CosineA(i, Normalized(s_q))).Take(20).Select(e => (int)e.Id).Where(i => i % 10 != 9);
        var expected = found.Select(i => (Value: (long)(i % 11), Id: (ulong)i)).OrderByDescending(e => e.Value).ThenByDescending(e => e.Id).ToList();
        Assert.Equal(expected, r.Value!.Select(p => (p.OrderValue!.Value.Integer, p.Id.Num)));
    }

    [Fact]
    public async Task Sample_ReturnsDistinctMatchingPoints_InChangingOrder()
    {
        using var f = Fixture();
        var orders = new HashSet<string>();
        var seen = new HashSet<ulong>();
        for (var i = 0; i < 20; i++)
        {
            var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", new QueryRequest(new SampleQuery(), null, EveryThird, 10, 0, null, null, WithPayload.All, WithVector.None), default, default);
            Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
            Assert.Equal(10, r.Value!.Count);
            Assert.Equal(10, r.Value.Select(p => p.Id).Distinct().Count());
            Assert.All(r.Value, p => Assert.Equal(0UL, p.Id.Num % 3));
            Assert.All(r.Value, p => Assert.NotNull(p.Payload));
            orders.Add(string.Join(',', r.Value.Select(p => p.Id.Num)));
            seen.UnionWith(r.Value.Select(p => p.Id.Num));
        }

        // 20 samples of 10 out of 50 matches: the same list every time, or only a corner of the matches, would be a bug.
        Assert.True(orders.Count > 1);
        Assert.True(seen.Count > 30, $"only {seen.Count} of 50 points ever sampled");

        // More wanted than match: all of them, once each.
        var every = await f.Engine.QueryAsync(EngineFixture.Full, "h", new QueryRequest(new SampleQuery(), null, EveryThird, 100, 0, null, null, WithPayload.None, WithVector.None), default, default);
        Assert.Equal(Enumerable.Range(0, Count).Where(i => i % 3 == 0).Select(i => (ulong)i), every.Value!.Select(p => p.Id.Num).Order());
    }

    private static readonly Filter EveryThird = new(Must: [new FieldCondition("n", Match: new MatchValue(PayloadValue.FromInteger(0)))]);

    private static ContextPair Pair(ulong positive, ulong negative) =>
        new(new PointIdInput(PointId.FromNum(positive)), new PointIdInput(PointId.FromNum(negative)));

    private static QueryRequest Query(QueryInput query, string vector, uint limit) =>
        new(query, vector, null, limit, 0, null, new SearchParams(Exact: true), WithPayload.None, WithVector.None);

    private static EngineFixture Fixture()
    {
        var f = new EngineFixture();
        var named = new Dictionary<string, VectorParams> { ["a"] = new(4, Distance.Cosine), ["b"] = new(3, Distance.Euclid) };
        var created = f.Engine.CreateAsync(EngineFixture.Full, new CreateCollectionRequest("h", new VectorsConfig(null, named)), default).AsTask().Result;
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
        f.Upsert("h", [.. Enumerable.Range(0, Count).Select(i =>
        {
            var payload = new Payload { ["n"] = PayloadValue.FromInteger(i % 3) };
            if (i % 10 != 9)
            {
                payload["p"] = PayloadValue.FromInteger(i % 11);
            }

            return new PointStruct((ulong)i, new Dictionary<string, VectorData> { ["a"] = s_a[i], ["b"] = s_b[i] }, payload);
        })]);
        return f;
    }

    private static async Task Index(EngineFixture f, string field, PayloadSchemaType type, string collection = "h")
    {
        var created = await f.Engine.UpdateAsync(EngineFixture.Full, collection, new CreateFieldIndex(field, type), new WriteOptions(true), default);
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
    }

    // Best first, ties to the smaller id (as the engine orders hits).
    private static List<(ulong Id, float Score)> Brute(IEnumerable<int> points, Func<int, float> score) =>
        [.. points.Select(i => ((ulong)i, score(i))).OrderByDescending(e => e.Item2).ThenBy(e => e.Item1)];

    private static float DiscoverScore(Func<int, float[], float> similarity, int i, float[] target, (float[] Positive, float[] Negative)[] pairs)
    {
        var rank = pairs.Sum(p => Side(similarity(i, p.Positive), similarity(i, p.Negative)));
        return rank + Scaled(similarity(i, target));
    }

    private static int Side(float positive, float negative) => positive > negative ? 1 : positive < negative ? -1 : 0;

    private static float Scaled(float x) => 0.5f * ((x / (1 + Math.Abs(x))) + 1);

    private static float ContextLoss(float positive, float negative)
    {
        var d = Math.Min(positive - negative - Margin, 0f);
        return d / (1 + Math.Abs(d));
    }

    // Raw similarities as the reference's scorers compute them: stored Cosine vectors are unit length.
    private static float CosineA(int i, float[] other) => Dot(Normalized(s_a[i]), Normalized(other));

    private static float EuclidB(int i, float[] other) => -s_b[i].Zip(other, (x, y) => (x - y) * (x - y)).Sum();

    private static float Dot(float[] x, float[] y) => x.Zip(y, (a, b) => a * b).Sum();

    private static float[] Normalized(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    private static float SparseDot(SparseVector a, SparseVector b) =>
        a.Indices.Select((d, k) => (d, k)).Sum(x => Array.IndexOf(b.Indices, x.d) is var j and >= 0 ? a.Values[x.k] * b.Values[j] : 0f);

    private static float MaxSim(float[] query, float[] stored)
    {
        var sum = 0f;
        for (var q = 0; q < query.Length; q += 2)
        {
            var best = float.NegativeInfinity;
            for (var s = 0; s < stored.Length; s += 2)
            {
                best = Math.Max(best, (query[q] * stored[s]) + (query[q + 1] * stored[s + 1]));
            }

            sum += best;
        }

        return sum;
    }

    private sealed class Close(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
