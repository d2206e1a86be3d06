using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// Under the full-scan threshold the planner weighs an exact scan of the matches against a filtered walk: with a
/// threshold of most of the segment, many matches go through the graph and few are still scanned, with recall either way.
/// </summary>
public sealed class PlannerCostTests
{
    private const int Dim = 16;
    private const int Points = 4000;

    // 200 KB of 64-byte vectors is 3,200 points, 80% of the segment: the threshold alone would scan up to that.
    private static readonly SegmentSearchOptions s_options = new(Ef: 64, FullScanThresholdKb: 200);

    [Theory]
    [InlineData(10, true, SearchPlan.IndexedScan)]
    [InlineData(10, false, SearchPlan.FilteredScan)]
    [InlineData(50, true, SearchPlan.GraphFiltered)]
    [InlineData(50, false, SearchPlan.GraphFiltered)]
    public void UnderTheThreshold_TheCheaperPlanIsChosen_WithRecall(int percent, bool indexed, SearchPlan expected)
    {
        using var dir = new TempDirectory("cost");
        using var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(Dim, Distance.Euclid) });
        var vectors = SeededRandom.Vectors(250, Points, Dim);
        for (var i = 0; i < Points; i++)
        {
            segment.Upsert(1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = vectors[i] }, new Payload { ["bucket"] = PayloadValue.FromInteger(i % 100) });
        }

        if (indexed)
        {
            segment.CreateFieldIndex("bucket", FieldIndexType.Integer);
        }

        var job = segment.PrepareIndexBuild("", new IndexingPolicy(1, 16, 100))!;
        job.Run(1, default);
        segment.InstallIndex(job);

        var filter = new Filter(Must: [new FieldCondition("bucket", Range: new RangeCondition(Lt: percent))]);
        Assert.Equal(expected, segment.PlanFor("", filter, s_options));
        var found = 0;
        foreach (var query in SeededRandom.Vectors(251, 40, Dim))
        {
            var exact = segment.Search("", query, filter, 10, s_options with { Exact = true });
            var approximate = segment.Search("", query, filter, 10, s_options);
            found += approximate.Select(h => h.Id).Intersect(exact.Select(h => h.Id)).Count();
        }

        Assert.True(found / 400.0 >= 0.95, $"recall {found / 400.0:F3}");
    }
}
