using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Filters;

/// <summary>
/// The <c>slice</c> condition: the reference's frozen hash values (from its contract test), SipHash-2-4's published
/// test vector, and for a fixed total disjoint slices that cover every id, nested across totals; in a segment.
/// </summary>
public sealed class SliceConditionTests
{
    [Fact]
    public void Hash_MatchesTheReferenceContractValues()
    {
        Assert.Equal(0xe849_e8bb_6ffe_2567UL, SliceCondition.Hash(PointId.FromNum(0)));
        Assert.Equal(0x0fc2_553f_0761_9dd3UL, SliceCondition.Hash(PointId.FromNum(42)));
        Assert.Equal(0xf5d0_ca21_ba34_d504UL, SliceCondition.Hash(PointId.FromUuid(Guid.Parse("550e8400-e29b-41d4-a716-446655440000"))));
    }

    [Fact]
    public void SipHash_MatchesThePaperVector()
    {
        // Key 00..0f, message 00..0e (the paper's appendix A).
        var message = Enumerable.Range(0, 15).Select(i => (byte)i).ToArray();
        Assert.Equal(0xa129ca6149be45e5UL, SipHash24.Compute(message, 0x0706050403020100UL, 0x0f0e0d0c0b0a0908UL));
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(3u)]
    [InlineData(7u)]
    public void Slices_AreDisjointAndCoverEveryId(uint total)
    {
        var rng = new Random(2300);
        var ids = Enumerable.Range(0, 1000).Select(i => PointId.FromNum((ulong)i))
            .Concat(Enumerable.Range(0, 1000).Select(_ => { var b = new byte[16]; rng.NextBytes(b); return PointId.FromUuid(new Guid(b)); }));
        var sizes = new int[total];
        foreach (var id in ids)
        {
            var members = Enumerable.Range(0, (int)total).Where(i => new SliceCondition((uint)i, total).Contains(id)).ToList();
            sizes[Assert.Single(members)]++;
        }

        Assert.All(sizes, n => Assert.True(n > 2000 / total / 2, $"slice sizes {string.Join(", ", sizes)}"));
    }

    [Fact]
    public void SliceOfFour_IsInsideTheSameSliceOfTwo()
    {
        for (ulong n = 0; n < 500; n++)
        {
            if (new SliceCondition(1, 4).Contains(n))
            {
                Assert.True(new SliceCondition(1, 2).Contains(n));
            }
        }
    }

    [Fact]
    public void Segment_SelectsASliceAndItsComplement()
    {
        using var dir = new TempDirectory("slice");
        using var segment = PointSegment.Create(dir.Path, new Dictionary<string, VectorSpec> { [""] = new(2, Distance.Dot) });
        for (ulong i = 0; i < 300; i++)
        {
            segment.Upsert(i + 1, i, new Dictionary<string, VectorData> { [""] = (float[])[1, 0] }, null);
        }

        var slice = new SliceCondition(2, 5);
        var inside = segment.Select(new Filter(Must: [slice])).ToList();
        var outside = segment.Select(new Filter(MustNot: [slice])).ToList();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => PointId.FromNum((ulong)i)).Where(slice.Contains), inside);
        Assert.Equal(300, inside.Count + outside.Count);
        Assert.Empty(inside.Intersect(outside));
        Assert.Equal(inside.Count, segment.Count(new Filter(Must: [slice])));
        Assert.Equal(inside.Take(10), segment.Search("", [1f, 0], new Filter(Must: [slice]), 300, new SegmentSearchOptions(Exact: true)).Select(h => h.Id).Order().Take(10));
    }
}
