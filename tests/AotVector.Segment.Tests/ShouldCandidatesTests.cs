using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// A <c>should</c> whose branches are all indexed conditions is answered from the union of the branches' index
/// candidates (an indexed scan), with the same answers as an exact search; one unindexed branch makes it a columnar pass.
/// </summary>
public sealed class ShouldCandidatesTests
{
    private const int Dim = 16;
    private const int Points = 4000;

    // 20 KB of 64-byte vectors is 320 points: the 120 matches are under it.
    private static readonly SegmentSearchOptions s_options = new(Ef: 64, FullScanThresholdKb: 20);

    [Theory]
    [InlineData(true, SearchPlan.IndexedScan)]
    [InlineData(false, SearchPlan.FilteredScan)]
    public void ShouldOfIndexedBranches_IsAnIndexedScan_WithExactAnswers(bool bothIndexed, SearchPlan expected)
    {
        using var dir = new TempDirectory("should");
        using var segment = Build(dir, bothIndexed);

        // 1% (tag t0) or 2% (rank < 2), disjoint halves of the matches; plus a must that every point passes.
        var filter = new Filter(
            Must: [new FieldCondition("rank", Range: new RangeCondition(Gte: 0))],
            Should:
            [
                new FieldCondition("tag", Match: new MatchValue(PayloadValue.FromString("t0"))),
                new FieldCondition("rank", Range: new RangeCondition(Lt: 2)),
            ]);
        Assert.Equal(expected, segment.PlanFor("", filter, s_options));
        Assert.Equal(120, segment.Select(filter).Count());

        foreach (var query in SeededRandom.Vectors(261, 30, Dim))
        {
            var exact = segment.Search("", query, filter, 10, s_options with { Exact = true });
            var planned = segment.Search("", query, filter, 10, s_options);
            Assert.Equal(exact.Select(h => h.Id), planned.Select(h => h.Id));
        }
    }

    [Fact]
    public void ShouldWithAnUnselectiveIndexedMust_TakesTheSmallerUnion()
    {
        using var dir = new TempDirectory("should-must");
        using var segment = Build(dir, bothIndexed: true);

        // The must (rank < 90, 90%) bounds nothing useful; the should's union (40 + 80) does.
        var filter = new Filter(
            Must: [new FieldCondition("rank", Range: new RangeCondition(Lt: 90))],
            Should:
            [
                new FieldCondition("tag", Match: new MatchValue(PayloadValue.FromString("t0"))),
                new FieldCondition("rank", Range: new RangeCondition(Lt: 2)),
            ]);
        Assert.Equal(SearchPlan.IndexedScan, segment.PlanFor("", filter, s_options));
        var query = SeededRandom.Vectors(262, 1, Dim)[0];
        Assert.Equal(
            segment.Search("", query, filter, 10, s_options with { Exact = true }).Select(h => h.Id),
            segment.Search("", query, filter, 10, s_options).Select(h => h.Id));
    }

    private static PointSegment Build(TempDirectory dir, bool bothIndexed)
    {
        var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(Dim, Distance.Euclid) });
        var vectors = SeededRandom.Vectors(260, Points, Dim);
        for (var i = 0; i < Points; i++)
        {
            // tag t0 on points 50 mod 100, rank 0-1 on points 0-1 mod 100: disjoint sets of 40 and 80.
            var payload = new Payload
            {
                ["tag"] = PayloadValue.FromString(i % 100 == 50 ? "t0" : "t" + (1 + (i % 7))),
                ["rank"] = PayloadValue.FromInteger(i % 100),
            };
            segment.Upsert(1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = vectors[i] }, payload);
        }

        segment.CreateFieldIndex("rank", FieldIndexType.Integer);
        if (bothIndexed)
        {
            segment.CreateFieldIndex("tag", FieldIndexType.Keyword);
        }

        var job = segment.PrepareIndexBuild("", new IndexingPolicy(1, 16, 100))!;
        job.Run(1, default);
        segment.InstallIndex(job);
        return segment;
    }
}
