using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Kernels.Distance;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// Formula queries over prefetch branches and MMR re-ranking, each against a brute-force answer computed here, on one
/// shard and on three (where every shard ranks its own points and the root merges, so the answers must agree).
/// </summary>
public sealed class FormulaAndMmrTests
{
    private const int Count = 120;
    private static readonly float[][] s_v = SeededRandom.Vectors(71, Count, 4);
    private static readonly float[][] s_e = SeededRandom.Vectors(72, Count, 3);
    private static readonly float[] s_q = SeededRandom.Vectors(73, 1, 4)[0];

    // Over three shards each shard's branches find its own best points, so the branches there take every point to
    // make the candidates (and the answer) the same as over one shard.
    [Theory]
    [InlineData(1u, 30, 20)]
    [InlineData(1u, Count, Count)]
    [InlineData(3u, Count, Count)]
    public async Task Formula_OverTwoBranches_ScoresTheirUnionByTheFormula(uint shards, int denseLimit, int euclidLimit)
    {
        using var f = Fixture(shards);
        var dense = Leaf(new NearestQuery(new DenseVectorInput(s_q)), "v", (uint)denseLimit);
        var euclid = Leaf(new NearestQuery(new DenseVectorInput(s_e[0])), "e", (uint)euclidLimit);

        // 0.5·$score + price·0.1 (default 0) + 2 when tag is "a" + 1/(1+|$score[1]|), those over 0.3 kept.
        var formula = new SumExpression(
        [
            new MultExpression([new VariableExpression("$score"), new ConstantExpression(0.5f)]),
            new MultExpression([new VariableExpression("price"), new ConstantExpression(0.1f)]),
            new MultExpression([new ConstantExpression(2f), new ConditionExpression(new FieldCondition("tag", Match: new MatchValue(PayloadValue.FromString("a"))))]),
            new DivExpression(new ConstantExpression(1f), new SumExpression([new ConstantExpression(1f), new UnaryExpression(UnaryFunction.Abs, new VariableExpression("$score[1]"))]), null),
        ]);
        var request = new QueryRequest(new FormulaQuery(formula, new Dictionary<string, PayloadValue> { ["price"] = PayloadValue.FromInteger(0) }), null, null, 15, 0, 0.3f, null, WithPayload.None, WithVector.None, Prefetch: [dense, euclid]);

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "f", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var first = Top(i => Cosine(s_v[i], s_q), denseLimit, largerBetter: true);
        var second = Top(i => Euclid(s_e[i], s_e[0]), euclidLimit, largerBetter: false);
        var expected = first.Keys.Union(second.Keys)
            .Select(i => (Id: (ulong)i, Score: (float)((0.5 * (first.TryGetValue(i, out var s0) ? (double)s0 : 0))
                + ((double)0.1f * (Price(i) ?? 0))
                + (Tag(i) == "a" ? 2 : 0)
                + (1 / (1 + Math.Abs(second.TryGetValue(i, out var s1) ? (double)s1 : 0))))))
            .Where(e => e.Score >= 0.3f)
            .OrderByDescending(e => e.Score).ThenBy(e => e.Id).Take(15).ToList();
        Assert.Equal(expected.Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => e.Score), r.Value!.Select(p => p.Score), new Close(1e-4f));
    }

    [Fact]
    public async Task Formula_InsideAPrefetch_FeedsItsParent()
    {
        using var f = Fixture(1);
        var inner = new Prefetch([Leaf(new NearestQuery(new DenseVectorInput(s_q)), "v", 40)], new FormulaQuery(new VariableExpression("price"), new Dictionary<string, PayloadValue> { ["price"] = PayloadValue.FromInteger(-1) }), null, null, null, null, 10, null);
        var request = new QueryRequest(new FusionQuery(FusionMethod.Rrf), null, null, 10, 0, null, null, WithPayload.All, WithVector.None, Prefetch: [inner]);

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "f", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var near = Top(i => Cosine(s_v[i], s_q), 40, largerBetter: true).Keys;
        var expected = near.Select(i => (Id: (ulong)i, Price: Price(i) ?? -1)).OrderByDescending(e => e.Price).ThenBy(e => e.Id).Take(10).Select(e => e.Id);
        Assert.Equal(expected, r.Value!.Select(p => p.Id.Num));
    }

    [Fact]
    public async Task Formula_Errors_AreTheReferences()
    {
        using var f = Fixture(1);
        var leaf = Leaf(new NearestQuery(new DenseVectorInput(s_q)), "v", 40);

        var noPrefetch = await f.Engine.QueryAsync(EngineFixture.Full, "f", new QueryRequest(new FormulaQuery(new ConstantExpression(1), new Dictionary<string, PayloadValue>()), null, null, 10, 0, null, null, WithPayload.None, WithVector.None), default, default);
        Assert.Equal("Wrong input: Validation failed: cannot apply Formula without prefetches", noPrefetch.Error.Message);

        // Some points have no price and there is no default.
        var missing = await f.Engine.QueryAsync(EngineFixture.Full, "f", new QueryRequest(new FormulaQuery(new VariableExpression("price"), new Dictionary<string, PayloadValue>()), null, null, 10, 0, null, null, WithPayload.None, WithVector.None, Prefetch: [leaf]), default, default);
        Assert.Equal(ErrorKind.BadRequest, missing.Error.Kind);
        Assert.Equal("Wrong input: Expected number value for price in the payload and/or in the formula defaults. Error: No value found in a payload nor defaults", missing.Error.Message);

        var text = await f.Engine.QueryAsync(EngineFixture.Full, "f", new QueryRequest(new FormulaQuery(new VariableExpression("tag"), new Dictionary<string, PayloadValue>()), null, null, 10, 0, null, null, WithPayload.None, WithVector.None, Prefetch: [leaf]), default, default);
        Assert.EndsWith("Error: Value is not a number", text.Error.Message);

        var deep = new Prefetch([leaf], new FormulaQuery(new DecayExpression(DecayKind.Exp, new ConstantExpression(1), null, null, 2f), new Dictionary<string, PayloadValue>()), null, null, null, null, 10, null);
        var decay = await f.Engine.QueryAsync(EngineFixture.Full, "f", new QueryRequest(new FusionQuery(FusionMethod.Rrf), null, null, 10, 0, null, null, WithPayload.None, WithVector.None, Prefetch: [deep]), default, default);
        Assert.Equal("Wrong input: Validation failed: Decay midpoint should be in the range (0.0, 1.0), got 2.", decay.Error.Message);
    }

    [Theory]
    [InlineData(1u, 0.5f)]
    [InlineData(3u, 0.5f)]
    [InlineData(1u, 0.9f)]
    [InlineData(3u, 0f)]
    public async Task Mmr_PicksGreedilyAmongTheNearestCandidates(uint shards, float diversity)
    {
        using var f = Fixture(shards);
        var request = new QueryRequest(new NearestQuery(new DenseVectorInput(s_q), new MmrParams(diversity, 40)), "v", null, 8, 0, null, new SearchParams(Exact: true), WithPayload.None, WithVector.None);

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "f", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var expected = BruteMmr(Normalized(s_q), 40, 1f - diversity, 8);
        Assert.Equal(expected, r.Value!.Select(p => p.Id.Num));

        // Scores stay the nearest scores.
        Assert.All(r.Value!, p => Assert.Equal(Cosine(s_v[p.Id.Num], s_q), p.Score, 1e-5f));
        if (diversity == 0f)
        {
            Assert.Equal(Top(i => Cosine(s_v[i], s_q), 8, largerBetter: true).Keys.Select(i => (ulong)i), r.Value!.Select(p => p.Id.Num));
        }
        else
        {
            Assert.NotEqual(Top(i => Cosine(s_v[i], s_q), 8, largerBetter: true).Keys.Select(i => (ulong)i), r.Value!.Select(p => p.Id.Num));
        }
    }

    [Fact]
    public async Task Mmr_Defaults_AreHalfDiversity_AndTheLimitAsCandidates()
    {
        using var f = Fixture(1);
        var request = new QueryRequest(new NearestQuery(new DenseVectorInput(s_q), new MmrParams()), "v", null, 6, 2, null, null, WithPayload.All, WithVector.None);

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "f", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        Assert.Equal(BruteMmr(Normalized(s_q), 8, 0.5f, 8).Skip(2), r.Value!.Select(p => p.Id.Num));
        Assert.All(r.Value!, p => Assert.NotNull(p.Payload));
    }

    [Fact]
    public async Task Mmr_AsTheRootOverPrefetches_AndInsideAPrefetch()
    {
        using var f = Fixture(1);
        var leaf = Leaf(new NearestQuery(new DenseVectorInput(s_q)), "v", 50);
        var atRoot = new QueryRequest(new NearestQuery(new DenseVectorInput(s_q), new MmrParams(0.6f, 50)), "v", null, 7, 0, null, null, WithPayload.None, WithVector.None, Prefetch: [leaf]);
        var inside = new QueryRequest(new FusionQuery(FusionMethod.Rrf), null, null, 7, 0, null, null, WithPayload.None, WithVector.None, Prefetch: [new Prefetch([leaf], new NearestQuery(new DenseVectorInput(s_q), new MmrParams(0.6f, 50)), "v", null, null, null, 7, null)]);

        var root = await f.Engine.QueryAsync(EngineFixture.Full, "f", atRoot, default, default);
        var nested = await f.Engine.QueryAsync(EngineFixture.Full, "f", inside, default, default);

        var expected = BruteMmr(Normalized(s_q), 50, 0.4f, 7);
        Assert.True(root.IsOk, root.IsOk ? null : root.Error.Message);
        Assert.Equal(expected, root.Value!.Select(p => p.Id.Num));

        // The fusion keeps the branch's order, which is MMR's.
        Assert.True(nested.IsOk, nested.IsOk ? null : nested.Error.Message);
        Assert.Equal(expected, nested.Value!.Select(p => p.Id.Num));
    }

    [Fact]
    public async Task Mmr_OutOfRange_IsRefused()
    {
        using var f = Fixture(1);
        var diversity = await f.Engine.QueryAsync(EngineFixture.Full, "f", new QueryRequest(new NearestQuery(new DenseVectorInput(s_q), new MmrParams(1.5f)), "v", null, 5, 0, null, null, WithPayload.None, WithVector.None), default, default);
        var candidates = await f.Engine.QueryAsync(EngineFixture.Full, "f", new QueryRequest(new NearestQuery(new DenseVectorInput(s_q), new MmrParams(null, 20_000)), "v", null, 5, 0, null, null, WithPayload.None, WithVector.None), default, default);

        Assert.Equal("Validation error in JSON body: [query.mmr.diversity: value 1.5 invalid, must be from 0.0 to 1.0]", diversity.Error.Message);
        Assert.Equal("Validation error in JSON body: [query.mmr.candidates_limit: value 20000 invalid, must be 16384 or smaller]", candidates.Error.Message);
    }

    // The reference's greedy MMR over the `candidates` nearest points, with raw cosine similarities.
    private static List<ulong> BruteMmr(float[] query, int candidates, float lambda, int limit)
    {
        var pool = Top(i => Cosine(s_v[i], s_q), candidates, largerBetter: true).Keys.ToList();
        var chosen = new List<int>();
        var relevance = pool.ToDictionary(i => i, i => Dot(Normalized(s_v[i]), query));
        while (chosen.Count < limit && chosen.Count < pool.Count)
        {
            var best = pool.Where(i => !chosen.Contains(i))
                .Select(i => (Id: i, Score: chosen.Count == 0 ? relevance[i] : (lambda * relevance[i]) - ((1 - lambda) * chosen.Max(c => Dot(Normalized(s_v[i]), Normalized(s_v[c]))))))
                .OrderByDescending(e => e.Score).First();
            chosen.Add(best.Id);
        }

        return [.. chosen.Select(i => (ulong)i)];
    }

    private static EngineFixture Fixture(uint shards)
    {
        var f = new EngineFixture();
        var named = new Dictionary<string, VectorParams> { ["v"] = new(4, Distance.Cosine), ["e"] = new(3, Distance.Euclid) };
        var created = f.Engine.CreateAsync(EngineFixture.Full, new CreateCollectionRequest("f", new VectorsConfig(null, named), ShardNumber: shards), default).AsTask().Result;
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
        f.Upsert("f", [.. Enumerable.Range(0, Count).Select(i =>
        {
            var payload = new Payload { ["tag"] = PayloadValue.FromString(Tag(i)) };
            if (Price(i) is { } price)
            {
                payload["price"] = PayloadValue.FromInteger(price);
            }

            return new PointStruct((ulong)i, new Dictionary<string, VectorData> { ["v"] = s_v[i], ["e"] = s_e[i] }, payload);
        })]);
        return f;
    }

    private static int? Price(int i) => i % 7 == 0 ? null : i % 13;

    private static string Tag(int i) => i % 4 == 0 ? "a" : "b";

    private static Prefetch Leaf(QueryInput query, string vector, uint limit) =>
        new([], query, vector, null, new SearchParams(Exact: true), null, limit, null);

    private static Dictionary<int, float> Top(Func<int, float> score, int limit, bool largerBetter)
    {
        var all = Enumerable.Range(0, Count).Select(i => (Id: i, Score: score(i)));
        var ordered = largerBetter ? all.OrderByDescending(e => e.Score).ThenBy(e => e.Id) : all.OrderBy(e => e.Score).ThenBy(e => e.Id);
        return ordered.Take(limit).ToDictionary(e => e.Id, e => e.Score);
    }

    private static float Cosine(float[] a, float[] b) => Dot(Normalized(a), Normalized(b));

    private static float Euclid(float[] a, float[] b) => MathF.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static float[] Normalized(float[] v)
    {
        var copy = (float[])v.Clone();
        DistanceKernels.Preprocess(Distance.Cosine, copy);
        return copy;
    }

    private sealed class Close(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
