using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Vectors;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

/// <summary>
/// The HNSW graph over a multivector: one node per point, linked and searched by MaxSim. Checked against brute-force
/// MaxSim over the stored rows on seeded ColBERT-like data (each row near one of a few topics).
/// </summary>
public sealed class MultiVectorIndexTests
{
    private const int Dim = 16;
    private const int K = 10;
    private static readonly IndexingPolicy Policy = new(1, 16, 100);

    // A point: 2..8 rows, each near one of the point's three home topics (or, one in four, any topic), as a passage's
    // token embeddings gather around its few subjects.
    private static float[][] ColbertLike(Random rng, float[][] topics)
    {
        var rows = new float[rng.Next(2, 9)][];
        int[] home = [rng.Next(topics.Length), rng.Next(topics.Length), rng.Next(topics.Length)];
        for (var r = 0; r < rows.Length; r++)
        {
            var topic = topics[rng.Next(4) == 0 ? rng.Next(topics.Length) : home[rng.Next(home.Length)]];
            rows[r] = new float[Dim];
            for (var d = 0; d < Dim; d++)
            {
                rows[r][d] = topic[d] + ((float)((rng.NextDouble() * 2) - 1) * 0.3f);
            }
        }

        return rows;
    }

    private static float[][][] Data(int seed, int count)
    {
        var rng = new Random(seed);
        var topics = SeededRandom.Vectors(1, 48, Dim);
        return [.. Enumerable.Range(0, count).Select(_ => ColbertLike(rng, topics))];
    }

    private static float[] Flat(float[][] rows) => [.. rows.SelectMany(r => r)];

    private static float[] Prepared(Distance distance, float[][] rows)
    {
        var flat = Flat(rows);
        for (var i = 0; i < flat.Length; i += Dim)
        {
            DistanceKernels.Preprocess(distance, flat.AsSpan(i, Dim));
        }

        return flat;
    }

    private static PointSegment CreateFilled(string path, Distance distance, float[][][] data)
    {
        var segment = PointSegment.Create(path, new Dictionary<string, VectorSpec> { ["colbert"] = new(Dim, distance, Multi: true) });
        for (var i = 0; i < data.Length; i++)
        {
            var payload = new Payload { ["even"] = i % 2 == 0 ? PayloadValue.True : PayloadValue.False };
            segment.Upsert((ulong)i + 1, (ulong)i, new Dictionary<string, VectorData> { ["colbert"] = new MultiDenseVector(Flat(data[i]), Dim) }, payload);
        }

        return segment;
    }

    private static void Build(PointSegment segment, IndexingPolicy policy) => Build(segment, "colbert", policy);

    // Brute force over the stored (preprocessed) rows: the best K ids, ties to the smaller id.
    private static List<(ulong Id, float Score)> BruteForce(PointSegment segment, Distance distance, float[] query, int count, Func<int, bool>? keep = null)
    {
        var all = new List<(ulong Id, float Score)>();
        for (var i = 0; i < count; i++)
        {
            if ((keep is null || keep(i)) && segment.TryGetPoint((ulong)i, false, null, out _, out var vectors, out _)
                && vectors!.TryGetValue("colbert", out var value))
            {
                all.Add(((ulong)i, MaxSim.Score(distance, query, ((MultiDenseVector)value).Values, Dim)));
            }
        }

        return [.. all.OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(K)];
    }

    private static double Recall(IEnumerable<SearchHit> hits, IEnumerable<(ulong Id, float Score)> expected) =>
        (double)expected.Select(e => e.Id).Intersect(hits.Select(h => h.Id.Num)).Count() / K;

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Manhattan)]
    public void GraphSearch_RecallAtEf64_IsAtLeast95Percent_AndExactMatchesBruteForce(Distance distance)
    {
        using var dir = new TempDirectory("multi-hnsw");
        var data = Data(11 + (int)distance, 1500);
        using var segment = CreateFilled(dir.Combine("s"), distance, data);
        Assert.True(segment.NeedsIndexBuild("colbert", Policy));
        Build(segment, Policy);
        Assert.Equal((ulong)data.Length, segment.IndexedVectorCount);
        Assert.False(segment.NeedsIndexBuild("colbert", Policy));

        var queries = Data(99, 40);
        double recall = 0;
        foreach (var q in queries)
        {
            var query = Prepared(distance, q);
            var expected = BruteForce(segment, distance, query, data.Length);
            var hits = segment.Search("colbert", query, null, K, new SegmentSearchOptions(Ef: 64));
            Assert.Equal(K, hits.Count);
            foreach (var hit in hits)
            {
                // Whatever the graph finds carries its exact MaxSim score.
                Assert.Equal(BruteForce(segment, distance, query, data.Length, i => (ulong)i == hit.Id.Num)[0].Score, hit.Score);
            }

            recall += Recall(hits, expected);

            var exact = segment.Search("colbert", query, null, K, new SegmentSearchOptions(Exact: true));
            Assert.Equal(expected.Select(e => e.Id), exact.Select(h => h.Id.Num));
            Assert.Equal(expected.Select(e => e.Score), exact.Select(h => h.Score));
        }

        recall /= queries.Length;
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3} for {distance}");
    }

    [Fact]
    public void GraphSearch_WithFilter_ReturnsOnlyMatches_WithRecall()
    {
        using var dir = new TempDirectory("multi-hnsw");
        var data = Data(5, 1500);
        using var segment = CreateFilled(dir.Combine("s"), Distance.Cosine, data);
        Build(segment, Policy);
        var even = new Filter(Must: [new FieldCondition("even", Match: new MatchValue(PayloadValue.True))]);

        double recall = 0;
        var queries = Data(77, 30);
        foreach (var q in queries)
        {
            var query = Prepared(Distance.Cosine, q);
            // A full-scan threshold of zero keeps the graph in use whatever the filter's cardinality.
            var hits = segment.Search("colbert", query, even, K, new SegmentSearchOptions(Ef: 64, FullScanThresholdKb: 0));
            Assert.All(hits, h => Assert.True(h.Id.Num % 2 == 0));
            recall += Recall(hits, BruteForce(segment, Distance.Cosine, query, data.Length, i => i % 2 == 0));
        }

        Assert.True(recall / queries.Length >= 0.95, $"filtered recall@10 {recall / queries.Length:F3}");
    }

    [Fact]
    public void Graph_IsSaved_AndReopenedWithoutRebuild_AndRewritesAfterItAreFound()
    {
        using var dir = new TempDirectory("multi-hnsw");
        var data = Data(23, 800);
        var queries = Data(24, 10).Select(q => Prepared(Distance.Dot, q)).ToArray();
        List<List<SearchHit>> before;
        using (var segment = CreateFilled(dir.Combine("s"), Distance.Dot, data))
        {
            Build(segment, Policy);
            before = [.. queries.Select(q => segment.Search("colbert", q, null, K, new SegmentSearchOptions(Ef: 40)))];
            segment.Flush(800);
        }

        Assert.Single(Directory.GetFiles(dir.Combine("s"), "hnsw-*.bin"));
        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal((16, 100), reopened.GraphParameters("colbert"));
        Assert.False(reopened.NeedsIndexBuild("colbert", Policy));
        Assert.Equal((ulong)data.Length, reopened.IndexedVectorCount);
        for (var i = 0; i < queries.Length; i++)
        {
            var after = reopened.Search("colbert", queries[i], null, K, new SegmentSearchOptions(Ef: 40));
            Assert.Equal(before[i].Select(h => (h.Id, h.Score)), after.Select(h => (h.Id, h.Score)));
        }

        // A point rewritten after the build to be the query itself: its links are stale, yet it is the top hit.
        var target = Data(24, 10)[3];
        reopened.UpdateVectors(801, 5ul, new Dictionary<string, VectorData> { ["colbert"] = new MultiDenseVector(Flat(target), Dim) });
        Assert.Equal(1, reopened.StaleCount("colbert"));
        var top = reopened.Search("colbert", queries[3], null, 1, new SegmentSearchOptions(Ef: 16));
        Assert.Equal(5ul, top[0].Id.Num);
    }

    [Fact]
    public void M0_BuildsNoGraph_AndAnswersExactly_ForMultivectorsAndDenseVectors()
    {
        using var dir = new TempDirectory("multi-hnsw");
        var data = Data(31, 600);
        var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec>
        {
            ["colbert"] = new(Dim, Distance.Cosine, Multi: true),
            ["dense"] = new(Dim, Distance.Cosine),
        });
        using (segment)
        {
            for (var i = 0; i < data.Length; i++)
            {
                segment.Upsert((ulong)i + 1, (ulong)i, new Dictionary<string, VectorData>
                {
                    ["colbert"] = new MultiDenseVector(Flat(data[i]), Dim),
                    ["dense"] = data[i][0],
                }, null);
            }

            var off = new IndexingPolicy(1, 0, 100);
            foreach (var name in new[] { "colbert", "dense" })
            {
                Assert.False(segment.NeedsIndexBuild(name, off));
                Assert.Null(segment.PrepareIndexBuild(name, off));

                // A graph built earlier is unwanted under m 0 and dropped.
                Build(segment, name, Policy);
                Assert.True(segment.HasUnwantedIndex(name, off));
                Assert.True(segment.DropIndex(name));
                Assert.Null(segment.GraphParameters(name));
            }

            Assert.Equal(0ul, segment.IndexedVectorCount);
            foreach (var q in Data(32, 10))
            {
                var query = Prepared(Distance.Cosine, q);
                var expected = BruteForce(segment, Distance.Cosine, query, data.Length);
                var hits = segment.Search("colbert", query, null, K, new SegmentSearchOptions(Ef: 1));
                Assert.Equal(expected.Select(e => (e.Id, e.Score)), hits.Select(h => (h.Id.Num, h.Score)));

                var dense = query.AsSpan(0, Dim).ToArray();
                var denseHits = segment.Search("dense", dense, null, K, new SegmentSearchOptions(Ef: 1));
                var denseExpected = Enumerable.Range(0, data.Length)
                    .Select(i => (Id: (ulong)i, Score: CosineMetric.Similarity(dense, Prepared(Distance.Cosine, [data[i][0]]))))
                    .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(K);
                Assert.Equal(denseExpected, denseHits.Select(h => (h.Id.Num, h.Score)));
            }
        }
    }

    [Fact]
    public void GraphFile_OfOneKind_DoesNotOpenAsTheOther()
    {
        using var dir = new TempDirectory("multi-hnsw");
        var data = Data(41, 300);
        using (var segment = CreateFilled(dir.Combine("s"), Distance.Dot, data))
        {
            Build(segment, Policy);
            segment.Flush(300);
        }

        var graph = Directory.GetFiles(dir.Combine("s"), "hnsw-*.bin").Single();
        var rows = Storage.Vectors.VectorFile.Open(Directory.GetFiles(dir.Combine("s"), "vectors-*.bin").Single(), Dim).Value!;
        using (rows)
        {
            var asDense = AotVector.Segment.Index.Hnsw.HnswIndex.Open(graph, Distance.Dot, new AotVector.Segment.Index.Hnsw.VectorFileSource(rows));
            Assert.Equal(Common.Errors.ErrorKind.Internal, asDense.Error.Kind);
        }
    }

    private static void Build(PointSegment segment, string name, IndexingPolicy policy)
    {
        var job = segment.PrepareIndexBuild(name, policy);
        Assert.NotNull(job);

        // One thread: the graph, and so the recall measured, is the same on every run.
        job.Run(1, default);
        segment.InstallIndex(job);
    }
}
