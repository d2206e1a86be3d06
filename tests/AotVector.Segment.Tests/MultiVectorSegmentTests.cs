using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Vectors;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

public sealed class MultiVectorSegmentTests
{
    private static PointSegment CreateMulti(TempDirectory dir, int dim, Distance distance) =>
        PointSegment.Create(dir.Path, new Dictionary<string, VectorSpec>
        {
            [""] = new(2, Distance.Dot),
            ["colbert"] = new(dim, distance, Multi: true),
        });

    private static Dictionary<string, VectorData> Point(float[][] rows) => new()
    {
        [""] = new float[] { 1, 0 },
        ["colbert"] = new MultiDenseVector(rows.SelectMany(r => r).ToArray(), rows[0].Length),
    };

    // Raw similarity as the metric ranks it, in double precision from the raw (not preprocessed) vectors.
    private static double Similarity(Distance distance, float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0, l2 = 0, l1 = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
            l2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
            l1 += Math.Abs((double)a[i] - b[i]);
        }

        return distance switch
        {
            Distance.Cosine => dot / Math.Sqrt(na * nb),
            Distance.Euclid => -l2,
            Distance.Dot => dot,
            Distance.Manhattan => -l1,
        };
    }

    // MaxSim written out: for each query row the best similarity among the point's rows, summed.
    private static double DirectMaxSim(Distance distance, float[][] query, float[][] rows) =>
        query.Sum(q => rows.Max(r => Similarity(distance, q, r)));

    private static float[] Prepared(Distance distance, float[][] rows)
    {
        var flat = rows.SelectMany(r => r).ToArray();
        var dim = rows[0].Length;
        for (var i = 0; i < flat.Length; i += dim)
        {
            DistanceKernels.Preprocess(distance, flat.AsSpan(i, dim));
        }

        return flat;
    }

    private static float[][] RandomRows(Random rng, int dim) =>
        [.. Enumerable.Range(0, rng.Next(1, 6)).Select(_ => SeededRandom.Vector(rng, dim))];

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Manhattan)]
    public void Search_ScoresMaxSimAsTheDirectComputation(Distance distance)
    {
        using var dir = new TempDirectory("multi");
        const int dim = 7;
        using var segment = CreateMulti(dir, dim, distance);
        var rng = new Random(1234 + (int)distance);
        var data = Enumerable.Range(0, 120).Select(_ => RandomRows(rng, dim)).ToArray();
        for (var i = 0; i < data.Length; i++)
        {
            segment.Upsert((ulong)i + 1, (ulong)i, Point(data[i]), null);
        }

        for (var q = 0; q < 5; q++)
        {
            var query = RandomRows(rng, dim);
            var hits = segment.Search("colbert", Prepared(distance, query), null, 10);
            var expected = Enumerable.Range(0, data.Length)
                .Select(i => (Id: (ulong)i, Score: DirectMaxSim(distance, query, data[i])))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(10).ToList();
            Assert.Equal(10, hits.Count);
            for (var k = 0; k < 10; k++)
            {
                Assert.Equal(expected[k].Score, hits[k].Score, 1e-3 * Math.Max(1, Math.Abs(expected[k].Score)));
                Assert.Equal(DirectMaxSim(distance, query, data[hits[k].Id.Num]), hits[k].Score, 1e-3 * Math.Max(1, Math.Abs(expected[k].Score)));
            }

            Assert.True(expected.Select(e => e.Id).Intersect(hits.Select(h => h.Id.Num)).Count() >= 9);
        }
    }

    [Fact]
    public void MaxSim_SumsTheBestMatchOfEachQueryRow()
    {
        // Dot: query rows (1,0) and (0,1) against stored rows (2,0), (0,3), (1,1): best 2 and best 3.
        float[] stored = [2, 0, 0, 3, 1, 1];
        Assert.Equal(5f, MaxSim.Score<DotMetric>([1, 0, 0, 1], stored, 2));

        // Euclid ranks by negated squared distance: the nearest row to (0,0) is (1,1), at squared distance 2.
        Assert.Equal(-2f, MaxSim.Score<EuclidMetric>([0, 0], stored, 2));
    }

    [Fact]
    public void Search_FiltersAndLimits_AndSkipsPointsWithoutTheVector()
    {
        using var dir = new TempDirectory("multi");
        using var segment = CreateMulti(dir, 2, Distance.Dot);
        for (var i = 1; i <= 6; i++)
        {
            segment.Upsert((ulong)i, (ulong)i, Point([[i, 0], [0, 1]]), null);
        }

        segment.Upsert(7, 7ul, new Dictionary<string, VectorData> { [""] = new float[] { 1, 0 } }, null);
        segment.DeleteVectors(8, 6ul, ["colbert"]);

        var all = segment.Search("colbert", [1, 0], null, 10);
        Assert.Equal([5ul, 4, 3, 2, 1], all.Select(h => h.Id.Num));
        Assert.Equal([5f, 4, 3, 2, 1], all.Select(h => h.Score));

        var filter = new Filter(Must: [new HasIdCondition(new HashSet<PointId> { 2ul, 3ul, 6ul, 7ul })]);
        var filtered = segment.Search("colbert", [1, 0], filter, 1);
        Assert.Equal([3ul], filtered.Select(h => h.Id.Num));
        Assert.Equal(5ul, segment.VectorCount("colbert"));
    }

    [Fact]
    public void DenseValueForAMultivector_IsOneRow()
    {
        using var dir = new TempDirectory("multi");
        using var segment = CreateMulti(dir, 3, Distance.Dot);
        segment.Upsert(1, 1ul, new Dictionary<string, VectorData> { ["colbert"] = new float[] { 1, 2, 3 } }, null);
        Assert.True(segment.TryGetPoint(1ul, false, null, out _, out var vectors, out _));
        Assert.Equal(new MultiDenseVector([1, 2, 3], 3), vectors!["colbert"]);
    }

    [Fact]
    public void Flush_Reopen_KeepsRows_AndRewrites()
    {
        using var dir = new TempDirectory("multi");
        var rng = new Random(77);
        var data = Enumerable.Range(0, 30).Select(_ => RandomRows(rng, 4)).ToArray();
        using (var segment = CreateMulti(dir, 4, Distance.Dot))
        {
            for (var i = 0; i < data.Length; i++)
            {
                segment.Upsert((ulong)i + 1, (ulong)i, Point(data[i]), null);
            }

            segment.Flush(30);

            // After the state file: a rewrite and a delete go to the delta.
            data[3] = RandomRows(rng, 4);
            segment.UpdateVectors(31, 3ul, new Dictionary<string, VectorData> { ["colbert"] = new MultiDenseVector(data[3].SelectMany(r => r).ToArray(), 4) });
            segment.DeleteVectors(32, 4ul, ["colbert"]);
            segment.Flush(32);
        }

        using var reopened = PointSegment.Open(dir.Path);
        Assert.True(reopened.Vectors["colbert"].Multi);
        Assert.Equal(29ul, reopened.VectorCount("colbert"));
        for (var i = 0; i < data.Length; i++)
        {
            Assert.True(reopened.TryGetPoint((ulong)i, false, null, out _, out var vectors, out _));
            if (i == 4)
            {
                Assert.False(vectors!.ContainsKey("colbert"));
                continue;
            }

            Assert.Equal(new MultiDenseVector(data[i].SelectMany(r => r).ToArray(), 4), vectors!["colbert"]);
        }

        var query = RandomRows(rng, 4);
        var best = reopened.Search("colbert", Prepared(Distance.Dot, query), null, 1)[0];
        var expected = Enumerable.Range(0, data.Length).Where(i => i != 4).MaxBy(i => DirectMaxSim(Distance.Dot, query, data[i]));
        Assert.Equal((ulong)expected, best.Id.Num);
    }

    [Fact]
    public void CopyPointFrom_CarriesRows()
    {
        using var dirA = new TempDirectory("multi");
        using var dirB = new TempDirectory("multi");
        using var source = CreateMulti(dirA, 2, Distance.Cosine);
        using var target = CreateMulti(dirB, 2, Distance.Cosine);
        source.Upsert(1, 1ul, Point([[3, 4], [0, 2]]), null);
        source.UpdateVectors(2, 1ul, new Dictionary<string, VectorData> { ["colbert"] = new MultiDenseVector([0, 5, 2, 0, 1, 0], 2) });
        Assert.True(target.CopyPointFrom(source, 1ul));
        Assert.True(target.TryGetPoint(1ul, false, null, out _, out var vectors, out _));

        // Stored rows are preprocessed (unit length for Cosine).
        Assert.Equal(new MultiDenseVector([0, 1, 1, 0, 1, 0], 2), vectors!["colbert"]);
        Assert.True(source.VectorBytes > target.VectorBytes); // the orphaned rows of the first value stay behind
    }
}
