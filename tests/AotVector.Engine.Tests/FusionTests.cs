using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Tests;

/// <summary>
/// RRF and DBSF against fixtures worked out by hand from the reference's formulas: RRF adds
/// 1 / ((position + 1) / weight + k - 1) per list, DBSF maps each list's mean ± 3 sample standard deviations to 0..1.
/// </summary>
public sealed class FusionTests
{
    [Fact]
    public void Rrf_ThreeLists_MatchesTheReferenceFixture()
    {
        // The reference's own fixture (k = 2): 1 = 1/3 + 1/2 + 1/4, 2 = 1/2 + 1/3, 3 = 1/4 + 1/3, 5 = 1/2.
        var fused = Fusion.Rrf([List(2, 1), List(1, 2, 3), List(5, 3, 1)], RequestDefaults.RrfK, null);

        Assert.Equal(new ulong[] { 1, 2, 3, 5 }, fused.Select(p => p.Id.Num));
        Assert.Equal(new[] { 1.0833334f, 0.8333334f, 0.5833334f, 0.5f }, fused.Select(p => p.Score));
    }

    [Fact]
    public void Rrf_EqualScores_GoToTheSmallerId_WhicheverListCameFirst()
    {
        // 1/2 + 1/3 for both points in both orders of the lists.
        Assert.Equal(new ulong[] { 1, 2 }, Fusion.Rrf([List(1, 2), List(2, 1)], 2, null).Select(p => p.Id.Num));
        Assert.Equal(new ulong[] { 1, 2 }, Fusion.Rrf([List(2, 1), List(1, 2)], 2, null).Select(p => p.Id.Num));
        Assert.Equal(new ulong[] { 3, 4, 9 }, Fusion.Rrf([List(9), List(4), List(3)], 2, null).Select(p => p.Id.Num));
    }

    [Fact]
    public void Rrf_CustomK_AndWeights()
    {
        // k = 60: the first hit of a list scores 1/60, the second 1/61.
        var k60 = Fusion.Rrf([List(7, 8)], 60, null);
        Assert.Equal(new[] { 1f / 60f, 1f / 61f }, k60.Select(p => p.Score));

        // Weights 3 and 1, k = 2: point 1 = 1/(1/3 + 1) + 1/(2 + 1), point 2 = 1/(2/3 + 1) + 1/(1 + 1); 2 wins.
        var weighted = Fusion.Rrf([List(1, 2), List(2, 1)], 2, [3f, 1f]);
        Assert.Equal(new ulong[] { 2, 1 }, weighted.Select(p => p.Id.Num));
        Assert.Equal((1f / (2f / 3f + 1f)) + (1f / (1f + 1f)), weighted[0].Score);
        Assert.Equal((1f / (1f / 3f + 1f)) + (1f / (2f + 1f)), weighted[1].Score);

        // A weight of 0 (or less) adds nothing: the point stays, with score 0.
        var zero = Fusion.Rrf([List(1), List(2)], 2, [1f, 0f]);
        Assert.Equal(new[] { (1UL, 0.5f), (2UL, 0f) }, zero.Select(p => (p.Id.Num, p.Score)));
    }

    [Fact]
    public void Dbsf_NormalisesEachList_BySampleSpread()
    {
        // List A: mean 0.5, sample variance (0.16 + 0 + 0.16) / 2 = 0.16, so 0..1 spans -0.7..1.7:
        //   1 -> 1.6/2.4 = 0.66667, 2 -> 0.5, 3 -> 0.8/2.4 = 0.33333.
        // List B: mean 7, sample variance (9 + 9) / 1 = 18, sd 4.24264, span -5.72792..19.72792 (25.45584):
        //   3 -> 15.72792/25.45584 = 0.61785, 4 -> 9.72792/25.45584 = 0.38215.
        // List C: one hit -> 0.5.
        // Sums: 3 = 0.95118, 1 = 0.66667, 2 = 0.5, 5 = 0.5 (tie: smaller id first), 4 = 0.38215.
        var fused = Fusion.Dbsf([Scored((1, 0.9f), (2, 0.5f), (3, 0.1f)), Scored((3, 10f), (4, 4f)), Scored((5, 7f))]);

        Assert.Equal(new ulong[] { 3, 1, 2, 5, 4 }, fused.Select(p => p.Id.Num));
        var expected = new[] { 0.95118f, 0.66667f, 0.5f, 0.5f, 0.38215f };
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], fused[i].Score, 4);
        }
    }

    [Fact]
    public void Dbsf_EqualScores_MapToOneHalf()
    {
        var fused = Fusion.Dbsf([Scored((4, 2f), (2, 2f), (3, 2f)), []]);
        Assert.Equal(new[] { (2UL, 0.5f), (3UL, 0.5f), (4UL, 0.5f) }, fused.Select(p => (p.Id.Num, p.Score)));
    }

    private static List<ScoredPoint> List(params ulong[] ids) =>
        [.. ids.Select((id, i) => new ScoredPoint(PointId.FromNum(id), 0, 1f - (i * 0.1f), null, null))];

    private static List<ScoredPoint> Scored(params (ulong Id, float Score)[] hits) =>
        [.. hits.Select(h => new ScoredPoint(PointId.FromNum(h.Id), 0, h.Score, null, null))];
}
