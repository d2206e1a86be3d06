using AotVector.Common.Model;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// When a segment's graph is (re)built or dropped: a graph built with another m or ef_construct than the policy's
/// is rebuilt (Qdrant's config mismatch), one built under the same policy never is, and m 0 drops it.
/// </summary>
public sealed class PointSegmentIndexTests
{
    private const int Dim = 8;

    private static PointSegment Create(TempDirectory dir) =>
        PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(Dim, Distance.Euclid) });

    private static PointSegment CreateFilled(TempDirectory dir, float[][] vectors)
    {
        var segment = Create(dir);
        for (var i = 0; i < vectors.Length; i++)
        {
            segment.Upsert((ulong)i + 1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = vectors[i] }, null);
        }

        return segment;
    }

    private static void Build(PointSegment segment, IndexingPolicy policy)
    {
        var job = segment.PrepareIndexBuild("", policy);
        Assert.NotNull(job);
        job.Run(1, default);
        segment.InstallIndex(job);
    }

    [Fact]
    public void NeedsIndexBuild_OtherParameters_UntilRebuilt_AndAfterReopen()
    {
        using var dir = new TempDirectory("mismatch");
        var vectors = SeededRandom.Vectors(61, 400, Dim);
        var segment = CreateFilled(dir, vectors);
        Build(segment, new IndexingPolicy(1, 16, 100));
        Assert.Equal((16, 100), segment.GraphParameters(""));
        Assert.False(segment.NeedsIndexBuild("", new IndexingPolicy(1, 16, 100)));
        Assert.True(segment.NeedsIndexBuild("", new IndexingPolicy(1, 8, 100)));
        Assert.True(segment.NeedsIndexBuild("", new IndexingPolicy(1, 16, 50)));

        // The old graph serves until the new one is installed.
        var job = segment.PrepareIndexBuild("", new IndexingPolicy(1, 8, 40))!;
        job.Run(1, default);
        Assert.Equal((16, 100), segment.GraphParameters(""));
        segment.InstallIndex(job);
        Assert.Equal((8, 40), segment.GraphParameters(""));
        Assert.False(segment.NeedsIndexBuild("", new IndexingPolicy(1, 8, 40)));
        Assert.Equal(400UL, segment.IndexedVectorCount);
        segment.Flush(1000);
        segment.Dispose();

        // The graph file carries its parameters: compared again after a restart, in both directions.
        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal((8, 40), reopened.GraphParameters(""));
        Assert.False(reopened.NeedsIndexBuild("", new IndexingPolicy(1, 8, 40)));
        Assert.True(reopened.NeedsIndexBuild("", new IndexingPolicy(1, 16, 100)));
        var hits = reopened.Search("", vectors[123], null, 1, new SegmentSearchOptions(Exact: false, Ef: 32));
        Assert.Equal(123UL, hits[0].Id.Num);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 3)]
    [InlineData(2, 4)]
    public void NeedsIndexBuild_PolicyBelowTheBuildMinimums_DoesNotLoop(int m, int efConstruct)
    {
        // A build raises m to 2 and ef_construct to 4; the comparison applies the same floors.
        using var dir = new TempDirectory("mismatch");
        using var segment = CreateFilled(dir, SeededRandom.Vectors(62, 200, Dim));
        var policy = new IndexingPolicy(1, m, efConstruct);
        Build(segment, policy);
        Assert.Equal((2, 4), segment.GraphParameters(""));
        Assert.False(segment.NeedsIndexBuild("", policy));
        Assert.Null(segment.PrepareIndexBuild("", policy));
    }

    [Fact]
    public void DropIndex_MZero_RemovesGraphAndFile_SearchStaysExact()
    {
        using var dir = new TempDirectory("mismatch");
        var vectors = SeededRandom.Vectors(63, 400, Dim);
        var segment = CreateFilled(dir, vectors);
        Build(segment, new IndexingPolicy(1, 16, 100));
        var off = new IndexingPolicy(1, 0, 100);
        Assert.False(segment.HasUnwantedIndex("", new IndexingPolicy(1, 16, 100)));
        Assert.True(segment.HasUnwantedIndex("", off));
        Assert.False(segment.NeedsIndexBuild("", off));
        Assert.Single(Directory.GetFiles(dir.Combine("s"), "hnsw-*.bin"));

        Assert.True(segment.DropIndex(""));
        Assert.False(segment.DropIndex(""));
        Assert.Null(segment.GraphParameters(""));
        Assert.False(segment.HasUnwantedIndex("", off));
        Assert.Equal(0UL, segment.IndexedVectorCount);
        Assert.Empty(Directory.GetFiles(dir.Combine("s"), "hnsw-*.bin"));
        var query = SeededRandom.Vectors(64, 1, Dim)[0];
        var exact = segment.Search("", query, null, 10, new SegmentSearchOptions(Exact: true));
        var planned = segment.Search("", query, null, 10, new SegmentSearchOptions(Exact: false, Ef: 16));
        Assert.Equal(exact.Select(h => h.Id), planned.Select(h => h.Id));
        segment.Flush(1000);
        segment.Dispose();

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Null(reopened.GraphParameters(""));
        Assert.True(reopened.NeedsIndexBuild("", new IndexingPolicy(1, 16, 100)));
    }
}
