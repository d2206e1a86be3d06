using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;
using AotVector.Storage.Vectors;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Index.Hnsw;

public sealed class HnswIndexTests
{
    private const int K = 10;

    private static (float[] Data, float[] Queries, IHnswIndex Index) BuildSet(Distance distance, int count, int dim, int threads = 1, int seed = 7)
    {
        var data = HnswTestData.Clustered(seed, count, dim, distance);
        var queries = HnswTestData.Clustered(seed, 100, dim, distance, pointSeed: 1);
        var index = HnswIndex.Build(distance, new ArrayVectorSource(data, dim), HnswParameters.Default, threads);
        return (data, queries, index);
    }

    [Theory]
    [InlineData(Distance.Cosine, 3000, 64)]
    [InlineData(Distance.Euclid, 2000, 128)]
    [InlineData(Distance.Dot, 3000, 32)]
    [InlineData(Distance.Manhattan, 2500, 48)]
    public void Recall_AtEf64_IsAtLeast95Percent(Distance distance, int count, int dim)
    {
        var (data, queries, index) = BuildSet(distance, count, dim);
        using (index)
        {
            double recall = HnswTestData.Recall(index, data, queries, K, ef: 64, default(AcceptAllFilter), null, null);
            Assert.True(recall >= 0.95, $"recall@10 {recall:F3} for {distance}");
        }
    }

    [Fact]
    public void Search_ReturnsBestFirstWithExactScores()
    {
        var (data, queries, index) = BuildSet(Distance.Euclid, 1000, 16);
        using (index)
        {
            var hits = new ScoredOffset[K];
            int n = index.Search(queries.AsSpan(0, 16), K, 32, default(AcceptAllFilter), default, hits);
            Assert.Equal(K, n);
            for (int i = 0; i < n; i++)
            {
                float exact = EuclidMetric.Similarity(queries.AsSpan(0, 16), data.AsSpan((int)hits[i].Offset * 16, 16));
                Assert.Equal(exact, hits[i].Score);
                if (i > 0)
                {
                    Assert.True(hits[i - 1].Score >= hits[i].Score);
                }
            }
        }
    }

    [Fact]
    public void ConcurrentBuild_ReachesTheSameRecall()
    {
        var (data, queries, index) = BuildSet(Distance.Cosine, 3000, 64, threads: 2);
        using (index)
        {
            double recall = HnswTestData.Recall(index, data, queries, K, ef: 64, default(AcceptAllFilter), null, null);
            Assert.True(recall >= 0.95, $"recall@10 {recall:F3} with 2 build threads");
        }
    }

    [Fact]
    public void SingleThreadedBuild_IsDeterministic()
    {
        var (_, queries, first) = BuildSet(Distance.Dot, 1500, 24);
        var (_, _, second) = BuildSet(Distance.Dot, 1500, 24);
        using (first)
        using (second)
        {
            var a = new ScoredOffset[K];
            var b = new ScoredOffset[K];
            for (int q = 0; q < 100; q++)
            {
                var query = queries.AsSpan(q * 24, 24);
                int na = first.Search(query, K, 16, default(AcceptAllFilter), default, a);
                int nb = second.Search(query, K, 16, default(AcceptAllFilter), default, b);
                Assert.Equal(a.AsSpan(0, na).ToArray(), b.AsSpan(0, nb).ToArray());
            }
        }
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    public void FilteredSearch_KeepsRecallUnderRestrictiveFilters(double selectivity)
    {
        var (data, queries, index) = BuildSet(Distance.Euclid, 4000, 32);
        using (index)
        {
            var rng = new Random(11);
            var mask = new bool[4000];
            for (int i = 0; i < mask.Length; i++)
            {
                mask[i] = rng.NextDouble() < selectivity;
            }

            double recall = HnswTestData.Recall(index, data, queries, K, ef: 64, new MaskFilter(mask), null, o => mask[o]);
            Assert.True(recall >= 0.95, $"filtered recall@10 {recall:F3} at selectivity {selectivity}");

            var hits = new ScoredOffset[K];
            for (int q = 0; q < 100; q++)
            {
                int n = index.Search(queries.AsSpan(q * 32, 32), K, 64, new MaskFilter(mask), default, hits);
                Assert.All(hits.AsSpan(0, n).ToArray(), h => Assert.True(mask[h.Offset]));
            }
        }
    }

    [Fact]
    public void FilterMatchingNothing_ReturnsNothing()
    {
        var (_, queries, index) = BuildSet(Distance.Cosine, 500, 16);
        using (index)
        {
            var hits = new ScoredOffset[K];
            Assert.Equal(0, index.Search(queries.AsSpan(0, 16), K, 64, new MaskFilter(new bool[500]), default, hits));
        }
    }

    [Fact]
    public void DeletedOffsets_AreNeverReturned()
    {
        var (data, queries, index) = BuildSet(Distance.Cosine, 3000, 32);
        using (index)
        {
            // Delete the exact top-5 of every query plus a random 30%, so deletions sit right where the search looks.
            var rng = new Random(5);
            var deleted = new bool[3000];
            for (int i = 0; i < deleted.Length; i++)
            {
                deleted[i] = rng.NextDouble() < 0.3;
            }

            for (int q = 0; q < 100; q++)
            {
                foreach (uint o in HnswTestData.Exact(data, 32, queries.AsSpan(q * 32, 32), 5, Distance.Cosine))
                {
                    deleted[o] = true;
                }
            }

            var hits = new ScoredOffset[K];
            for (int q = 0; q < 100; q++)
            {
                int n = index.Search(queries.AsSpan(q * 32, 32), K, 64, default(AcceptAllFilter), deleted, hits);
                Assert.Equal(K, n);
                Assert.All(hits.AsSpan(0, n).ToArray(), h => Assert.False(deleted[h.Offset]));
            }

            double recall = HnswTestData.Recall(index, data, queries, K, ef: 64, default(AcceptAllFilter), deleted, o => !deleted[o]);
            Assert.True(recall >= 0.95, $"recall@10 among live points {recall:F3}");
        }
    }

    [Fact]
    public void ExcludedOffsets_AreNotIndexed()
    {
        const int Dim = 16;
        var data = HnswTestData.Clustered(3, 1000, Dim, Distance.Euclid);
        var exclude = new bool[1000];
        for (int i = 0; i < 1000; i += 3)
        {
            exclude[i] = true;
        }

        using var index = HnswIndex.Build(Distance.Euclid, new ArrayVectorSource(data, Dim), HnswParameters.Default, threads: 2, exclude);
        var hits = new ScoredOffset[50];
        for (int q = 0; q < 1000; q += 37)
        {
            int n = index.Search(data.AsSpan(q * Dim, Dim), 50, 100, default(AcceptAllFilter), default, hits);
            Assert.Equal(50, n);
            Assert.All(hits.AsSpan(0, n).ToArray(), h => Assert.False(exclude[h.Offset]));
        }
    }

    [Fact]
    public void SmallAndEmptyIndexes_ReturnWhatTheyHave()
    {
        using var empty = HnswIndex.Build(Distance.Dot, new ArrayVectorSource([], 4), HnswParameters.Default);
        var hits = new ScoredOffset[K];
        Assert.Equal(0, empty.Search([1f, 0, 0, 0], K, 16, default(AcceptAllFilter), default, hits));

        using var three = HnswIndex.Build(Distance.Dot, new ArrayVectorSource([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], 4), HnswParameters.Default);
        Assert.Equal(3, three.Search([0f, 1, 0, 0], K, 16, default(AcceptAllFilter), default, hits));
        Assert.Equal(1u, hits[0].Offset);
        Assert.Equal(0, three.Search([0f, 1, 0, 0], 0, 16, default(AcceptAllFilter), default, hits));
    }

    [Fact]
    public void SaveAndOpen_OverAVectorFile_GivesIdenticalResults()
    {
        using var dir = new TempDirectory();
        const int Dim = 48;
        var data = HnswTestData.Clustered(21, 2500, Dim, Distance.Euclid);
        var queries = HnswTestData.Clustered(21, 50, Dim, Distance.Euclid, pointSeed: 1);
        var vectorPath = dir.Combine("vectors.bin");
        var indexPath = dir.Combine("hnsw.bin");

        var before = new List<ScoredOffset[]>();
        using (var file = Open(vectorPath, Dim))
        {
            for (uint i = 0; i < 2500; i++)
            {
                file.Set(i, data.AsSpan((int)i * Dim, Dim));
            }

            using var built = HnswIndex.Build(Distance.Euclid, new VectorFileSource(file), new HnswParameters(12, 80, Seed: 3), threads: 2);
            built.Save(indexPath);
            before.AddRange(SearchAll(built, queries, Dim));
        }

        using (var file = Open(vectorPath, Dim))
        {
            var opened = HnswIndex.Open(indexPath, Distance.Euclid, new VectorFileSource(file));
            Assert.True(opened.IsOk, opened.IsOk ? null : opened.Error.Message);
            using var index = opened.Value!;
            Assert.Equal(new HnswParameters(12, 80, Seed: 3), index.Parameters);
            Assert.Equal(2500u, index.Count);
            var after = SearchAll(index, queries, Dim);
            Assert.Equal(before.Count, after.Count);
            for (int q = 0; q < after.Count; q++)
            {
                Assert.Equal(before[q], after[q]);
            }

            // Saving again from the mapping writes the same bytes (the mapped original may carry zero padding to a page).
            index.Save(dir.Combine("again.bin"));
            var again = File.ReadAllBytes(dir.Combine("again.bin"));
            Assert.Equal(again, File.ReadAllBytes(indexPath).AsSpan(0, again.Length).ToArray());
        }
    }

    [Fact]
    public void Open_RejectsMissingDamagedAndMismatchedFiles()
    {
        using var dir = new TempDirectory();
        const int Dim = 8;
        var data = HnswTestData.Clustered(1, 300, Dim, Distance.Cosine);
        var source = new ArrayVectorSource(data, Dim);
        var path = dir.Combine("hnsw.bin");
        using (var index = HnswIndex.Build(Distance.Cosine, source, HnswParameters.Default))
        {
            index.Save(path);
        }

        // Read before any open: mapping the file pads it with zeros to a page multiple.
        var good = File.ReadAllBytes(path);
        Assert.Equal(ErrorKind.NotFound, HnswIndex.Open(dir.Combine("none.bin"), Distance.Cosine, source).Error.Kind);
        Assert.Equal(ErrorKind.Internal, HnswIndex.Open(path, Distance.Dot, source).Error.Kind);
        Assert.Equal(ErrorKind.Internal, HnswIndex.Open(path, Distance.Cosine, new ArrayVectorSource(new float[300 * 4], 4)).Error.Kind);

        foreach (int position in new[] { 3, 20, 100, good.Length - 1 })
        {
            var bad = (byte[])good.Clone();
            bad[position] ^= 0x10;
            File.WriteAllBytes(path, bad);
            var result = HnswIndex.Open(path, Distance.Cosine, source);
            Assert.False(result.IsOk);
            Assert.Equal(ErrorKind.DataLoss, result.Error.Kind);
        }

        File.WriteAllBytes(path, good.AsSpan(0, good.Length - 8).ToArray());
        Assert.Equal(ErrorKind.DataLoss, HnswIndex.Open(path, Distance.Cosine, source).Error.Kind);

        File.WriteAllBytes(path, good);
        using var reopened = HnswIndex.Open(path, Distance.Cosine, source).Value!;
        Assert.Equal(300u, reopened.Count);
    }

    [Fact]
    public void ConcurrentSearches_AgreeWithSequentialOnes()
    {
        var (_, queries, index) = BuildSet(Distance.Euclid, 2000, 32);
        using (index)
        {
            var expected = SearchAll(index, queries, 32);
            var actual = new ScoredOffset[100][];
            Parallel.For(0, 100, new ParallelOptions { MaxDegreeOfParallelism = 4 }, q =>
            {
                var hits = new ScoredOffset[K];
                int n = index.Search(queries.AsSpan(q * 32, 32), K, 32, default(AcceptAllFilter), default, hits);
                actual[q] = hits.AsSpan(0, n).ToArray();
            });

            for (int q = 0; q < 100; q++)
            {
                Assert.Equal(expected[q], actual[q]);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Build_Cancelled_ThrowsOnTheCallingThread(int threads)
    {
        var data = HnswTestData.Clustered(5, 2000, 16, Distance.Euclid);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // Worker threads stop too: the call returns (no hang) with the cancellation, whichever thread saw it first.
        Assert.ThrowsAny<OperationCanceledException>(
            () => HnswIndex.Build(Distance.Euclid, new ArrayVectorSource(data, 16), HnswParameters.Default, threads, cancellationToken: cancelled.Token));
    }

    private static VectorFile Open(string path, int dim) => VectorFile.Open(path, dim).Value!;

    private static List<ScoredOffset[]> SearchAll(IHnswIndex index, float[] queries, int dim)
    {
        var all = new List<ScoredOffset[]>();
        var hits = new ScoredOffset[K];
        for (int q = 0; q < queries.Length / dim; q++)
        {
            int n = index.Search(queries.AsSpan(q * dim, dim), K, 32, default(AcceptAllFilter), default, hits);
            all.Add(hits.AsSpan(0, n).ToArray());
        }

        return all;
    }
}
