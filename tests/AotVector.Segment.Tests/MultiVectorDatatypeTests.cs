using AotVector.Common.Model;
using AotVector.Testing;
using static AotVector.Segment.Tests.PointSegmentDatatypeTests;

namespace AotVector.Segment.Tests;

/// <summary>
/// Multivectors stored as float16 or uint8: each row stored as a dense vector of that datatype is, MaxSim scores
/// against an oracle over the stored values (query rows converted as the store's), for exact scans, the graph,
/// recommend-style example scoring, a copy into another segment and a reopen; the rows file at a fraction of
/// float32's bytes.
/// </summary>
public sealed class MultiVectorDatatypeTests
{
    private const int Dim = 24;
    private const int Rows = 3;

    public static TheoryData<VectorDatatype, Distance> TypedSpaces() => PointSegmentDatatypeTests.TypedSpaces();

    [Theory]
    [MemberData(nameof(TypedSpaces))]
    public void StoredRows_AndMaxSimScores_AreTheReferences(VectorDatatype datatype, Distance distance)
    {
        using var dir = new TempDirectory("mdt-values");
        var points = Points(datatype, 120, seed: 10 + (int)distance);
        using var segment = CreateFilled(dir, datatype, distance, points);
        Assert.Equal(datatype, segment.VectorShape("m")!.Datatype);

        for (var i = 0; i < points.Length; i += 17)
        {
            Assert.True(segment.TryGetPoint(PointId.FromNum((ulong)i), false, null, out _, out var read, out _));
            Assert.Equal(StoredRows(datatype, distance, points[i]), ((MultiDenseVector)read!["m"]).Values);
        }

        var query = QueryRows(datatype, distance, Points(datatype, 1, seed: 999)[0]);
        var hits = segment.Search("m", query, null, points.Length, new SegmentSearchOptions(Exact: true));
        Assert.Equal(points.Length, hits.Count);
        foreach (var hit in hits)
        {
            var expected = MaxSimOracle(datatype, distance, query, points[hit.Id.Num]);
            Assert.Equal(expected, hit.Score, Tolerance(datatype, distance, expected) * Rows);
        }
    }

    [Theory]
    [MemberData(nameof(TypedSpaces))]
    public void GraphSearch_RecallAtTen_IsHigh(VectorDatatype datatype, Distance distance)
    {
        using var dir = new TempDirectory("mdt-recall");
        var all = Points(datatype, 620, seed: 20 + (int)distance);
        using var segment = CreateFilled(dir, datatype, distance, all[..600]);
        Build(segment);

        double found = 0;
        foreach (var raw in all[600..])
        {
            var query = QueryRows(datatype, distance, raw);
            var exact = segment.Search("m", query, null, 10, new SegmentSearchOptions(Exact: true)).Select(h => h.Id).ToHashSet();
            found += segment.Search("m", query, null, 10, new SegmentSearchOptions(Ef: 100)).Count(h => exact.Contains(h.Id));
        }

        var recall = found / 200;
        Assert.True(recall >= 0.9, $"{datatype} {distance}: recall@10 {recall:F3}");
    }

    [Theory]
    [InlineData(VectorDatatype.Float16, Distance.Cosine)]
    [InlineData(VectorDatatype.Uint8, Distance.Cosine)]
    [InlineData(VectorDatatype.Uint8, Distance.Euclid)]
    public void ExampleScoring_ComparesStoredRows(VectorDatatype datatype, Distance distance)
    {
        using var dir = new TempDirectory("mdt-examples");
        var points = Points(datatype, 80, seed: 30 + (int)distance);
        using var segment = CreateFilled(dir, datatype, distance, points);
        var positive = QueryRows(datatype, distance, points[3]);
        var negative = QueryRows(datatype, distance, points[4]);

        var hits = segment.ScoreByExamples("m", ExampleScoring.SumScores, [positive], [negative], null, points.Length);
        Assert.Equal(points.Length, hits.Count);
        foreach (var hit in hits)
        {
            var expected = MaxSimOracle(datatype, distance, positive, points[hit.Id.Num]) - MaxSimOracle(datatype, distance, negative, points[hit.Id.Num]);
            var scale = Math.Abs(MaxSimOracle(datatype, distance, positive, points[hit.Id.Num])) + Math.Abs(MaxSimOracle(datatype, distance, negative, points[hit.Id.Num]));
            Assert.Equal(expected, hit.Score, Math.Max(1e-3, scale * 1e-5));
        }
    }

    [Theory]
    [InlineData(VectorDatatype.Float16, Distance.Dot)]
    [InlineData(VectorDatatype.Uint8, Distance.Manhattan)]
    public void Reopen_AndCopy_KeepTheDatatype_TheGraph_AndTheAnswers(VectorDatatype datatype, Distance distance)
    {
        using var dir = new TempDirectory("mdt-reopen");
        var points = Points(datatype, 400, seed: 40);
        var query = QueryRows(datatype, distance, points[5]);
        List<SearchHit> before;
        using (var segment = CreateFilled(dir, datatype, distance, points))
        {
            Build(segment);
            segment.Flush((ulong)points.Length);
            before = segment.Search("m", query, null, 10, new SegmentSearchOptions(Ef: 64));
        }

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal(datatype, reopened.VectorShape("m")!.Datatype);
        Assert.NotNull(reopened.GraphParameters("m"));
        Assert.Equal(before, reopened.Search("m", query, null, 10, new SegmentSearchOptions(Ef: 64)));

        using var copy = PointSegment.Create(dir.Combine("copy"), new Dictionary<string, VectorSpec> { ["m"] = Spec(datatype, distance) });
        Assert.True(copy.CopyPointFrom(reopened, PointId.FromNum(7)));
        Assert.True(copy.TryGetPoint(PointId.FromNum(7), false, null, out _, out var read, out _));
        Assert.Equal(StoredRows(datatype, distance, points[7]), ((MultiDenseVector)read!["m"]).Values);
        Assert.Equal((ulong)Rows * (ulong)(Dim * (datatype == VectorDatatype.Uint8 ? 1 : 2)), copy.VectorBytes);
    }

    [Theory]
    [InlineData(VectorDatatype.Float16, 2)]
    [InlineData(VectorDatatype.Uint8, 4)]
    public void RowsFile_TakesAFractionOfFloat32sBytes(VectorDatatype datatype, int fraction)
    {
        using var dir = new TempDirectory("mdt-bytes");
        var points = Points(datatype, 1000, seed: 50);
        using var wide = CreateFilled(dir, VectorDatatype.Float32, Distance.Dot, points, "wide");
        using var narrow = CreateFilled(dir, datatype, Distance.Dot, points, "narrow");
        Assert.Equal(wide.VectorBytes, narrow.VectorBytes * (ulong)fraction);
    }

    private static VectorSpec Spec(VectorDatatype datatype, Distance distance) => new(Dim, distance, Multi: true, datatype);

    private static PointSegment CreateFilled(TempDirectory dir, VectorDatatype datatype, Distance distance, float[][] points, string name = "s")
    {
        var segment = PointSegment.Create(dir.Combine(name), new Dictionary<string, VectorSpec> { ["m"] = Spec(datatype, distance) });
        for (var i = 0; i < points.Length; i++)
        {
            segment.Upsert((ulong)i + 1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { ["m"] = new MultiDenseVector(points[i], Dim) }, null);
        }

        return segment;
    }

    private static void Build(PointSegment segment)
    {
        var job = segment.PrepareIndexBuild("m", new IndexingPolicy(1, 16, 100));
        Assert.NotNull(job);
        job.Run(1, default);
        segment.InstallIndex(job);
    }

    // Each point: Rows rows of the dense generator's values, back to back.
    private static float[][] Points(VectorDatatype datatype, int count, int seed)
    {
        var rows = PointSegmentDatatypeTests.Vectors(datatype, count * Rows, Dim, seed);
        return [.. Enumerable.Range(0, count).Select(i => rows.Skip(i * Rows).Take(Rows).SelectMany(r => r).ToArray())];
    }

    private static float[] QueryRows(VectorDatatype datatype, Distance distance, float[] raw) => ForRows(raw, row => Query(datatype, distance, row));

    private static float[] StoredRows(VectorDatatype datatype, Distance distance, float[] raw) => ForRows(raw, row => Stored(datatype, distance, row));

    private static float[] ForRows(float[] rows, Func<float[], float[]> each) =>
        [.. rows.Chunk(Dim).SelectMany(each)];

    // MaxSim over the stored values: each query row (as the store holds it) against every stored row, best summed.
    private static float MaxSimOracle(VectorDatatype datatype, Distance distance, float[] query, float[] rawStored)
    {
        var stored = StoredRows(datatype, distance, rawStored).Chunk(Dim).ToArray();
        return query.Chunk(Dim)
            .Select(row => Stored(datatype, distance, row, preprocessed: true))
            .Sum(row => stored.Max(s => Oracle(datatype, distance, row, s)));
    }
}
