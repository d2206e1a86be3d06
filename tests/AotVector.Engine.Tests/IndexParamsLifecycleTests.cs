using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Shards;
using AotVector.Segment;
using AotVector.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Engine.Tests;

/// <summary>
/// Index parameters through a shard's optimizer: sealed, merged and vacuumed segments keep them; a field created with
/// <c>enable_hnsw: false</c> gets no payload links while another does; a tenant field lays the merged segment out so
/// each tenant's points are stored together.
/// </summary>
public sealed class IndexParamsLifecycleTests
{
    private const int Dim = 8;

    // 1 KB full-scan threshold = 32 vectors of 8 floats: each tenant (1 in 4 of 300 points) is past it.
    private static OptimizerPolicy Policy(int target) =>
        new(1, 1_000_000, target, 0.2, 10, _ => new IndexingPolicy(1, 8, 32, PayloadM: 8, FullScanThresholdKb: 1));

    private static readonly FieldIndexOptions s_tenant = new(IsTenant: true);
    private static readonly FieldIndexOptions s_noLinks = new(EnableHnsw: false);

    [Fact]
    public void Parameters_SurviveMergeAndVacuum_LinksFollowEnableHnsw_AndTenantsAreLaidOutTogether()
    {
        using var dir = new TempDirectory("index-params");
        using (var shard = Open(dir))
        {
            Assert.True(shard.Update(new CreateFieldIndex("tenant", PayloadSchemaType.Keyword) { Options = s_tenant }, wait: true).IsOk);
            Assert.True(shard.Update(new CreateFieldIndex("kind", PayloadSchemaType.Keyword) { Options = s_noLinks }, wait: true).IsOk);
            for (var batch = 0; batch < 3; batch++)
            {
                var vectors = SeededRandom.Vectors(700 + batch, 300, Dim);
                var points = vectors.Select((v, i) => new PointStruct(PointId.FromNum((ulong)((batch * 300) + i)), new Dictionary<string, VectorData> { [""] = v },
                    new Payload
                    {
                        ["tenant"] = PayloadValue.FromString("t" + (i % 4)),
                        ["kind"] = PayloadValue.FromString(i % 8 == 0 ? "rare" : "common"),
                    })).ToArray();
                Assert.True(shard.Update(new UpsertPoints(points), wait: true).IsOk);
                while (shard.Optimize(Policy(target: 5), 1, default))
                {
                }
            }

            Assert.Equal(3, shard.DescribeSegments().Count(s => !s.Appendable));
            AssertSchema(shard);
        }

        // Sealed segments: links for every tenant value, none for the field without enable_hnsw.
        Assert.Equal(3, CheckSealed(dir, laidOut: false));

        using (var shard = Open(dir))
        {
            AssertSchema(shard);
            while (shard.Optimize(Policy(target: 1), 1, default))
            {
            }

            Assert.Single(shard.DescribeSegments(), s => !s.Appendable);
            AssertSchema(shard);
        }

        Assert.Equal(1, CheckSealed(dir, laidOut: true));

        using (var shard = Open(dir))
        {
            var deleted = Enumerable.Range(0, 900).Where(i => i % 3 == 1).Select(i => PointId.FromNum((ulong)i)).ToArray();
            Assert.True(shard.Update(new DeletePoints(PointsSelector.ByIds(deleted)), wait: true).IsOk);
            while (shard.Optimize(Policy(target: 1), 1, default))
            {
            }

            Assert.Equal(0UL, Assert.Single(shard.DescribeSegments(), s => !s.Appendable).Deleted);
            AssertSchema(shard);
        }

        Assert.Equal(1, CheckSealed(dir, laidOut: true));
    }

    private static void AssertSchema(LocalShard shard)
    {
        Assert.Equal(s_tenant, shard.PayloadSchema["tenant"].Options);
        Assert.Equal(s_noLinks, shard.PayloadSchema["kind"].Options);
    }

    private static LocalShard Open(TempDirectory dir) =>
        LocalShard.Create(dir.Path, 0, new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null), WalConfig.Default, NullLogger.Instance);

    // Each sealed segment (one with a graph file), opened as after a restart: its links, and with laidOut its points
    // stored tenant by tenant (the layout keys in offset order never go back).
    private static int CheckSealed(TempDirectory dir, bool laidOut)
    {
        var sealedCount = 0;
        foreach (var graph in Directory.EnumerateFiles(dir.Path, "hnsw-.bin", SearchOption.AllDirectories))
        {
            using var segment = PointSegment.Open(Path.GetDirectoryName(graph)!);
            var blocks = segment.PayloadLinkBlocks("");
            Assert.Equal(4, blocks.Count(b => b.Field == "tenant"));
            Assert.DoesNotContain(blocks, b => b.Field == "kind");
            Assert.Equal(["tenant"], segment.LayoutFields());
            var keys = new List<(ulong Key, PointId Id)>();
            segment.AddLayoutKeys(["tenant"], keys);
            var runs = 1 + keys.Zip(keys.Skip(1)).Count(p => p.First.Key != p.Second.Key);
            Assert.Equal(laidOut ? 4 : keys.Count, runs);
            sealedCount++;
        }

        return sealedCount;
    }
}
