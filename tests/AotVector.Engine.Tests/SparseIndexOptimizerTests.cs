using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Engine.Shards;
using AotVector.Segment;
using AotVector.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Engine.Tests;

/// <summary>
/// A sparse-only shard under the optimizer: its sparse bytes count towards the indexing threshold, so segments are
/// sealed, given their sparse index files and merged (the merged segment gets a fresh file); searches match a brute
/// force throughout, and a reopen keeps the files as they are.
/// </summary>
public sealed class SparseIndexOptimizerTests
{
    private const int Vocabulary = 150;

    // 1 KB threshold, two sealed segments kept; sparse index files kept resident.
    private static readonly OptimizerPolicy s_policy =
        new(1, 1_000_000, 2, 0.2, 10, _ => new IndexingPolicy(1, 8, 32), _ => new SparseIndexPolicy(1, OnDisk: false));

    private static LocalShard Open(TempDirectory dir) =>
        LocalShard.Create(dir.Path, 0, new VectorsConfig(null, new Dictionary<string, VectorParams>()), WalConfig.Default, NullLogger.Instance);

    private static SparseVector RandomSparse(Random random)
    {
        var indices = new HashSet<uint>();
        var count = 2 + random.Next(10);
        while (indices.Count < count)
        {
            indices.Add((uint)(Math.Pow(random.NextDouble(), 2) * Vocabulary));
        }

        var ordered = indices.Order().ToArray();
        return new SparseVector(ordered, [.. ordered.Select(_ => (float)random.NextDouble())]);
    }

    private static void Upsert(LocalShard shard, Dictionary<ulong, SparseVector> model, int seed, ulong firstId, int count)
    {
        var random = new Random(seed);
        var points = new List<PointStruct>();
        for (var i = 0; i < count; i++)
        {
            var vector = RandomSparse(random);
            points.Add(new PointStruct(PointId.FromNum(firstId + (ulong)i), new Dictionary<string, VectorData> { ["text"] = vector }, null));
            model[firstId + (ulong)i] = vector;
        }

        Assert.True(shard.Update(new UpsertPoints([.. points]), wait: true).IsOk);
    }

    private static void RunOptimizer(LocalShard shard)
    {
        for (var i = 0; i < 100 && shard.Optimize(s_policy, 1, default); i++)
        {
        }

        Assert.False(shard.HasPendingOptimization(s_policy));
    }

    private static void AssertMatchesBruteForce(LocalShard shard, Dictionary<ulong, SparseVector> model, int seed)
    {
        var random = new Random(seed);
        for (var q = 0; q < 20; q++)
        {
            var query = RandomSparse(random);
            var want = model
                .Select(p => (Id: p.Key, Score: PointSegment.SparseDot(query, p.Value)))
                .Where(x => x.Score is not null)
                .OrderByDescending(x => x.Score!.Value).ThenBy(x => x.Id)
                .Take(10).ToList();
            var hits = shard.SearchSparse(new ShardSparseSearch("text", query, null, 10), default);
            Assert.Equal(want.Select(w => Math.Round(w.Score!.Value, 4)), hits.Select(h => Math.Round(h.Score, 4)));
        }
    }

    private static Dictionary<string, DateTime> IndexFiles(TempDirectory dir) =>
        Directory.EnumerateFiles(dir.Path, "postings-*.bin", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

    [Fact]
    public void SparseOnlyShard_IsSealedIndexedAndMerged_AndReopensItsFiles()
    {
        using var dir = new TempDirectory("sparse-optimizer");
        var model = new Dictionary<ulong, SparseVector>();
        Dictionary<string, DateTime> files;
        using (var shard = Open(dir))
        {
            for (var batch = 0; batch < 5; batch++)
            {
                Upsert(shard, model, seed: 40 + batch, firstId: (ulong)batch * 100, count: 100);
                RunOptimizer(shard);
                var sealedSegments = shard.DescribeSegments().Where(s => !s.Appendable).ToList();
                Assert.InRange(sealedSegments.Count, 1, 2);

                // Every sealed segment, merged ones included, has its index file.
                Assert.Equal(sealedSegments.Count, IndexFiles(dir).Count);
                AssertMatchesBruteForce(shard, model, seed: 50 + batch);
            }

            Assert.True(shard.Update(new DeletePoints(PointsSelector.ByIds([.. Enumerable.Range(0, 30).Select(i => PointId.FromNum((ulong)i))])), wait: true).IsOk);
            foreach (var id in Enumerable.Range(0, 30))
            {
                model.Remove((ulong)id);
            }

            AssertMatchesBruteForce(shard, model, seed: 60);
            files = IndexFiles(dir);
        }

        using var reopened = Open(dir);
        AssertMatchesBruteForce(reopened, model, seed: 61);
        Assert.Equal(files, IndexFiles(dir));
    }
}
