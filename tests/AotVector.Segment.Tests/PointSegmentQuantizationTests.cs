using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// Int8 scalar quantization in a segment: built with the graph, searched through the codes with and without
/// rescoring, saved beside the graph and reopened as is, set aside when damaged, rebuilt or dropped when the config
/// changes, and never half-used after a build that was not installed.
/// </summary>
public sealed class PointSegmentQuantizationTests
{
    private const int Dim = 48;

    private static readonly ScalarQuantization Scalar = new(Quantile: 0.99f);

    private static IndexingPolicy Policy(ScalarQuantization? quantization) => new(1, 16, 100, quantization);

    private static readonly SegmentSearchOptions Rescored = new(Ef: 64, Quantization: new QuantizedSearch(Rescore: true, Oversampling: 2));

    // Points around a few dozen seeded centres, as embedding models' outputs cluster.
    private static float[][] Clustered(int seed, int count, int dim, int clusters = 40)
    {
        var rng = new Random(seed);
        var centres = Enumerable.Range(0, clusters).Select(_ => SeededRandom.Vector(rng, dim)).ToArray();
        return Enumerable.Range(0, count).Select(_ =>
        {
            var centre = centres[rng.Next(clusters)];
            return centre.Select(c => c + (0.35f * ((float)rng.NextDouble() - 0.5f))).ToArray();
        }).ToArray();
    }

    private static PointSegment CreateFilled(TempDirectory dir, Distance distance, float[][] vectors)
    {
        var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(Dim, distance) });
        for (var i = 0; i < vectors.Length; i++)
        {
            segment.Upsert((ulong)i + 1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = vectors[i] }, null);
        }

        return segment;
    }

    private static IndexBuildJob Build(PointSegment segment, IndexingPolicy policy)
    {
        var job = segment.PrepareIndexBuild("", policy);
        Assert.NotNull(job);
        job.Run(1, default);
        segment.InstallIndex(job);
        return job;
    }

    private static float[] Prepared(Distance distance, float[] query)
    {
        var copy = (float[])query.Clone();
        DistanceKernels.Preprocess(distance, copy);
        return copy;
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void RescoredSearch_RecallAtTen_IsAtLeast95Percent(Distance distance)
    {
        using var dir = new TempDirectory("quant-recall");
        // Queries from the same clusters as the data, not stored.
        var all = Clustered(7100 + (int)distance, 4060, Dim);
        var vectors = all[..4000];
        var queries = all[4000..];
        using var segment = CreateFilled(dir, distance, vectors);
        Build(segment, Policy(Scalar));
        Assert.True(segment.QuantizationState("").Quantized);

        double found = 0;
        foreach (var raw in queries)
        {
            var query = Prepared(distance, raw);
            var exact = segment.Search("", query, null, 10, new SegmentSearchOptions(Exact: true)).Select(h => h.Id).ToHashSet();
            var hits = segment.Search("", query, null, 10, Rescored);
            found += hits.Count(h => exact.Contains(h.Id));

            // Rescored hits carry their float32 score.
            foreach (var hit in hits)
            {
                var expected = DistanceKernels.Similarity(distance, query, Prepared(distance, vectors[hit.Id.Num]));
                Assert.Equal(expected, hit.Score, 3);
            }
        }

        var recall = found / (queries.Length * 10);
        Assert.True(recall >= 0.95, $"{distance}: recall@10 {recall:F3}");
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void QuantizedScores_ApproximateTheFloatScores(Distance distance)
    {
        using var dir = new TempDirectory("quant-scores");
        var vectors = Clustered(7300 + (int)distance, 600, Dim);
        using var segment = CreateFilled(dir, distance, vectors);
        Build(segment, Policy(new ScalarQuantization()));

        var query = Prepared(distance, Clustered(7400, 1, Dim)[0]);
        var quantized = segment.Search("", query, null, 20, new SegmentSearchOptions(Ef: 64));
        Assert.Equal(20, quantized.Count);
        var spread = vectors.Select(v => DistanceKernels.Similarity(distance, query, Prepared(distance, v))).ToArray();
        var range = spread.Max() - spread.Min();
        var differ = 0;
        foreach (var hit in quantized)
        {
            var exact = DistanceKernels.Similarity(distance, query, Prepared(distance, vectors[hit.Id.Num]));
            Assert.True(Math.Abs(exact - hit.Score) <= 0.05 * range, $"{distance}: quantized {hit.Score}, float {exact}, range {range}");
            differ += exact == hit.Score ? 0 : 1;
        }

        // Without rescoring the scores are the codes' own: approximate, not the float32 ones.
        Assert.True(differ > 10, $"{distance}: only {differ} of 20 scores came from the codes");

        // ignore: the float32 vectors through the same graph.
        var ignored = segment.Search("", query, null, 5, new SegmentSearchOptions(Ef: 64, Quantization: new QuantizedSearch(Ignore: true)));
        foreach (var hit in ignored)
        {
            Assert.Equal(DistanceKernels.Similarity(distance, query, Prepared(distance, vectors[hit.Id.Num])), hit.Score);
        }
    }

    [Fact]
    public void SavedCodes_ReopenWithoutRebuild()
    {
        using var dir = new TempDirectory("quant-reopen");
        var vectors = Clustered(7500, 1500, Dim);
        var segment = CreateFilled(dir, Distance.Cosine, vectors);
        Build(segment, Policy(Scalar));
        var query = Prepared(Distance.Cosine, vectors[77]);
        var before = segment.Search("", query, null, 10, new SegmentSearchOptions(Ef: 64));
        segment.Flush(2000);
        segment.Dispose();

        var file = Assert.Single(Directory.GetFiles(dir.Combine("s"), "quant-*.bin"));
        var bytes = File.ReadAllBytes(file);
        var written = File.GetLastWriteTimeUtc(file);

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal((true, 0.99f), reopened.QuantizationState(""));
        Assert.False(reopened.NeedsIndexBuild("", Policy(Scalar)));
        Assert.Equal(before, reopened.Search("", query, null, 10, new SegmentSearchOptions(Ef: 64)));
        Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
    }

    [Theory]
    [InlineData(10)] // header
    [InlineData(500)] // codes
    public void DamagedCodes_AreSetAside_AndRebuilt(int at)
    {
        using var dir = new TempDirectory("quant-damaged");
        var vectors = Clustered(7600, 800, Dim);
        var segment = CreateFilled(dir, Distance.Dot, vectors);
        Build(segment, Policy(Scalar));
        segment.Flush(1000);
        segment.Dispose();
        var file = Assert.Single(Directory.GetFiles(dir.Combine("s"), "quant-*.bin"));
        var bytes = File.ReadAllBytes(file);
        bytes[at] ^= 0x5a;
        File.WriteAllBytes(file, bytes);

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.False(reopened.QuantizationState("").Quantized);
        Assert.False(File.Exists(file));
        Assert.NotNull(reopened.GraphParameters(""));

        // Only the codes are rebuilt: the graph in service stays.
        var job = Build(reopened, Policy(Scalar));
        Assert.False(job.BuildsGraph);
        Assert.True(reopened.QuantizationState("").Quantized);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public void ConfigChange_RebuildsCodesAlone_AndRemovalDropsThem()
    {
        using var dir = new TempDirectory("quant-change");
        var vectors = Clustered(7700, 800, Dim);
        using var segment = CreateFilled(dir, Distance.Euclid, vectors);
        Build(segment, Policy(null));
        Assert.False(segment.QuantizationState("").Quantized);

        // Turned on: codes for the graph in service.
        Assert.True(segment.NeedsIndexBuild("", Policy(Scalar)));
        Assert.False(Build(segment, Policy(Scalar)).BuildsGraph);
        Assert.Equal((true, 0.99f), segment.QuantizationState(""));
        Assert.False(segment.NeedsIndexBuild("", Policy(Scalar)));

        // Another quantile: new codes.
        var other = new ScalarQuantization(Quantile: 0.95f);
        Assert.True(segment.NeedsIndexBuild("", Policy(other)));
        Assert.False(Build(segment, Policy(other)).BuildsGraph);
        Assert.Equal((true, 0.95f), segment.QuantizationState(""));

        // Turned off: dropped with their file, the graph stays.
        Assert.True(segment.HasUnwantedIndex("", Policy(null)));
        Assert.False(segment.NeedsIndexBuild("", Policy(null)));
        Assert.True(segment.DropIndex("", Policy(null)));
        Assert.False(segment.QuantizationState("").Quantized);
        Assert.Empty(Directory.GetFiles(dir.Combine("s"), "quant-*"));
        Assert.NotNull(segment.GraphParameters(""));
        Assert.False(segment.HasUnwantedIndex("", Policy(null)));
    }

    [Fact]
    public void BuildNotInstalled_LeavesNothingInUse()
    {
        using var dir = new TempDirectory("quant-killed");
        var vectors = Clustered(7800, 800, Dim);
        var segment = CreateFilled(dir, Distance.Cosine, vectors);
        Build(segment, Policy(null));
        var job = segment.PrepareIndexBuild("", Policy(Scalar))!;
        job.Run(1, default);

        // The process dies here: the codes exist only under their temporary name.
        Assert.Empty(Directory.GetFiles(dir.Combine("s"), "quant-*.bin"));
        Assert.Single(Directory.GetFiles(dir.Combine("s"), "quant-*.tmp"));
        segment.Flush(1000);
        segment.Dispose();

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.False(reopened.QuantizationState("").Quantized);
        Assert.Empty(Directory.GetFiles(dir.Combine("s"), "quant-*"));
        Assert.True(reopened.NeedsIndexBuild("", Policy(Scalar)));
    }

    [Fact]
    public void RewrittenPoint_IsFoundByItsNewVector()
    {
        using var dir = new TempDirectory("quant-stale");
        var vectors = Clustered(7900, 1000, Dim);
        using var segment = CreateFilled(dir, Distance.Euclid, vectors);
        Build(segment, Policy(Scalar));

        // Point 5 moves onto point 900's place after the codes were built.
        segment.Upsert(5000, PointId.FromNum(5), new Dictionary<string, VectorData> { [""] = vectors[900].Select(v => v + 0.001f).ToArray() }, null);
        foreach (var options in new[] { new SegmentSearchOptions(Ef: 64), Rescored })
        {
            var hits = segment.Search("", vectors[900], null, 2, options);
            Assert.Contains(hits, h => h.Id.Num == 5);
        }
    }
}
