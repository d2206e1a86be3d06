using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// A segment's graph build links the points of each indexed value past the full-scan threshold (payload_m), the
/// planner walks them for a filter on that value with recall, and the links come back after a restart.
/// </summary>
public sealed class PayloadLinksSegmentTests
{
    private const int Dim = 16;
    private const int Points = 4000;

    // 64-byte vectors: 10 KB is 160 of them; "rare" is held by every 12th point (334), past it.
    private static readonly SegmentSearchOptions s_options = new(Ef: 64, FullScanThresholdKb: 10);

    private static readonly Filter s_rare = new(Must: [new FieldCondition("tag", Match: new MatchValue(PayloadValue.FromString("rare")))]);

    private static PointSegment Create(string path, int payloadM, QuantizationSettings? quantization = null)
    {
        var segment = PointSegment.Create(path, new Dictionary<string, VectorSpec> { [""] = new(Dim, Distance.Euclid) });
        segment.CreateFieldIndex("tag", FieldIndexType.Keyword);
        var vectors = SeededRandom.Vectors(71, Points, Dim);
        for (var i = 0; i < Points; i++)
        {
            var payload = new Payload { ["tag"] = PayloadValue.FromString(i % 12 == 0 ? "rare" : "c" + (i % 3)) };
            segment.Upsert(1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = vectors[i] }, payload);
        }

        var job = segment.PrepareIndexBuild("", new IndexingPolicy(1, 16, 100, quantization, PayloadM: payloadM, FullScanThresholdKb: 10))!;
        job.Run(1, default);
        segment.InstallIndex(job);
        return segment;
    }

    private static (double Recall, List<PointId> Ids) Measure(PointSegment segment)
    {
        var found = 0;
        var ids = new List<PointId>();
        foreach (var query in SeededRandom.Vectors(72, 40, Dim))
        {
            var exact = segment.Search("", query, s_rare, 10, s_options with { Exact = true });
            var approximate = segment.Search("", query, s_rare, 10, s_options);
            Assert.All(approximate, h => Assert.Equal(0ul, h.Id.Num % 12));
            found += approximate.Select(h => h.Id).Intersect(exact.Select(h => h.Id)).Count();
            ids.AddRange(approximate.Select(h => h.Id));
        }

        return (found / 400.0, ids);
    }

    [Fact]
    public void RestrictiveKeyword_WalksTheBlockLinks_WithRecall_AndAfterRestart()
    {
        using var dir = new TempDirectory("links");
        List<PointId> before;
        using (var segment = Create(dir.Combine("s"), payloadM: 16))
        {
            Assert.Contains(("tag", PayloadValue.FromString("rare")), segment.PayloadLinkBlocks(""));
            Assert.Equal(SearchPlan.GraphLinked, segment.PlanFor("", s_rare, s_options));
            var (recall, ids) = Measure(segment);
            Assert.True(recall >= 0.95, $"recall {recall:F3}");
            before = ids;
            segment.Flush(1);
        }

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Contains(("tag", PayloadValue.FromString("rare")), reopened.PayloadLinkBlocks(""));
        Assert.Equal(SearchPlan.GraphLinked, reopened.PlanFor("", s_rare, s_options));
        Assert.Equal(before, Measure(reopened).Ids);
    }

    [Fact]
    public void QuantizedCodes_WalkTheBlockLinks_WithRecall()
    {
        using var dir = new TempDirectory("links-sq");
        using var segment = Create(dir.Combine("s"), payloadM: 16, new ScalarQuantization(Quantile: 0.99f));
        Assert.True(segment.QuantizationState("").Quantized);
        Assert.Equal(SearchPlan.GraphLinked, segment.PlanFor("", s_rare, s_options));
        var (recall, _) = Measure(segment);
        Assert.True(recall >= 0.95, $"recall {recall:F3}");
    }

    [Fact]
    public void PayloadMZero_BuildsNoLinks_AndTheFilteredWalkIsUsed()
    {
        using var dir = new TempDirectory("nolinks");
        using var segment = Create(dir.Combine("s"), payloadM: 0);
        Assert.Empty(segment.PayloadLinkBlocks(""));
        Assert.Equal(SearchPlan.GraphFiltered, segment.PlanFor("", s_rare, s_options));
        Assert.True(Measure(segment).Recall >= 0.95);
    }
}
