using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Filters;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// The filtered-search planner on seeded data: which plan each selectivity gets, indexed and not, and that every plan
/// keeps recall against the exact filtered answer; the compiled filter agrees with <see cref="FilterEvaluator"/>.
/// </summary>
public sealed class FilteredSearchPlanTests
{
    private const int Dim = 16;
    private const int Points = 4000;

    // 64-byte vectors: 10 KB is 160 of them, 4% of the points. Below that the matches are scanned; above, the graph.
    private static readonly SegmentSearchOptions s_options = new(Ef: 64, FullScanThresholdKb: 10);

    private static PointSegment CreateIndexed(TempDirectory dir)
    {
        var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(Dim, Distance.Euclid) });
        var vectors = SeededRandom.Vectors(240, Points, Dim);
        for (var i = 0; i < Points; i++)
        {
            // "bucket" is i mod 100, so bucket < p matches p% of the points; "flag" is true on every 10th.
            var payload = new Payload
            {
                ["bucket"] = PayloadValue.FromInteger(i % 100),
                ["word"] = PayloadValue.FromString("w" + (i % 100)),
                ["flag"] = PayloadValue.FromBool(i % 10 == 0),
            };
            segment.Upsert(1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = vectors[i] }, payload);
        }

        var job = segment.PrepareIndexBuild("", new IndexingPolicy(1, 16, 100))!;
        job.Run(1, default);
        segment.InstallIndex(job);
        return segment;
    }

    private static Filter Below(int percent) => new(Must: [new FieldCondition("bucket", Range: new RangeCondition(Lt: percent))]);

    [Theory]
    [InlineData(1, true, SearchPlan.IndexedScan, SearchPlan.IndexedScan)]
    [InlineData(1, false, SearchPlan.FilteredScan, SearchPlan.FilteredScan)]
    [InlineData(10, true, SearchPlan.GraphFiltered, SearchPlan.GraphAcorn)]
    [InlineData(10, false, SearchPlan.GraphFiltered, SearchPlan.GraphAcorn)]
    [InlineData(50, true, SearchPlan.GraphFiltered, SearchPlan.GraphFiltered)]
    [InlineData(50, false, SearchPlan.GraphFiltered, SearchPlan.GraphFiltered)]
    [InlineData(90, true, SearchPlan.GraphFiltered, SearchPlan.GraphFiltered)]
    [InlineData(90, false, SearchPlan.GraphFiltered, SearchPlan.GraphFiltered)]
    public void Plan_BySelectivity_KeepsRecall(int percent, bool indexed, SearchPlan expected, SearchPlan withAcorn)
    {
        using var dir = new TempDirectory("plan");
        using var segment = CreateIndexed(dir);
        if (indexed)
        {
            segment.CreateFieldIndex("bucket", FieldIndexType.Integer);
        }

        var filter = Below(percent);
        var acorn = s_options with { Acorn = new AcornSearch(true) };
        Assert.Equal(expected, segment.PlanFor("", filter, s_options));
        Assert.Equal(withAcorn, segment.PlanFor("", filter, acorn));
        // exact: every match scored, found through the index when it narrows them down enough.
        Assert.Equal(indexed && expected == SearchPlan.IndexedScan ? SearchPlan.IndexedScan : SearchPlan.FullScan, segment.PlanFor("", filter, s_options with { Exact = true }));

        foreach (var options in new[] { s_options, acorn })
        {
            var found = 0;
            foreach (var query in SeededRandom.Vectors(241, 40, Dim))
            {
                var exact = segment.Search("", query, filter, 10, options with { Exact = true });
                var approximate = segment.Search("", query, filter, 10, options);
                Assert.All(approximate, h => Assert.True((int)(h.Id.Num % 100) < percent));
                found += approximate.Select(h => h.Id).Intersect(exact.Select(h => h.Id)).Count();
            }

            var recall = found / 400.0;
            Assert.True(recall >= 0.95, $"{percent}% indexed={indexed} acorn={options.Acorn is not null}: recall@10 {recall:F3}");
        }
    }

    [Fact]
    public void Plan_CombinedConditions_EstimatedTogether()
    {
        using var dir = new TempDirectory("plan");
        using var segment = CreateIndexed(dir);
        segment.CreateFieldIndex("flag", FieldIndexType.Bool);

        // flag (10%) and bucket < 20 (20%) are each past the threshold, but together match 2%: scanned.
        var both = new Filter(Must: [new FieldCondition("flag", Match: new MatchValue(PayloadValue.True)), new FieldCondition("bucket", Range: new RangeCondition(Lt: 20))]);
        Assert.Equal(SearchPlan.FilteredScan, segment.PlanFor("", both, s_options));

        // must_not a 90% condition leaves 10%: the graph.
        var notFlag = new Filter(MustNot: [new FieldCondition("flag", Match: new MatchValue(PayloadValue.False))]);
        Assert.Equal(SearchPlan.GraphFiltered, segment.PlanFor("", notFlag, s_options));

        // should of two 1% keywords: 2%, scanned.
        var either = new Filter(Should: [new FieldCondition("word", Match: new MatchValue(PayloadValue.FromString("w3"))), new FieldCondition("word", Match: new MatchValue(PayloadValue.FromString("w4")))]);
        Assert.Equal(SearchPlan.FilteredScan, segment.PlanFor("", either, s_options));
        Assert.Equal(80, segment.Search("", new float[Dim], either, 1000, s_options).Count);
    }

    [Fact]
    public void CompiledFilter_AgreesWithEvaluator_OnMixedPayloads()
    {
        using var dir = new TempDirectory("compiled");
        using var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(4, Distance.Euclid) });
        var random = new Random(2424);
        var payloads = new Payload?[300];
        for (var i = 0; i < payloads.Length; i++)
        {
            payloads[i] = MixedPayload(random);
            segment.Upsert(1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = new float[] { i, 0, 0, 0 } }, payloads[i]);
        }

        var evaluator = new FilterEvaluator();
        foreach (var filter in MixedFilters())
        {
            var expected = Enumerable.Range(0, payloads.Length).Where(i => evaluator.Matches(filter, (ulong)i, payloads[i], _ => true)).Select(i => (ulong)i).Order().ToList();
            var found = segment.Search("", new float[4], filter, 1000).Select(h => h.Id.Num).Order().ToList();
            Assert.True(expected.SequenceEqual(found), $"{filter}: expected {expected.Count}, found {found.Count}");
        }
    }

    [Fact]
    public void FieldColumn_FollowsWrites()
    {
        using var dir = new TempDirectory("column");
        using var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(4, Distance.Euclid) });
        Payload Color(string c) => new() { ["color"] = PayloadValue.FromString(c) };
        var red = new Filter(Must: [new FieldCondition("color", Match: new MatchValue(PayloadValue.FromString("red")))]);
        List<ulong> Red() => [.. segment.Search("", new float[4], red, 100).Select(h => h.Id.Num).Order()];
        for (var i = 0; i < 5; i++)
        {
            segment.Upsert(1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = new float[] { i, 0, 0, 0 } }, Color(i % 2 == 0 ? "red" : "blue"));
        }

        Assert.Equal([0UL, 2, 4], Red()); // builds the column
        segment.SetPayload(2, PointId.FromNum(1), Color("red"), null);
        segment.Delete(3, PointId.FromNum(2));
        segment.OverwritePayload(4, PointId.FromNum(4), new Payload { ["color"] = PayloadValue.FromArray([PayloadValue.FromString("green"), PayloadValue.FromString("red")]) });
        segment.ClearPayload(5, PointId.FromNum(0));
        segment.Upsert(6, PointId.FromNum(7), new Dictionary<string, VectorData> { [""] = new float[] { 7, 0, 0, 0 } }, Color("red"));
        Assert.Equal([1UL, 4, 7], Red());
    }

    private static Payload? MixedPayload(Random random)
    {
        if (random.Next(10) == 0)
        {
            return null;
        }

        var payload = new Payload();
        PayloadValue Scalar() => random.Next(7) switch
        {
            0 => PayloadValue.FromInteger(random.Next(10)),
            1 => PayloadValue.FromDouble(random.Next(10) + 0.5),
            2 => PayloadValue.FromString("k" + random.Next(5)),
            3 => PayloadValue.FromBool(random.Next(2) == 0),
            4 => PayloadValue.FromString(new DateTimeOffset(2024, 1, 1 + random.Next(20), 0, 0, 0, TimeSpan.Zero).ToString("yyyy-MM-ddTHH:mm:ssZ")),
            5 => PayloadValue.FromObject(new Payload { ["lon"] = PayloadValue.FromDouble(random.NextDouble() * 2), ["lat"] = PayloadValue.FromDouble(random.NextDouble() * 2) }),
            _ => PayloadValue.Null,
        };
        switch (random.Next(4))
        {
            case 0:
                break; // missing
            case 1:
                payload["f"] = Scalar();
                break;
            case 2:
                payload["f"] = PayloadValue.FromArray([.. Enumerable.Range(0, random.Next(4)).Select(_ => Scalar())]);
                break;
            default:
                payload["f"] = PayloadValue.FromArray([Scalar(), PayloadValue.FromArray([Scalar()])]);
                break;
        }

        payload["n"] = PayloadValue.FromArray([PayloadValue.FromObject(new Payload { ["x"] = Scalar() })]);
        return payload;
    }

    private static IEnumerable<Filter> MixedFilters()
    {
        static Filter Must(Condition c) => new(Must: [c]);
        var day = new DateTimeOffset(2024, 1, 10, 0, 0, 0, TimeSpan.Zero);
        yield return Must(new FieldCondition("f", Match: new MatchValue(PayloadValue.FromInteger(3))));
        yield return Must(new FieldCondition("f", Match: new MatchValue(PayloadValue.FromString("k2"))));
        yield return Must(new FieldCondition("f", Match: new MatchValue(PayloadValue.True)));
        yield return Must(new FieldCondition("f", Match: new MatchValue(PayloadValue.FromString("k9"))));
        yield return Must(new FieldCondition("f", Match: new MatchAny(["k1", "k3"], null)));
        yield return Must(new FieldCondition("f", Match: new MatchAny(null, [1, 2, 5])));
        yield return Must(new FieldCondition("f", Match: new MatchExcept(["k1"], null)));
        yield return Must(new FieldCondition("f", Match: new MatchExcept(null, [4])));
        yield return Must(new FieldCondition("f", Range: new RangeCondition(Gte: 2, Lt: 6.5)));
        yield return Must(new FieldCondition("f", DatetimeRange: new DatetimeRange(Gt: day, Lte: day.AddDays(5))));
        yield return Must(new FieldCondition("f", GeoRadius: new GeoRadius(new GeoPoint(1, 1), 60_000)));
        yield return Must(new FieldCondition("f", GeoBoundingBox: new GeoBoundingBox(new GeoPoint(0, 1.5), new GeoPoint(1, 0))));
        yield return Must(new FieldCondition("f", Match: new MatchText("k")));
        yield return Must(new FieldCondition("f", IsEmpty: true));
        yield return Must(new FieldCondition("f", Match: new MatchValue(PayloadValue.FromInteger(3)), Range: new RangeCondition(Lt: 5)));
        yield return Must(new FieldCondition("f"));
        yield return Must(new NestedCondition("n", Must(new FieldCondition("x", Range: new RangeCondition(Lt: 4)))));
        yield return Must(new NestedCondition("n", new Filter(Must: [new FieldCondition("x", Match: new MatchExcept(["k1"], null)), new FieldCondition("x", Range: new RangeCondition(Gt: 1))], MustNot: [new FieldCondition("x", Match: new MatchValue(PayloadValue.FromInteger(5)))])));
        yield return Must(new IsNullCondition("f"));
        yield return new Filter(MustNot: [new FieldCondition("f", Match: new MatchValue(PayloadValue.FromString("k0")))]);
        yield return new Filter(Should: [new FieldCondition("f", Range: new RangeCondition(Gt: 8)), new FieldCondition("f", Match: new MatchValue(PayloadValue.False))]);
        yield return new Filter(Should: []);
        yield return new Filter(MinShould: new MinShould([new FieldCondition("f", Range: new RangeCondition(Gt: 1)), new FieldCondition("f", Match: new MatchAny(["k1"], null)), new FieldCondition("f", Range: new RangeCondition(Lt: 8))], 2));
        yield return Must(new FilterCondition(new Filter(MustNot: [new FieldCondition("f", Range: new RangeCondition(Lt: 5))])));
        yield return Must(new HasIdCondition(new HashSet<PointId> { PointId.FromNum(3), PointId.FromNum(30) }));
    }
}
