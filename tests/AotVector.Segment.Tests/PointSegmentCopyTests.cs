using AotVector.Common.Model;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>What the shard's optimizer relies on: exact copies between segments, versions of tombstones, and graphs
/// that remember in-place rewrites across a reopen.</summary>
public sealed class PointSegmentCopyTests
{
    private const int Dim = 8;

    private static PointSegment Create(TempDirectory dir, string name, Distance distance = Distance.Cosine) =>
        PointSegment.Create(dir.Combine(name), new Dictionary<string, VectorSpec> { [""] = new(Dim, distance) });

    private static Dictionary<string, VectorData> V(float[] v) => new() { [""] = v };

    [Fact]
    public void CopyPointFrom_KeepsVersionStoredVectorAndPayload_AndCopiesNothingForDeadPoints()
    {
        using var dir = new TempDirectory("copy");
        using var source = Create(dir, "a");
        using var target = Create(dir, "b");
        var payload = new Payload();
        payload["k"] = PayloadValue.FromInteger(7);
        source.Upsert(11, PointId.FromNum(1), V([3, 4, 0, 0, 0, 0, 0, 0]), payload);
        source.Upsert(12, PointId.FromNum(2), V([1, 1, 1, 1, 1, 1, 1, 1]), null);
        source.Delete(13, PointId.FromNum(2));

        Assert.True(target.CopyPointFrom(source, PointId.FromNum(1)));
        Assert.False(target.CopyPointFrom(source, PointId.FromNum(2)));
        Assert.True(target.TryGetPoint(PointId.FromNum(1), true, null, out var copied, out var vectors, out var version));
        Assert.Equal(11UL, version);
        Assert.Equal(7, copied!["k"]!.AsInteger);

        // The stored (normalised) cosine vector is copied bit for bit, not normalised again.
        source.TryGetPoint(PointId.FromNum(1), false, null, out _, out var original, out _);
        Assert.Equal(original![""], vectors![""]);

        // Editing the copy's payload leaves the source's alone.
        target.SetPayload(14, PointId.FromNum(1), new Payload { ["k"] = PayloadValue.FromInteger(8) }, null);
        source.TryGetPoint(PointId.FromNum(1), true, null, out var untouched, out _, out _);
        Assert.Equal(7, untouched!["k"]!.AsInteger);

        Assert.True(source.TryGetLatestVersion(PointId.FromNum(2), out var tombstone, out var live));
        Assert.Equal((13UL, false), (tombstone, live));
        Assert.False(source.TryGetLatestVersion(PointId.FromNum(3), out _, out _));
        Assert.Equal(1UL, source.DeletedCount);
        Assert.Equal(2UL, source.OffsetCount);
    }

    [Fact]
    public void GraphStaleOffsets_SurviveReopen_SoRewrittenPointsAreStillFound()
    {
        using var dir = new TempDirectory("stale");
        var vectors = SeededRandom.Vectors(3, 400, Dim);
        var segment = Create(dir, "s", Distance.Euclid);
        for (var i = 0; i < vectors.Length; i++)
        {
            segment.Upsert((ulong)i + 1, PointId.FromNum((ulong)i), V(vectors[i]), null);
        }

        var job = segment.PrepareIndexBuild("", new IndexingPolicy(1, 8, 32))!;
        job.Run(1, default);
        segment.InstallIndex(job);

        // Move point 17 far away: its graph links still describe the old position.
        var far = Enumerable.Repeat(50f, Dim).ToArray();
        segment.UpdateVectors(1000, PointId.FromNum(17), V(far));
        Assert.Equal(1, segment.StaleCount(""));
        segment.Flush(1000);
        segment.Dispose();

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal(1, reopened.StaleCount(""));
        Assert.Equal((ulong)vectors.Length, reopened.IndexedVectorCount);
        var hits = reopened.Search("", far, null, 1, new SegmentSearchOptions(Exact: false, Ef: 16));
        Assert.Equal(17UL, hits[0].Id.Num);
    }
}
