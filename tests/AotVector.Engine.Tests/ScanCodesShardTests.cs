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
/// The shard keeps int8 scan codes on the segments whose points are not indexed yet while the policy builds graphs:
/// the appendable segment from the optimizer's first pass, a fresh one from its seal; none when graphs are off. Codes
/// are not persisted: after a crash the reopened shard answers as before and the next pass codes the points again.
/// </summary>
public sealed class ScanCodesShardTests
{
    private const int Dim = 8;

    // 1 KB threshold = 32 vectors of 8 floats, so a batch of 100 is sealed at the next pass.
    private static readonly OptimizerPolicy s_indexing = new(1, 1_000_000, 5, 0.2, 10, _ => new IndexingPolicy(1, 8, 32));

    [Fact]
    public void AppendableSegment_GetsCodes_AndAFreshOneAtItsSeal()
    {
        using var dir = new TempDirectory("scan-codes-shard");
        using var shard = Open(dir);
        var model = new Dictionary<ulong, float[]>();
        Upsert(shard, model, SeededRandom.Vectors(41, 20, Dim), 0);
        Assert.All(shard.DescribeScanCodes(), s => Assert.False(s.Codes));

        // Below the threshold nothing is sealed, but the pass turns the codes on.
        Assert.False(shard.Optimize(s_indexing, 1, default));
        Assert.True(Assert.Single(shard.DescribeScanCodes()).Codes);
        AssertSearchMatches(shard, model);

        Upsert(shard, model, SeededRandom.Vectors(42, 100, Dim), 100);
        Assert.True(shard.Optimize(s_indexing, 1, default)); // the seal
        var appendable = Assert.Single(shard.DescribeScanCodes(), s => s.Appendable);
        Assert.True(appendable.Codes);

        // Points written to the fresh segment are found through its codes.
        Upsert(shard, model, SeededRandom.Vectors(43, 30, Dim), 500);
        AssertSearchMatches(shard, model);
    }

    [Theory]
    [InlineData(0UL, 8)]
    [InlineData(1UL, 0)]
    public void NoGraphs_NoCodes(ulong thresholdKb, int m)
    {
        using var dir = new TempDirectory("scan-codes-off");
        using var shard = Open(dir);
        var model = new Dictionary<ulong, float[]>();
        Upsert(shard, model, SeededRandom.Vectors(44, 20, Dim), 0);
        var policy = s_indexing with { IndexingThresholdKb = thresholdKb, IndexingFor = _ => new IndexingPolicy(thresholdKb, m, 32) };
        shard.Optimize(policy, 1, default);
        Assert.All(shard.DescribeScanCodes(), s => Assert.False(s.Codes));

        // Turned off again when the policy stops building graphs.
        shard.Optimize(s_indexing, 1, default);
        Assert.Contains(shard.DescribeScanCodes(), s => s.Codes);
        shard.Optimize(policy, 1, default);
        Assert.All(shard.DescribeScanCodes(), s => Assert.False(s.Codes));
        AssertSearchMatches(shard, model);
    }

    [Fact]
    public void Crash_ReopensWithoutCodes_AnswersTheSame_AndCodesReturnAtTheNextPass()
    {
        using var dir = new TempDirectory("scan-codes-crash");
        var model = new Dictionary<ulong, float[]>();
        var shard = Open(dir);
        Upsert(shard, model, SeededRandom.Vectors(45, 20, Dim), 0);
        shard.Optimize(s_indexing, 1, default);
        Upsert(shard, model, SeededRandom.Vectors(46, 25, Dim), 20);
        shard.Abandon();

        using var reopened = Open(dir);
        Assert.All(reopened.DescribeScanCodes(), s => Assert.False(s.Codes));
        AssertSearchMatches(reopened, model);
        reopened.Optimize(s_indexing, 1, default);
        Assert.True(Assert.Single(reopened.DescribeScanCodes(), s => s.Appendable).Codes);
        AssertSearchMatches(reopened, model);
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*scan*", SearchOption.AllDirectories));
    }

    private static LocalShard Open(TempDirectory dir) =>
        LocalShard.Create(dir.Path, 0, new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null), WalConfig.Default, NullLogger.Instance);

    private static void Upsert(LocalShard shard, Dictionary<ulong, float[]> model, float[][] vectors, ulong firstId)
    {
        var points = vectors.Select((v, i) => new PointStruct(PointId.FromNum(firstId + (ulong)i), new Dictionary<string, VectorData> { [""] = v }, null)).ToArray();
        Assert.True(shard.Update(new UpsertPoints(points), wait: true).IsOk);
        for (var i = 0; i < vectors.Length; i++)
        {
            model[firstId + (ulong)i] = vectors[i];
        }
    }

    // The approximate search (codes where they are kept) returns the brute-force top ten of seeded queries.
    private static void AssertSearchMatches(LocalShard shard, Dictionary<ulong, float[]> model)
    {
        foreach (var query in SeededRandom.Vectors(9998, 5, Dim))
        {
            var expected = model.OrderBy(p => SquaredDistance(p.Value, query)).ThenBy(p => p.Key).Take(10).Select(p => p.Key).ToList();
            var hits = shard.Search(new ShardSearch("", query, null, 10, false, null, 10_000), default);
            Assert.Equal(expected, hits.Select(h => h.Id.Num));
        }
    }

    private static double SquaredDistance(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();
}
