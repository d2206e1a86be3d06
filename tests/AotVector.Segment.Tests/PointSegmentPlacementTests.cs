using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// Memory placement of a sealed segment's vector: the stored vectors cold or cached (explicitly, or by the
/// memmap threshold), the graph's mapped file advised, the quantized codes on the heap (pinned) or mapped
/// (cold, cached); searches answer the same whatever the placement, and a reopened segment is placed again.
/// </summary>
public sealed class PointSegmentPlacementTests
{
    private const int Dim = 32;
    private const int Count = 1500;

    private static PointSegment CreateFilled(TempDirectory dir, float[][] vectors)
    {
        var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(Dim, Distance.Cosine) });
        for (var i = 0; i < vectors.Length; i++)
        {
            segment.Upsert((ulong)i + 1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = vectors[i] }, null);
        }

        return segment;
    }

    private static float[][] Vectors(int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, Count).Select(_ => SeededRandom.Vector(rng, Dim)).ToArray();
    }

    private static void Build(PointSegment segment, IndexingPolicy policy)
    {
        var job = segment.PrepareIndexBuild("", policy);
        Assert.NotNull(job);
        job.Run(1, default);
        segment.InstallIndex(job);
    }

    private static IndexingPolicy Policy(QuantizationSettings? quantization, VectorPlacement? placement) => new(1, 16, 100, quantization, Placement: placement);

    private static List<ulong> Search(PointSegment segment, float[] query) =>
        [.. segment.Search("", query, null, 10, new SegmentSearchOptions(Ef: 64)).Select(h => h.Id.Num)];

    private static float[] Query(int seed)
    {
        var query = SeededRandom.Vector(new Random(seed), Dim);
        DistanceKernels.Preprocess(Distance.Cosine, query);
        return query;
    }

    public static TheoryData<string, MemoryPlacement> Codes() => new()
    {
        { "scalar", MemoryPlacement.Cold },
        { "scalar", MemoryPlacement.Cached },
        { "scalar", MemoryPlacement.Pinned },
        { "binary", MemoryPlacement.Cold },
        { "binary", MemoryPlacement.Cached },
        { "binary", MemoryPlacement.Pinned },
        { "product", MemoryPlacement.Cold },
        { "product", MemoryPlacement.Cached },
        { "product", MemoryPlacement.Pinned },
    };

    private static QuantizationSettings Kind(string kind) => kind switch
    {
        "scalar" => new ScalarQuantization(0.99f),
        "binary" => new BinaryQuantization(BinaryEncoding.TwoBits),
        _ => new ProductQuantization(ProductCompression.X4),
    };

    [Theory]
    [MemberData(nameof(Codes))]
    public void Codes_AreHeldAsTheirPlacementSays_AndSearchTheSame(string kind, MemoryPlacement codes)
    {
        using var dir = new TempDirectory("place-codes");
        using var segment = CreateFilled(dir, Vectors(9100));
        var built = Policy(Kind(kind), null);
        Build(segment, built);

        // As built: codes on the heap, the graph mapped from the file it was saved to, nothing placed.
        Assert.Equal((null, null, MemoryPlacement.Pinned, true), segment.PlacementOf(""));
        Assert.False(segment.NeedsPlacement("", built));
        var query = Query(9101);
        var before = Search(segment, query);

        var policy = Policy(Kind(kind), new VectorPlacement(MemoryPlacement.Cold, MemoryPlacement.Cached, codes));
        Assert.True(segment.NeedsPlacement("", policy));
        segment.ApplyPlacement("", policy);

        Assert.Equal((MemoryPlacement.Cold, MemoryPlacement.Cached, codes, true), segment.PlacementOf(""));
        Assert.False(segment.NeedsPlacement("", policy));
        Assert.Equal(before, Search(segment, query));
    }

    [Fact]
    public void ChangedPlacement_MovesTheCodes_BackAndForth()
    {
        using var dir = new TempDirectory("place-change");
        using var segment = CreateFilled(dir, Vectors(9200));
        var scalar = new ScalarQuantization();
        Build(segment, Policy(scalar, null));
        var query = Query(9201);
        var before = Search(segment, query);

        foreach (var codes in new[] { MemoryPlacement.Cold, MemoryPlacement.Pinned, MemoryPlacement.Cached, MemoryPlacement.Cold })
        {
            var policy = Policy(scalar, new VectorPlacement(MemoryPlacement.Cached, MemoryPlacement.Cold, codes));
            Assert.True(segment.NeedsPlacement("", policy));
            segment.ApplyPlacement("", policy);
            Assert.Equal((MemoryPlacement.Cached, MemoryPlacement.Cold, codes, true), segment.PlacementOf(""));
            Assert.Equal(before, Search(segment, query));
        }
    }

    [Theory]
    [InlineData(true, 0UL, MemoryPlacement.Cold)]
    [InlineData(false, 0UL, MemoryPlacement.Cached)]
    [InlineData(false, 1UL, MemoryPlacement.Cached)]
    [InlineData(null, 0UL, MemoryPlacement.Cached)]
    [InlineData(null, 1UL, MemoryPlacement.Cold)]
    [InlineData(null, 1_000_000UL, MemoryPlacement.Cached)]
    public void Vectors_FollowOnDisk_ElseTheMemmapThreshold_AndCodesFollowThem(bool? onDisk, ulong memmapThresholdKb, MemoryPlacement expected)
    {
        using var dir = new TempDirectory("place-vectors");
        using var segment = CreateFilled(dir, Vectors(9300));
        var scalar = new ScalarQuantization();
        Build(segment, Policy(scalar, null));
        MemoryPlacement? vectors = onDisk switch { true => MemoryPlacement.Cold, false => MemoryPlacement.Cached, null => null };

        // No codes placement asked: the codes go where the vectors go (mapped either way).
        var policy = Policy(scalar, new VectorPlacement(vectors, MemoryPlacement.Cached, null, memmapThresholdKb));
        segment.ApplyPlacement("", policy);

        var placed = segment.PlacementOf("");
        Assert.Equal(expected, placed.Vectors);
        Assert.Equal(expected, placed.Codes);
        Assert.False(segment.NeedsPlacement("", policy));
    }

    [Fact]
    public void Reopened_IsUnplacedUntilPlacedAgain_ThenSearchesTheSame()
    {
        using var dir = new TempDirectory("place-reopen");
        var scalar = new ScalarQuantization();
        var policy = Policy(scalar, new VectorPlacement(MemoryPlacement.Cold, MemoryPlacement.Cold, MemoryPlacement.Pinned));
        var query = Query(9401);
        List<ulong> before;
        using (var segment = CreateFilled(dir, Vectors(9400)))
        {
            Build(segment, policy);
            segment.ApplyPlacement("", policy);
            before = Search(segment, query);
            segment.Flush(Count + 1);
        }

        using var reopened = PointSegment.Open(dir.Combine("s"));
        var opened = reopened.PlacementOf("");
        Assert.Null(opened.Vectors);
        Assert.Null(opened.Graph);
        Assert.True(opened.GraphMapped);
        Assert.True(reopened.NeedsPlacement("", policy));

        reopened.ApplyPlacement("", policy);
        Assert.Equal((MemoryPlacement.Cold, MemoryPlacement.Cold, MemoryPlacement.Pinned, true), reopened.PlacementOf(""));
        Assert.Equal(before, Search(reopened, query));

        // A policy without placement leaves the segment as it is.
        Assert.False(reopened.NeedsPlacement("", Policy(scalar, null)));
    }

    [Fact]
    public void NewGraph_IsPlacedAgain()
    {
        using var dir = new TempDirectory("place-rebuild");
        using var segment = CreateFilled(dir, Vectors(9500));
        var policy = Policy(null, new VectorPlacement(MemoryPlacement.Cached, MemoryPlacement.Cold, null));
        Build(segment, policy);
        segment.ApplyPlacement("", policy);
        Assert.Equal((MemoryPlacement.Cached, MemoryPlacement.Cold, null, true), segment.PlacementOf(""));

        // Another m builds a new graph: it is not placed until placed again.
        var rebuilt = new IndexingPolicy(1, 8, 100, null, Placement: policy.Placement);
        Build(segment, rebuilt);
        Assert.Equal((MemoryPlacement.Cached, null, null, true), segment.PlacementOf(""));
        Assert.True(segment.NeedsPlacement("", rebuilt));
        segment.ApplyPlacement("", rebuilt);
        Assert.Equal((MemoryPlacement.Cached, MemoryPlacement.Cold, null, true), segment.PlacementOf(""));
    }
}
