using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// Vectors stored as float16 or uint8: values as the reference stores them (rounded, truncated and saturated, Cosine
/// normalized before rounding for float16 and never for uint8), scores against an oracle over those values, graph
/// recall per metric, the files at a half and a quarter of float32's bytes, the datatype kept across a reopen, and
/// quantization reading the originals through their datatype.
/// </summary>
public sealed class PointSegmentDatatypeTests
{
    private const int Dim = 40;

    public static TheoryData<VectorDatatype, Distance> TypedSpaces()
    {
        var data = new TheoryData<VectorDatatype, Distance>();
        foreach (var datatype in new[] { VectorDatatype.Float16, VectorDatatype.Uint8 })
        {
            foreach (var distance in new[] { Distance.Cosine, Distance.Euclid, Distance.Dot, Distance.Manhattan })
            {
                data.Add(datatype, distance);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TypedSpaces))]
    public void StoredValues_AndScores_AreTheReferences(VectorDatatype datatype, Distance distance)
    {
        using var dir = new TempDirectory("dt-values");
        var vectors = Vectors(datatype, 300, Dim, seed: 100 + (int)distance);
        using var segment = CreateFilled(dir, datatype, distance, vectors);
        Assert.Equal(datatype, segment.VectorShape("")!.Datatype);

        for (var i = 0; i < vectors.Length; i += 37)
        {
            Assert.True(segment.TryGetPoint(PointId.FromNum((ulong)i), false, null, out _, out var read, out _));
            Assert.Equal(Stored(datatype, distance, vectors[i]), ((DenseVector)read![""]).Values);
        }

        var query = Query(datatype, distance, Vectors(datatype, 1, Dim, seed: 999)[0]);
        var hits = segment.Search("", query, null, vectors.Length, new SegmentSearchOptions(Exact: true));
        Assert.Equal(vectors.Length, hits.Count);
        var storedQuery = Stored(datatype, distance, query, preprocessed: true);
        foreach (var hit in hits)
        {
            Assert.Equal(Oracle(datatype, distance, storedQuery, Stored(datatype, distance, vectors[hit.Id.Num])), hit.Score, Tolerance(datatype, distance, hit.Score));
        }
    }

    [Theory]
    [MemberData(nameof(TypedSpaces))]
    public void GraphSearch_RecallAtTen_IsHigh(VectorDatatype datatype, Distance distance)
    {
        using var dir = new TempDirectory("dt-recall");
        var all = Vectors(datatype, 2040, Dim, seed: 200 + (int)distance);
        using var segment = CreateFilled(dir, datatype, distance, all[..2000]);
        Build(segment, new IndexingPolicy(1, 16, 100));

        double found = 0;
        foreach (var raw in all[2000..])
        {
            var query = Query(datatype, distance, raw);
            var exact = segment.Search("", query, null, 10, new SegmentSearchOptions(Exact: true)).Select(h => h.Id).ToHashSet();
            found += segment.Search("", query, null, 10, new SegmentSearchOptions(Ef: 100)).Count(h => exact.Contains(h.Id));
        }

        var recall = found / 400;
        Assert.True(recall >= 0.95, $"{datatype} {distance}: recall@10 {recall:F3}");
    }

    [Theory]
    [InlineData(VectorDatatype.Float16, 2)]
    [InlineData(VectorDatatype.Uint8, 4)]
    public void VectorFile_TakesAFractionOfFloat32sBytes(VectorDatatype datatype, int fraction)
    {
        using var dir = new TempDirectory("dt-bytes");
        var vectors = Vectors(datatype, 5000, 128, seed: 300);
        using (var wide = CreateFilled(dir, VectorDatatype.Float32, Distance.Dot, vectors, "wide"))
        using (var narrow = CreateFilled(dir, datatype, Distance.Dot, vectors, "narrow"))
        {
            wide.Flush(1);
            narrow.Flush(1);
        }

        // The files grow by doubling, so their lengths are capacities: a fraction of float32's give or take 5 %.
        var wideBytes = new FileInfo(Path.Combine(dir.Combine("wide"), "vectors-.bin")).Length;
        var narrowBytes = new FileInfo(Path.Combine(dir.Combine("narrow"), "vectors-.bin")).Length;
        Assert.InRange(narrowBytes * fraction, wideBytes * 0.95, wideBytes * 1.05);
    }

    [Theory]
    [InlineData(VectorDatatype.Float16, Distance.Cosine)]
    [InlineData(VectorDatatype.Uint8, Distance.Euclid)]
    public void Reopen_KeepsTheDatatype_TheGraph_AndTheAnswers(VectorDatatype datatype, Distance distance)
    {
        using var dir = new TempDirectory("dt-reopen");
        var vectors = Vectors(datatype, 1500, Dim, seed: 400);
        var query = Query(datatype, distance, vectors[5]);
        List<SearchHit> before;
        using (var segment = CreateFilled(dir, datatype, distance, vectors))
        {
            Build(segment, new IndexingPolicy(1, 16, 100));
            segment.Flush((ulong)vectors.Length);
            before = segment.Search("", query, null, 10, new SegmentSearchOptions(Ef: 64));
        }

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal(datatype, reopened.VectorShape("")!.Datatype);
        Assert.NotNull(reopened.GraphParameters(""));
        Assert.Equal(before, reopened.Search("", query, null, 10, new SegmentSearchOptions(Ef: 64)));
        Assert.True(reopened.TryGetPoint(PointId.FromNum(7), false, null, out _, out var read, out _));
        Assert.Equal(Stored(datatype, distance, vectors[7]), ((DenseVector)read![""]).Values);
    }

    [Theory]
    [InlineData(VectorDatatype.Float16, Distance.Cosine, false)]
    [InlineData(VectorDatatype.Uint8, Distance.Cosine, false)]
    [InlineData(VectorDatatype.Uint8, Distance.Dot, true)]
    [InlineData(VectorDatatype.Float16, Distance.Euclid, true)]
    public void Quantization_OverTypedOriginals_KeepsFloat32sRecall(VectorDatatype datatype, Distance distance, bool binary)
    {
        var all = Vectors(datatype, 2040, Dim, seed: 500 + (int)distance);
        QuantizationSettings settings = binary ? new BinaryQuantization(BinaryEncoding.TwoBits) : new ScalarQuantization();
        var rounded = all.Select(v => Stored(datatype, Distance.Dot, v)).ToArray();
        var baseline = QuantizedRecall(VectorDatatype.Float32, distance, settings, rounded);
        var recall = QuantizedRecall(datatype, distance, settings, all);

        // The same codes over the same (rounded) values held as float32: as good, and high for int8 codes.
        Assert.True(recall >= baseline - 0.05, $"{datatype} {distance} binary={binary}: recall@10 {recall:F3}, float32 {baseline:F3}");
        Assert.True(binary || recall >= 0.9, $"{datatype} {distance}: recall@10 {recall:F3}");
    }

    private static double QuantizedRecall(VectorDatatype datatype, Distance distance, QuantizationSettings settings, float[][] all)
    {
        using var dir = new TempDirectory("dt-quant");
        using var segment = CreateFilled(dir, datatype, distance, all[..2000]);
        Build(segment, new IndexingPolicy(1, 16, 100, settings));
        Assert.NotNull(segment.QuantizationOf(""));

        double found = 0;
        var options = new SegmentSearchOptions(Ef: 128, Quantization: new QuantizedSearch(Rescore: true, Oversampling: 4));
        foreach (var raw in all[2000..])
        {
            var query = Query(datatype, distance, raw);
            var exact = segment.Search("", query, null, 10, new SegmentSearchOptions(Exact: true));
            var hits = segment.Search("", query, null, 10, options);
            found += hits.Count(h => exact.Any(e => e.Id == h.Id));
            foreach (var hit in hits)
            {
                // Rescored with the stored originals, as exact search scores them.
                var stored = Stored(datatype, distance, all[hit.Id.Num]);
                Assert.Equal(Oracle(datatype, distance, Stored(datatype, distance, query, preprocessed: true), stored), hit.Score, Tolerance(datatype, distance, hit.Score));
            }
        }

        return found / 400;
    }

    [Fact]
    public void Uint8Cosine_ScoresTheRawValues_AndAZeroVectorScoresZero()
    {
        using var dir = new TempDirectory("dt-u8cos");
        float[][] vectors = [[3, 4, 0, 0], [300, -2, 0.9f, 7.99f], [0, 0, 0, 0]];
        using var segment = CreateFilled(dir, VectorDatatype.Uint8, Distance.Cosine, vectors);

        Assert.True(segment.TryGetPoint(PointId.FromNum(1), false, null, out _, out var read, out _));
        Assert.Equal(new float[] { 255, 0, 0, 7 }, ((DenseVector)read![""]).Values);

        var hits = segment.Search("", [6, 8, 0, 0.5f], null, 3, new SegmentSearchOptions(Exact: true));
        Assert.Equal([0UL, 1UL, 2UL], hits.Select(h => h.Id.Num));
        Assert.Equal(1f, hits[0].Score, 6);
        Assert.Equal((float)(6 * 255 / (10 * Math.Sqrt((255 * 255) + 49))), hits[1].Score, 6);
        Assert.Equal(0f, hits[2].Score);
    }

    private static PointSegment CreateFilled(TempDirectory dir, VectorDatatype datatype, Distance distance, float[][] vectors, string name = "s")
    {
        var spec = new VectorSpec(vectors[0].Length, distance, Datatype: datatype);
        var segment = PointSegment.Create(dir.Combine(name), new Dictionary<string, VectorSpec> { [""] = spec });
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

    // Clustered values: around ±2 for float16 (with some the rounding changes), integers and fractions 0..270 for
    // uint8 (some beyond 255, some negative, to check saturation).
    internal static float[][] Vectors(VectorDatatype datatype, int count, int dim, int seed)
    {
        var rng = new Random(seed);
        var centres = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, dim).Select(_ => rng.NextSingle()).ToArray()).ToArray();
        return Enumerable.Range(0, count).Select(_ =>
        {
            var centre = centres[rng.Next(centres.Length)];
            return centre.Select(c => datatype == VectorDatatype.Uint8
                ? (c * 250f) + (rng.NextSingle() * 40f) - 15f
                : (c * 4f) - 2f + ((rng.NextSingle() - 0.5f) * 0.6f)).ToArray();
        }).ToArray();
    }

    // A search takes the query preprocessed as stored vectors are: normalized for Cosine except in a uint8 store.
    internal static float[] Query(VectorDatatype datatype, Distance distance, float[] raw)
    {
        var query = (float[])raw.Clone();
        if (datatype != VectorDatatype.Uint8)
        {
            DistanceKernels.Preprocess(distance, query);
        }

        return query;
    }

    // The values as the reference stores them, computed here independently of the codec.
    internal static float[] Stored(VectorDatatype datatype, Distance distance, float[] raw, bool preprocessed = false)
    {
        var values = (float[])raw.Clone();
        if (datatype == VectorDatatype.Uint8)
        {
            return [.. values.Select(v => float.IsNaN(v) || v <= 0 ? 0f : v >= 255 ? 255f : MathF.Truncate(v))];
        }

        if (!preprocessed && distance == Distance.Cosine)
        {
            var norm = Math.Sqrt(values.Sum(v => (double)v * v));
            values = [.. values.Select(v => (float)(v / norm))];
        }

        return datatype == VectorDatatype.Float32 ? values : [.. values.Select(v => (float)(Half)v)];
    }

    internal static float Oracle(VectorDatatype datatype, Distance distance, float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0, l2 = 0, l1 = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
            l2 += ((double)a[i] - b[i]) * (a[i] - b[i]);
            l1 += Math.Abs((double)a[i] - b[i]);
        }

        return distance switch
        {
            Distance.Cosine when datatype == VectorDatatype.Uint8 => na == 0 || nb == 0 ? 0f : (float)(dot / Math.Sqrt(na * nb)),
            Distance.Cosine or Distance.Dot => (float)dot,
            Distance.Euclid => (float)-l2,
            _ => (float)-l1,
        };
    }

    internal static double Tolerance(VectorDatatype datatype, Distance distance, float score) =>
        Math.Max(1e-4, Math.Abs(score) * 1e-5);
}
