using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// Relevance feedback queries against a brute-force answer computed here from the reference's formula
/// (a·sim(target) + Σ c·(s⁺ − s⁻)^b·(sim(e⁺) − sim(e⁻)) over the ordered pairs whose scores differ): Cosine and Euclid
/// vectors, examples by vector and by id (left out of the results), filters, thresholds, inside a prefetch, and the
/// reference's own check that one example (no pairs) with a = 1 answers as a nearest query.
/// </summary>
public sealed class RelevanceFeedbackTests
{
    private const int Count = 120;
    private static readonly float[][] s_a = SeededRandom.Vectors(51, Count, 4);
    private static readonly float[][] s_b = SeededRandom.Vectors(52, Count, 3);
    private static readonly float[] s_q = SeededRandom.Vectors(53, 1, 4)[0];
    private static readonly NaiveFeedbackStrategy s_strategy = new(0.7f, 1.3f, 0.9f);

    [Fact]
    public async Task Cosine_ByVectorsAndIds_MatchesTheFormula_AndLeavesTheIdsOut()
    {
        using var f = Fixture();
        var extra = SeededRandom.Vectors(54, 1, 4)[0];
        var feedback = new[]
        {
            new FeedbackItem(new PointIdInput(PointId.FromNum(4)), 0.9f),
            new FeedbackItem(new DenseVectorInput(extra), 0.2f),
            new FeedbackItem(new PointIdInput(PointId.FromNum(17)), 0.9f), // ties with the first: no pair between them
            new FeedbackItem(new PointIdInput(PointId.FromNum(30)), -0.4f),
        };
        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", Query(new RelevanceFeedbackQuery(new DenseVectorInput(s_q), feedback, s_strategy), "a", 12), default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var examples = new[] { s_a[4], extra, s_a[17], s_a[30] };
        var scores = new[] { 0.9f, 0.2f, 0.9f, -0.4f };
        var expected = Brute(Enumerable.Range(0, Count).Where(i => i is not (4 or 17 or 30)), i => Formula(v => CosineA(i, v), s_q, examples, scores, s_strategy)).Take(12).ToList();
        Assert.Equal(expected.Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => e.Score), r.Value!.Select(p => p.Score), new Close(1e-5f));
    }

    [Fact]
    public async Task Euclid_WithFilterAndThreshold_UsesRawSimilarities()
    {
        using var f = Fixture();
        var feedback = new[] { new FeedbackItem(new DenseVectorInput(s_b[1]), 1f), new FeedbackItem(new DenseVectorInput(s_b[2]), 0f) };
        var strategy = new NaiveFeedbackStrategy(1f, 2f, 0.5f);
        var all = Brute(Enumerable.Range(0, Count).Where(i => i % 3 == 0), i => Formula(v => EuclidB(i, v), s_b[0], [s_b[1], s_b[2]], [1f, 0f], strategy)).ToList();
        var threshold = all[7].Score;
        var request = Query(new RelevanceFeedbackQuery(new DenseVectorInput(s_b[0]), feedback, strategy), "b", 20) with { Filter = EveryThird, ScoreThreshold = threshold };

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        var expected = all.Where(e => e.Score > threshold).Take(20).ToList();
        Assert.Equal(7, expected.Count);
        Assert.Equal(expected.Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => e.Score), r.Value!.Select(p => p.Score), new Close(1e-4f));
    }

    [Fact]
    public async Task AsANode_RanksOnlyWhatThePrefetchFound()
    {
        using var f = Fixture();
        var leaf = new Prefetch([], new NearestQuery(new DenseVectorInput(s_q)), "a", null, new SearchParams(Exact: true), null, 25, null);
        var feedback = new[] { new FeedbackItem(new PointIdInput(PointId.FromNum(8)), 1f), new FeedbackItem(new DenseVectorInput(s_a[9]), 0.5f) };
        var request = Query(new RelevanceFeedbackQuery(new DenseVectorInput(s_a[60]), feedback, s_strategy), "a", 6) with { Prefetch = [leaf] };

        var r = await f.Engine.QueryAsync(EngineFixture.Full, "h", request, default, default);

        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);

        // The id named in the tree is left out of every branch, as the reference does.
        var found = Brute(Enumerable.Range(0, Count).Where(i => i != 8), i => CosineA(i, s_q)).Take(25).Select(e => (int)e.Id).ToList();
        var expected = Brute(found, i => Formula(v => CosineA(i, v), s_a[60], [s_a[8], s_a[9]], [1f, 0.5f], s_strategy)).Take(6).ToList();
        Assert.Equal(expected.Select(e => e.Id), r.Value!.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => e.Score), r.Value!.Select(p => p.Score), new Close(1e-5f));
    }

    /// <summary>The reference's test_feedback_pair_requirement: one example forms no pair, so a = 1 is a nearest query.</summary>
    [Fact]
    public async Task OneExample_AndAOfOne_AnswersAsNearest()
    {
        using var f = Fixture();
        var feedback = new[] { new FeedbackItem(new DenseVectorInput([0.42f, 0.42f, 0.42f, 0.42f]), 0.85f) };
        var query = Query(new RelevanceFeedbackQuery(new DenseVectorInput(s_q), feedback, new NaiveFeedbackStrategy(1f, 100f, 100f)), "a", 3) with { WithPayload = WithPayload.All };
        var nearest = Query(new NearestQuery(new DenseVectorInput(s_q)), "a", 3) with { WithPayload = WithPayload.All };

        var byFeedback = await f.Engine.QueryAsync(EngineFixture.Full, "h", query, default, default);
        var byNearest = await f.Engine.QueryAsync(EngineFixture.Full, "h", nearest, default, default);

        Assert.True(byFeedback.IsOk, byFeedback.IsOk ? null : byFeedback.Error.Message);
        Assert.Equal(byNearest.Value!.Select(p => (p.Id, p.Version, p.Payload)), byFeedback.Value!.Select(p => (p.Id, p.Version, p.Payload)));
        Assert.Equal(byNearest.Value!.Select(p => p.Score), byFeedback.Value!.Select(p => p.Score), new Close(1e-6f));
    }

    [Fact]
    public async Task Refusals_AsTheReference()
    {
        using var f = Fixture();
        var missing = await f.Engine.QueryAsync(EngineFixture.Full, "h", Query(new RelevanceFeedbackQuery(new DenseVectorInput(s_q), [new FeedbackItem(new PointIdInput(PointId.FromNum(10000)), 0.85f)], s_strategy), "a", 3), default, default);
        Assert.Equal("Not found: No point with id 10000 found", missing.Error.Message);

        var negative = await f.Engine.QueryAsync(EngineFixture.Full, "h", Query(new RelevanceFeedbackQuery(new DenseVectorInput(s_q), [new FeedbackItem(new PointIdInput(PointId.FromNum(1)), 0.85f)], new NaiveFeedbackStrategy(0.12f, -1f, 0.99f)), "a", 3), default, default);
        Assert.Equal("Validation error in JSON body: [internal.query.relevance_feedback.strategy.naive.b: value -1.0 invalid, must be 0.0 or larger]", negative.Error.Message);

        var unknown = await f.Engine.QueryAsync(EngineFixture.Full, "h", Query(new RelevanceFeedbackQuery(new DenseVectorInput(s_q), [], s_strategy), "nope", 3), default, default);
        Assert.False(unknown.IsOk);
        Assert.Contains("nope", unknown.Error.Message, StringComparison.Ordinal);
    }

    /// <summary>The pair weights of the reference: ordered pairs in index order, only where the score difference is above 0.</summary>
    [Fact]
    public void Pairs_AreTheOrderedPairsWithAPositiveDifference()
    {
        var items = new[] { 0.5f, 0.5f, 0.1f, 0.9f }.Select(s => new FeedbackItem(new DenseVectorInput([0f]), s)).ToList();

        var pairs = Collections.Collection.FeedbackPairs(items, new NaiveFeedbackStrategy(0, 2, 3));

        Assert.Equal([(0, 2), (1, 2), (3, 0), (3, 1), (3, 2)], pairs.Select(p => (p.Positive, p.Negative)));
        Assert.Equal(MathF.Pow(0.4f, 2) * 3, pairs[0].Weight);
        Assert.Equal(MathF.Pow(0.9f - 0.1f, 2) * 3, pairs[4].Weight);
    }

    private static readonly Filter EveryThird = new(Must: [new FieldCondition("n", Match: new MatchValue(PayloadValue.FromInteger(0)))]);

    private static QueryRequest Query(QueryInput query, string vector, uint limit) =>
        new(query, vector, null, limit, 0, null, null, WithPayload.None, WithVector.None);

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

    // The reference's score, written out: pairs over every ordered (p, n) with score[p] > score[n].
    private static float Formula(Func<float[], float> similarity, float[] target, float[][] examples, float[] scores, NaiveFeedbackStrategy s)
    {
        var score = s.A * similarity(target);
        for (var p = 0; p < examples.Length; p++)
        {
            for (var n = 0; n < examples.Length; n++)
            {
                var confidence = scores[p] - scores[n];
                if (p != n && confidence > 0)
                {
                    score += MathF.Pow(confidence, s.B) * s.C * (similarity(examples[p]) - similarity(examples[n]));
                }
            }
        }

        return score;
    }

    // Best first, ties to the smaller id (as the engine orders hits).
    private static List<(ulong Id, float Score)> Brute(IEnumerable<int> points, Func<int, float> score) =>
        [.. points.Select(i => ((ulong)i, score(i))).OrderByDescending(e => e.Item2).ThenBy(e => e.Item1)];

    // Raw similarities as the reference's scorers compute them: stored Cosine vectors are unit length.
    private static float CosineA(int i, float[] other) => Dot(Normalized(s_a[i]), Normalized(other));

    private static float EuclidB(int i, float[] other) => -s_b[i].Zip(other, (x, y) => (x - y) * (x - y)).Sum();

    private static float Dot(float[] x, float[] y) => x.Zip(y, (a, b) => a * b).Sum();

    private static float[] Normalized(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    private sealed class Close(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
