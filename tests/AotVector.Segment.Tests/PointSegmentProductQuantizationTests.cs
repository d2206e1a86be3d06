using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// Product quantization in a segment: every chunk's code is its nearest centroid and a score is the query's
/// similarity to the decoded vector (checked against a brute-force oracle), training is seeded, recall through the
/// graph with and without rescoring and with a filter, the reference's default (no rescoring), saved beside the
/// graph and reopened as is, set aside when damaged, rebuilt alone when the compression changes.
/// </summary>
public sealed class PointSegmentProductQuantizationTests
{
    private const int Dim = 64;

    private static IndexingPolicy Policy(QuantizationSettings? quantization) => new(1, 16, 100, quantization);

    // Seeded clustered points with a low intrinsic dimension, as embeddings are.
    private static float[][] Embeddings(int seed, int count, int dim, int clusters = 30, int spread = 6)
    {
        var rng = new Random(seed);
        float Gaussian() => (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        float[] Draw(float scale) => Enumerable.Range(0, dim).Select(_ => scale * Gaussian()).ToArray();
        var centres = Enumerable.Range(0, clusters).Select(_ => Draw(1f)).ToArray();
        var directions = Enumerable.Range(0, clusters * spread).Select(_ => Draw(0.5f)).ToArray();
        rng = new Random(seed + 1);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var cluster = rng.Next(clusters);
            var point = (float[])centres[cluster].Clone();
            for (var k = 0; k < spread; k++)
            {
                var w = Gaussian();
                var direction = directions[(cluster * spread) + k];
                for (var d = 0; d < dim; d++)
                {
                    point[d] += w * direction[d];
                }
            }

            for (var d = 0; d < dim; d++)
            {
                point[d] += 0.05f * Gaussian();
            }

            return point;
        }).ToArray();
    }

    private static PointSegment CreateFilled(TempDirectory dir, Distance distance, float[][] vectors)
    {
        var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(vectors[0].Length, distance) });
        for (var i = 0; i < vectors.Length; i++)
        {
            var payload = new Payload { ["even"] = i % 2 == 0 ? PayloadValue.True : PayloadValue.False };
            segment.Upsert((ulong)i + 1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = vectors[i] }, payload);
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

    private static ProductQuantizedVectors BuildCodes(Distance distance, float[][] vectors, ProductCompression compression, bool[]? exclude = null)
    {
        var prepared = vectors.Select(v => Prepared(distance, v)).ToArray();
        var source = new ArrayVectorSource(prepared.SelectMany(v => v).ToArray(), vectors[0].Length);
        return ProductQuantizedVectors.Build(distance, source, exclude, compression, default);
    }

    [Theory]
    [InlineData(Distance.Dot, ProductCompression.X4, 7)]
    [InlineData(Distance.Cosine, ProductCompression.X8, 33)]
    [InlineData(Distance.Euclid, ProductCompression.X16, 64)]
    [InlineData(Distance.Manhattan, ProductCompression.X32, 20)]
    [InlineData(Distance.Euclid, ProductCompression.X64, 100)]
    [InlineData(Distance.Dot, ProductCompression.X64, 9)]
    public void Codes_AreTheNearestCentroids_AndScoresTheDecodedSimilarity(Distance distance, ProductCompression compression, int dim)
    {
        var vectors = Embeddings(9000 + dim, 700, dim);
        var codes = BuildCodes(distance, vectors, compression);
        var chunk = compression.ChunkSize();
        Assert.Equal((dim + chunk - 1) / chunk, codes.Chunks);
        var book = codes.Codebook.Values.ToArray();
        float Centroid(int k, int d) => book[(d * ProductCodebook.Centroids) + k];

        var query = Prepared(distance, Embeddings(9100 + dim, 1, dim)[0]);
        var offsets = Enumerable.Range(0, vectors.Length).Select(i => (uint)i).ToArray();
        var scores = new float[offsets.Length];
        codes.Score(query, offsets, scores);
        for (var i = 0; i < vectors.Length; i++)
        {
            var vector = Prepared(distance, vectors[i]);
            var row = codes.Row((uint)i).ToArray();
            var decoded = new float[dim];
            for (var c = 0; c < row.Length; c++)
            {
                var (start, end) = (c * chunk, Math.Min(dim, (c + 1) * chunk));
                double Distance2(int k) => Enumerable.Range(start, end - start).Sum(d => Math.Pow(vector[d] - Centroid(k, d), 2));
                var best = Enumerable.Range(0, ProductCodebook.Centroids).Min(Distance2);
                Assert.Equal(best, Distance2(row[c]), 1e-3 * Math.Max(1, best));
                for (var d = start; d < end; d++)
                {
                    decoded[d] = Centroid(row[c], d);
                }
            }

            var expected = DistanceKernels.Similarity(distance, query, decoded);
            Assert.Equal(expected, scores[i], 1e-3 * Math.Max(1, Math.Abs(expected)));
        }
    }

    [Fact]
    public void Training_IsSeeded_AndSkipsExcludedOffsets()
    {
        var vectors = Embeddings(9200, 1500, Dim);
        var a = BuildCodes(Distance.Dot, vectors, ProductCompression.X16);
        var b = BuildCodes(Distance.Dot, vectors, ProductCompression.X16);
        Assert.Equal(a.Codebook.Values.ToArray(), b.Codebook.Values.ToArray());

        // Excluded offsets take no part in training: pushing them far away leaves the codebook as it was.
        var exclude = new bool[vectors.Length];
        var moved = vectors.Select((v, i) => i % 3 == 0 ? v.Select(x => x + 1000f).ToArray() : v).ToArray();
        for (var i = 0; i < exclude.Length; i += 3)
        {
            exclude[i] = true;
        }

        var once = BuildCodes(Distance.Dot, moved, ProductCompression.X16, exclude);
        var twice = BuildCodes(Distance.Dot, vectors.Select((v, i) => i % 3 == 0 ? v.Select(x => x - 1000f).ToArray() : v).ToArray(), ProductCompression.X16, exclude);
        Assert.Equal(once.Codebook.Values.ToArray(), twice.Codebook.Values.ToArray());
        Assert.True(once.Codebook.Values.ToArray().All(x => Math.Abs(x) < 100));
    }

    [Fact]
    public void FewVectors_AreTheirOwnCentroids_SoScoresAreExact()
    {
        var vectors = Embeddings(9300, 200, Dim);
        var codes = BuildCodes(Distance.Euclid, vectors, ProductCompression.X64);
        var query = Embeddings(9301, 1, Dim)[0];
        var scores = new float[vectors.Length];
        codes.Score(query, Enumerable.Range(0, vectors.Length).Select(i => (uint)i).ToArray(), scores);
        for (var i = 0; i < vectors.Length; i++)
        {
            var exact = DistanceKernels.Similarity(Distance.Euclid, query, vectors[i]);
            Assert.Equal(exact, scores[i], 1e-3 * Math.Max(1, Math.Abs(exact)));
        }
    }

    [Theory]
    [InlineData(Distance.Cosine, ProductCompression.X4)]
    [InlineData(Distance.Dot, ProductCompression.X8)]
    [InlineData(Distance.Euclid, ProductCompression.X8)]
    [InlineData(Distance.Manhattan, ProductCompression.X16)]
    public void Search_Recall_WithAndWithoutRescoring_AndWithAFilter(Distance distance, ProductCompression compression)
    {
        using var dir = new TempDirectory("pq-recall");
        var all = Embeddings(9400 + (int)distance, 3040, Dim);
        var vectors = all[..3000];
        var queries = all[3000..];
        using var segment = CreateFilled(dir, distance, vectors);
        Build(segment, Policy(new ProductQuantization(compression)));
        Assert.Equal(new ProductQuantization(compression), segment.QuantizationOf(""));

        var even = new Filter(Must: [new FieldCondition("even", Match: new MatchValue(PayloadValue.True))]);
        double rescored = 0, raw = 0, filtered = 0;
        foreach (var rawQuery in queries)
        {
            var query = Prepared(distance, rawQuery);
            var exact = segment.Search("", query, null, 10, new SegmentSearchOptions(Exact: true)).Select(h => h.Id).ToHashSet();
            var exactEven = segment.Search("", query, even, 10, new SegmentSearchOptions(Exact: true)).Select(h => h.Id).ToHashSet();

            // The reference's default for product: no rescoring, the hits carry the codes' scores.
            var byCodes = segment.Search("", query, null, 10, new SegmentSearchOptions(Ef: 128));
            raw += byCodes.Count(h => exact.Contains(h.Id));
            Assert.Contains(byCodes, h => Math.Abs(h.Score - DistanceKernels.Similarity(distance, query, Prepared(distance, vectors[h.Id.Num]))) > 1e-4);

            var options = new SegmentSearchOptions(Ef: 128, Quantization: new QuantizedSearch(Rescore: true, Oversampling: 4));
            var hits = segment.Search("", query, null, 10, options);
            rescored += hits.Count(h => exact.Contains(h.Id));
            foreach (var hit in hits)
            {
                Assert.Equal(DistanceKernels.Similarity(distance, query, Prepared(distance, vectors[hit.Id.Num])), hit.Score, 3);
            }

            var evenHits = segment.Search("", query, even, 10, options);
            Assert.All(evenHits, h => Assert.Equal(0ul, h.Id.Num % 2));
            filtered += evenHits.Count(h => exactEven.Contains(h.Id));
        }

        var n = queries.Length * 10.0;
        Assert.True(rescored / n >= 0.9, $"{distance} {compression}: rescored recall@10 {rescored / n:F3}");
        Assert.True(filtered / n >= 0.9, $"{distance} {compression}: filtered recall@10 {filtered / n:F3}");
        Assert.True(raw / n >= 0.5, $"{distance} {compression}: recall@10 by codes {raw / n:F3}");
        Assert.True(rescored >= raw, $"rescoring lowers recall: {rescored / n:F3} < {raw / n:F3}");
    }

    [Fact]
    public void SavedCodes_ReopenWithoutRebuild()
    {
        using var dir = new TempDirectory("pq-reopen");
        var vectors = Embeddings(9500, 1200, Dim);
        var settings = new ProductQuantization(ProductCompression.X16);
        var segment = CreateFilled(dir, Distance.Cosine, vectors);
        Build(segment, Policy(settings));
        var query = Prepared(Distance.Cosine, vectors[77]);
        var options = new SegmentSearchOptions(Ef: 64);
        var before = segment.Search("", query, null, 10, options);
        segment.Flush(2000);
        segment.Dispose();

        var file = Assert.Single(Directory.GetFiles(dir.Combine("s"), "quant-*.bin"));
        var bytes = File.ReadAllBytes(file);
        var written = File.GetLastWriteTimeUtc(file);

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal(settings, reopened.QuantizationOf(""));
        Assert.False(reopened.NeedsIndexBuild("", Policy(settings)));
        Assert.Equal(before, reopened.Search("", query, null, 10, options));
        Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
    }

    [Theory]
    [InlineData(21)] // header
    [InlineData(5000)] // codebook
    [InlineData(-3)] // codes
    public void DamagedCodes_AreSetAside_AndRebuilt(int at)
    {
        using var dir = new TempDirectory("pq-damaged");
        var vectors = Embeddings(9600, 800, Dim);
        var settings = new ProductQuantization(ProductCompression.X8);
        var segment = CreateFilled(dir, Distance.Dot, vectors);
        Build(segment, Policy(settings));
        segment.Flush(1000);
        segment.Dispose();
        var file = Assert.Single(Directory.GetFiles(dir.Combine("s"), "quant-*.bin"));
        var bytes = File.ReadAllBytes(file);
        bytes[at >= 0 ? at : bytes.Length + at] ^= 0x5a;
        File.WriteAllBytes(file, bytes);

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Null(reopened.QuantizationOf(""));
        Assert.False(File.Exists(file));

        var job = Build(reopened, Policy(settings));
        Assert.False(job.BuildsGraph);
        Assert.Equal(settings, reopened.QuantizationOf(""));
        Assert.True(File.Exists(file));
    }

    [Fact]
    public void ConfigChange_RebuildsCodesAlone()
    {
        using var dir = new TempDirectory("pq-change");
        var vectors = Embeddings(9700, 800, Dim);
        using var segment = CreateFilled(dir, Distance.Euclid, vectors);
        Build(segment, Policy(new ScalarQuantization()));

        foreach (QuantizationSettings settings in new QuantizationSettings[]
        {
            new ProductQuantization(ProductCompression.X16),
            new ProductQuantization(ProductCompression.X4),
            new BinaryQuantization(),
            new ProductQuantization(ProductCompression.X32),
        })
        {
            Assert.True(segment.NeedsIndexBuild("", Policy(settings)));
            Assert.False(Build(segment, Policy(settings)).BuildsGraph);
            Assert.Equal(settings, segment.QuantizationOf(""));
            Assert.False(segment.NeedsIndexBuild("", Policy(settings)));
        }

        // The placement hint alone does not change the codes.
        Assert.False(segment.NeedsIndexBuild("", Policy(new ProductQuantization(ProductCompression.X32, AlwaysRam: true))));
    }
}
