using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// Binary quantization in a segment: codes scored as the reference scores them (checked against a bit-by-bit
/// oracle), recall through the graph with rescoring for every encoding, the reference's rescoring default, saved
/// beside the graph and reopened as is, set aside when damaged, rebuilt alone when the config changes.
/// </summary>
public sealed class PointSegmentBinaryQuantizationTests
{
    private const int Dim = 96;

    private static IndexingPolicy Policy(QuantizationSettings? quantization) => new(1, 16, 100, quantization);

    // Points around seeded gaussian centres, centred on zero as embeddings roughly are, spread mostly along a few
    // directions per cluster (a low intrinsic dimension, as real embeddings have) plus a little isotropic noise.
    private static float[][] Embeddings(int seed, int count, int dim, int clusters = 30, int spread = 8)
    {
        var rng = new Random(seed);
        float Gaussian() => (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        float[] Draw(float scale) => Enumerable.Range(0, dim).Select(_ => scale * Gaussian()).ToArray();
        var centres = Enumerable.Range(0, clusters).Select(_ => Draw(1f)).ToArray();
        var directions = Enumerable.Range(0, clusters * spread).Select(_ => Draw(0.5f)).ToArray();
        var points = new Random(seed + 1);
        rng = points;
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
    [InlineData(BinaryEncoding.OneBit, BinaryQueryEncoding.Default, 17)]
    [InlineData(BinaryEncoding.OneBit, BinaryQueryEncoding.Scalar8Bits, 65)]
    [InlineData(BinaryEncoding.TwoBits, BinaryQueryEncoding.Binary, 96)]
    [InlineData(BinaryEncoding.TwoBits, BinaryQueryEncoding.Scalar4Bits, 129)]
    [InlineData(BinaryEncoding.OneAndHalfBits, BinaryQueryEncoding.Default, 7)]
    [InlineData(BinaryEncoding.OneAndHalfBits, BinaryQueryEncoding.Scalar8Bits, 200)]
    public void Scores_MatchTheBitOracle(BinaryEncoding encoding, BinaryQueryEncoding queryEncoding, int dim)
    {
        var vectors = Embeddings(8000 + dim, 300, dim);
        var source = new ArrayVectorSource(vectors.SelectMany(v => v).ToArray(), dim);
        var codes = BinaryQuantizedVectors.Build(Distance.Dot, source, null, encoding, queryEncoding, default);
        var (means, stddevs) = Statistics(vectors, dim);
        var query = Embeddings(8100 + dim, 1, dim)[0];

        var offsets = Enumerable.Range(0, vectors.Length).Select(i => (uint)i).ToArray();
        var scores = new float[offsets.Length];
        codes.Score(query, offsets, scores);

        var queryBits = queryEncoding switch { BinaryQueryEncoding.Scalar4Bits => 4, BinaryQueryEncoding.Scalar8Bits => 8, _ => 1 };
        for (var i = 0; i < vectors.Length; i++)
        {
            var stored = OracleBits(vectors[i], encoding, means, stddevs);
            double differing;
            if (queryBits == 1)
            {
                var bits = OracleBits(query, encoding, means, stddevs);
                differing = stored.Zip(bits).Count(p => p.First != p.Second);
            }
            else
            {
                // The query's extended values quantized between ±max|value|; a set data bit takes the complement.
                var extended = Extended(query, encoding);
                var max = extended.Max(Math.Abs);
                var levels = (1 << queryBits) - 1;
                var delta = 2 * max / levels;
                differing = 0;
                for (var j = 0; j < extended.Length; j++)
                {
                    var level = (int)MathF.Round((extended[j] + max) / delta) % (levels + 1);
                    differing += stored[j] ? levels - level : level;
                }

                differing /= levels;
            }

            Assert.Equal(dim - (2 * differing), scores[i], 0.001 * dim);
        }
    }

    [Theory]
    [InlineData(Distance.Cosine, BinaryEncoding.OneBit, BinaryQueryEncoding.Default)]
    [InlineData(Distance.Dot, BinaryEncoding.TwoBits, BinaryQueryEncoding.Default)]
    [InlineData(Distance.Euclid, BinaryEncoding.OneAndHalfBits, BinaryQueryEncoding.Default)]
    [InlineData(Distance.Manhattan, BinaryEncoding.TwoBits, BinaryQueryEncoding.Scalar8Bits)]
    [InlineData(Distance.Cosine, BinaryEncoding.OneBit, BinaryQueryEncoding.Scalar4Bits)]
    public void RescoredSearch_RecallAtTen_IsHigh(Distance distance, BinaryEncoding encoding, BinaryQueryEncoding queryEncoding)
    {
        using var dir = new TempDirectory("bq-recall");
        var all = Embeddings(8200 + (int)distance, 3040, Dim);
        var vectors = all[..3000];
        var queries = all[3000..];
        using var segment = CreateFilled(dir, distance, vectors);
        Build(segment, Policy(new BinaryQuantization(encoding, queryEncoding)));
        Assert.IsType<BinaryQuantization>(segment.QuantizationOf(""));

        double found = 0;
        var options = new SegmentSearchOptions(Ef: 128, Quantization: new QuantizedSearch(Oversampling: 4));
        foreach (var raw in queries)
        {
            var query = Prepared(distance, raw);
            var exact = segment.Search("", query, null, 10, new SegmentSearchOptions(Exact: true)).Select(h => h.Id).ToHashSet();
            var hits = segment.Search("", query, null, 10, options);
            found += hits.Count(h => exact.Contains(h.Id));

            // Rescored by default (the reference's default for binary): hits carry their float32 score.
            foreach (var hit in hits)
            {
                Assert.Equal(DistanceKernels.Similarity(distance, query, Prepared(distance, vectors[hit.Id.Num])), hit.Score, 3);
            }
        }

        var recall = found / (queries.Length * 10);
        Assert.True(recall >= 0.9, $"{distance} {encoding} {queryEncoding}: recall@10 {recall:F3}");
    }

    [Fact]
    public void RescoreOff_ShowsTheCodesScores_AndIgnoreTheFloatOnes()
    {
        using var dir = new TempDirectory("bq-norescore");
        var vectors = Embeddings(8300, 800, Dim);
        using var segment = CreateFilled(dir, Distance.Dot, vectors);
        Build(segment, Policy(new BinaryQuantization()));
        var query = Embeddings(8301, 1, Dim)[0];

        var raw = segment.Search("", query, null, 10, new SegmentSearchOptions(Ef: 64, Quantization: new QuantizedSearch(Rescore: false)));
        Assert.Equal(10, raw.Count);
        foreach (var hit in raw)
        {
            // n − 2·(differing bits): an integer of the dimension's parity.
            Assert.Equal(MathF.Round(hit.Score), hit.Score);
            Assert.Equal(Dim % 2, Math.Abs((int)hit.Score) % 2);
        }

        var ignored = segment.Search("", query, null, 5, new SegmentSearchOptions(Ef: 64, Quantization: new QuantizedSearch(Ignore: true)));
        foreach (var hit in ignored)
        {
            Assert.Equal(DistanceKernels.Similarity(Distance.Dot, query, vectors[hit.Id.Num]), hit.Score);
        }
    }

    [Fact]
    public void SavedCodes_ReopenWithoutRebuild()
    {
        using var dir = new TempDirectory("bq-reopen");
        var vectors = Embeddings(8400, 1200, Dim);
        var settings = new BinaryQuantization(BinaryEncoding.TwoBits, BinaryQueryEncoding.Scalar4Bits);
        var segment = CreateFilled(dir, Distance.Cosine, vectors);
        Build(segment, Policy(settings));
        var query = Prepared(Distance.Cosine, vectors[77]);
        var options = new SegmentSearchOptions(Ef: 64, Quantization: new QuantizedSearch(Rescore: false, Oversampling: 2));
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
    [InlineData(100)] // statistics
    [InlineData(2000)] // codes
    public void DamagedCodes_AreSetAside_AndRebuilt(int at)
    {
        using var dir = new TempDirectory("bq-damaged");
        var vectors = Embeddings(8500, 800, Dim);
        var settings = new BinaryQuantization(BinaryEncoding.OneAndHalfBits);
        var segment = CreateFilled(dir, Distance.Dot, vectors);
        Build(segment, Policy(settings));
        segment.Flush(1000);
        segment.Dispose();
        var file = Assert.Single(Directory.GetFiles(dir.Combine("s"), "quant-*.bin"));
        var bytes = File.ReadAllBytes(file);
        bytes[at] ^= 0x5a;
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
        using var dir = new TempDirectory("bq-change");
        var vectors = Embeddings(8600, 800, Dim);
        using var segment = CreateFilled(dir, Distance.Euclid, vectors);
        Build(segment, Policy(new ScalarQuantization()));

        // Scalar to binary, then another encoding, then another query encoding: new codes each time, same graph.
        foreach (var settings in new[]
        {
            new BinaryQuantization(),
            new BinaryQuantization(BinaryEncoding.TwoBits),
            new BinaryQuantization(BinaryEncoding.TwoBits, BinaryQueryEncoding.Scalar8Bits),
        })
        {
            Assert.True(segment.NeedsIndexBuild("", Policy(settings)));
            Assert.False(Build(segment, Policy(settings)).BuildsGraph);
            Assert.Equal(settings, segment.QuantizationOf(""));
            Assert.False(segment.NeedsIndexBuild("", Policy(settings)));
        }

        // "binary" and "default" encode the query alike: no rebuild.
        Assert.False(segment.NeedsIndexBuild("", Policy(new BinaryQuantization(BinaryEncoding.TwoBits, BinaryQueryEncoding.Scalar8Bits, AlwaysRam: true))));
        Build(segment, Policy(new BinaryQuantization()));
        Assert.False(segment.NeedsIndexBuild("", Policy(new BinaryQuantization(QueryEncoding: BinaryQueryEncoding.Binary))));

        // Back to int8.
        Assert.True(segment.NeedsIndexBuild("", Policy(new ScalarQuantization())));
        Build(segment, Policy(new ScalarQuantization()));
        Assert.IsType<ScalarQuantization>(segment.QuantizationOf(""));
    }

    // The reference's bits of one vector over the extended dimension.
    private static bool[] OracleBits(float[] v, BinaryEncoding encoding, float[] means, float[] stddevs)
    {
        var n = v.Length;
        var bits = new bool[BinaryQuantizedVectors.ExtendedDimension(n, encoding)];
        for (var i = 0; i < n; i++)
        {
            if (encoding == BinaryEncoding.OneBit)
            {
                bits[i] = v[i] > 0;
                continue;
            }

            var z = (v[i] - means[i]) / stddevs[i];
            var (low, high) = z <= -2f / 3 ? (false, false) : z < 2f / 3 ? (true, false) : (true, true);
            bits[i] = low;
            var j = encoding == BinaryEncoding.TwoBits ? n + i : n + (i / 2);
            bits[j] |= high;
        }

        return bits;
    }

    private static float[] Extended(float[] q, BinaryEncoding encoding) => encoding switch
    {
        BinaryEncoding.OneBit => q,
        BinaryEncoding.TwoBits => [.. q, .. q],
        _ => [.. q, .. q.Chunk(2).Select(c => c.Max())],
    };

    private static (float[] Means, float[] Stddevs) Statistics(float[][] vectors, int dim)
    {
        var means = new float[dim];
        var stddevs = new float[dim];
        for (var d = 0; d < dim; d++)
        {
            var mean = vectors.Average(v => (double)v[d]);
            means[d] = (float)mean;
            stddevs[d] = (float)Math.Sqrt(vectors.Sum(v => (v[d] - mean) * (v[d] - mean)) / (vectors.Length - 1));
        }

        return (means, stddevs);
    }
}
