using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// Scan codes: int8 codes of the points no graph covers, written with each upsert, that order an exact scan's
/// candidates before the best are rescored in float32. A growing segment answers as the float32 scan does (seeded
/// recall bound, exact scores), through rewrites whose values leave the codes' bounds, deletes, filters and the tail
/// past a graph; the codes shrink when a graph covers their points and are never persisted.
/// </summary>
public sealed class PointSegmentScanCodesTests
{
    private const int Dim = 48;

    private static readonly SegmentSearchOptions Exact = new(Exact: true);

    private static float[][] Clustered(int seed, int count, int clusters = 40)
    {
        var rng = new Random(seed);
        var centres = Enumerable.Range(0, clusters).Select(_ => SeededRandom.Vector(rng, Dim)).ToArray();
        return Enumerable.Range(0, count).Select(_ =>
        {
            var centre = centres[rng.Next(clusters)];
            return centre.Select(c => c + (0.35f * ((float)rng.NextDouble() - 0.5f))).ToArray();
        }).ToArray();
    }

    private static PointSegment Create(TempDirectory dir, Distance distance) =>
        PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(Dim, distance) });

    private static void Upsert(PointSegment segment, int id, float[] vector, Payload? payload = null) =>
        segment.Upsert((ulong)id + 1, PointId.FromNum((ulong)id), new Dictionary<string, VectorData> { [""] = vector }, payload);

    private static float[] Prepared(Distance distance, float[] query)
    {
        var copy = (float[])query.Clone();
        DistanceKernels.Preprocess(distance, copy);
        return copy;
    }

    // Hits of the codes' scan against the float32 scan's (exact) for each query: the share found, and every score exact.
    private static double Recall(PointSegment segment, Distance distance, IEnumerable<float[]> queries, Func<ulong, float[]> vectorOf, Filter? filter = null)
    {
        double found = 0, wanted = 0;
        foreach (var raw in queries)
        {
            var query = Prepared(distance, raw);
            var exact = segment.Search("", query, filter, 10, Exact).Select(h => h.Id).ToHashSet();
            var hits = segment.Search("", query, filter, 10);
            Assert.Equal(exact.Count, hits.Count);
            found += hits.Count(h => exact.Contains(h.Id));
            wanted += exact.Count;
            foreach (var hit in hits)
            {
                var expected = DistanceKernels.Similarity(distance, query, Prepared(distance, vectorOf(hit.Id.Num)));
                Assert.Equal(expected, hit.Score, 3);
            }
        }

        return wanted == 0 ? 1 : found / wanted;
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void GrowingSegment_ScannedByCodes_FindsTheExactHits(Distance distance)
    {
        using var dir = new TempDirectory("scan-codes-grow");
        var all = Clustered(8100 + (int)distance, 3040);
        var vectors = all[..3000];
        var queries = all[3000..];
        using var segment = Create(dir, distance);
        Assert.True(segment.SetScanCodes("", true));
        Assert.True(segment.ScanCodesState("").Enabled);

        // Searched as it grows: the codes are re-calibrated each time the count doubles.
        var recalls = new List<double>();
        for (var i = 0; i < vectors.Length; i++)
        {
            Upsert(segment, i, vectors[i]);
            if (i is 5 or 100 or 700 or 2999)
            {
                recalls.Add(Recall(segment, distance, queries, id => vectors[id]));
            }
        }

        Assert.All(recalls, r => Assert.True(r >= 0.98, $"{distance}: recall@10 {string.Join(", ", recalls.Select(x => x.ToString("F3")))}"));
        Assert.True(segment.ScanCodesState("").Bytes >= 3000L * Dim);
    }

    [Fact]
    public void CodesEnabledOnAFilledSegment_CodeTheStoredVectors()
    {
        using var dir = new TempDirectory("scan-codes-late");
        var all = Clustered(8200, 1530);
        using var segment = Create(dir, Distance.Euclid);
        for (var i = 0; i < 1500; i++)
        {
            Upsert(segment, i, all[i]);
        }

        Assert.False(segment.ScanCodesState("").Enabled);
        Assert.True(segment.SetScanCodes("", true));
        Assert.False(segment.SetScanCodes("", true)); // already on
        Assert.True(Recall(segment, Distance.Euclid, all[1500..], id => all[id]) >= 0.98);

        Assert.True(segment.SetScanCodes("", false));
        Assert.Equal((false, 0L), segment.ScanCodesState(""));
    }

    [Fact]
    public void RewritesOutsideTheBounds_AndDeletes_AreSeenAtOnce()
    {
        using var dir = new TempDirectory("scan-codes-rewrite");
        var vectors = Clustered(8300, 2000);
        using var segment = Create(dir, Distance.Euclid);
        segment.SetScanCodes("", true);
        for (var i = 0; i < vectors.Length; i++)
        {
            Upsert(segment, i, vectors[i]);
        }

        // A point moved far past every value coded so far is found where it now is, with its exact score.
        var far = Enumerable.Repeat(40f, Dim).ToArray();
        vectors[17] = far;
        segment.Upsert(10_000, PointId.FromNum(17), new Dictionary<string, VectorData> { [""] = far }, null);
        var top = segment.Search("", far, null, 1);
        Assert.Equal(17UL, top.Single().Id.Num);
        Assert.Equal(0f, top.Single().Score, 3);

        // Deleted points never come back; the rest still answer as the float32 scan.
        for (var i = 0; i < vectors.Length; i += 3)
        {
            segment.Delete(20_000, PointId.FromNum((ulong)i));
        }

        var queries = Clustered(8300, 2040)[2000..];
        foreach (var q in queries)
        {
            Assert.All(segment.Search("", q, null, 10), h => Assert.NotEqual(0UL, h.Id.Num % 3));
        }

        Assert.True(Recall(segment, Distance.Euclid, queries, id => vectors[id]) >= 0.98);
    }

    [Fact]
    public void FilteredScan_ByCodes_MatchesTheFilteredExactHits()
    {
        using var dir = new TempDirectory("scan-codes-filter");
        var all = Clustered(8400, 2540);
        using var segment = Create(dir, Distance.Cosine);
        segment.SetScanCodes("", true);
        for (var i = 0; i < 2500; i++)
        {
            Upsert(segment, i, all[i], new Payload { ["bucket"] = PayloadValue.FromInteger(i % 10) });
        }

        var filter = new Filter(Must: [new FieldCondition("bucket", Range: new RangeCondition(Lt: 3))]);
        foreach (var q in all[2500..])
        {
            Assert.All(segment.Search("", Prepared(Distance.Cosine, q), filter, 10), h => Assert.True(h.Id.Num % 10 < 3));
        }

        Assert.True(Recall(segment, Distance.Cosine, all[2500..], id => all[id], filter) >= 0.98);
    }

    [Fact]
    public void GraphInstalled_TrimsTheCodes_AndTheTailPastItIsScannedByCodes()
    {
        using var dir = new TempDirectory("scan-codes-graph");
        var all = Clustered(8500, 3040);
        using var segment = Create(dir, Distance.Euclid);
        segment.SetScanCodes("", true);
        for (var i = 0; i < 2000; i++)
        {
            Upsert(segment, i, all[i]);
        }

        var before = segment.ScanCodesState("").Bytes;
        var job = segment.PrepareIndexBuild("", new IndexingPolicy(1, 16, 100))!;
        job.Run(1, default);

        // Written while the graph was built: past its prefix, so still coded after the install.
        for (var i = 2000; i < 3000; i++)
        {
            Upsert(segment, i, all[i]);
        }

        segment.InstallIndex(job);
        var after = segment.ScanCodesState("").Bytes;
        Assert.True(after < before, $"{after} bytes of codes after the graph, {before} before");
        Assert.True(after > 0);

        // The tail's own points are found (each one is its own nearest neighbour).
        for (var i = 2000; i < 3000; i += 97)
        {
            Assert.Equal((ulong)i, segment.Search("", all[i], null, 1, new SegmentSearchOptions(Ef: 64)).Single().Id.Num);
        }

        Assert.True(segment.ScanCodesState("").Enabled);
    }

    [Fact]
    public void Codes_AreNotPersisted_AndAReopenedSegmentHasNone()
    {
        using var dir = new TempDirectory("scan-codes-reopen");
        var all = Clustered(8600, 1040);
        var path = dir.Combine("s");
        using (var segment = Create(dir, Distance.Dot))
        {
            segment.SetScanCodes("", true);
            for (var i = 0; i < 1000; i++)
            {
                Upsert(segment, i, all[i]);
            }

            segment.Flush(1000);
        }

        var files = Directory.GetFiles(path).Select(Path.GetFileName).ToList();
        using var reopened = PointSegment.Open(path);
        Assert.False(reopened.ScanCodesState("").Enabled);
        Assert.True(reopened.SetScanCodes("", true));
        Assert.True(Recall(reopened, Distance.Dot, all[1000..], id => all[id]) >= 0.98);
        Assert.Equal(files, Directory.GetFiles(path).Select(Path.GetFileName).ToList());
    }

    [Fact]
    public void MultivectorsAndOtherDatatypes_KeepNoCodes()
    {
        using var dir = new TempDirectory("scan-codes-kinds");
        using var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec>
        {
            ["half"] = new(Dim, Distance.Dot, Datatype: VectorDatatype.Float16),
            ["multi"] = new(Dim, Distance.Dot, Multi: true),
        });
        Assert.False(segment.CanKeepScanCodes("multi"));
        Assert.False(segment.SetScanCodes("multi", true));
        Assert.False(segment.CanKeepScanCodes("half"));
        Assert.False(segment.SetScanCodes("half", true));
        Assert.False(segment.ScanCodesState("half").Enabled);
    }
}
