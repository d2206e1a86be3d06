using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Shards;
using AotVector.Segment;
using AotVector.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Engine.Tests;

/// <summary>
/// The payload-aware links through a shard's life: the optimizer builds them with each sealed segment's graph (the
/// keyword index exists first), and a restart, a merge and a vacuum each leave graphs that have them.
/// </summary>
public sealed class PayloadLinksLifecycleTests
{
    private const int Dim = 8;

    // 1 KB full-scan threshold = 32 vectors of 8 floats; "rare" is on every 8th point (38 of a 300-point batch).
    private static OptimizerPolicy Policy(int target) =>
        new(1, 1_000_000, target, 0.2, 10, _ => new IndexingPolicy(1, 8, 32, PayloadM: 8, FullScanThresholdKb: 1));

    private static readonly (string, PayloadValue) s_rare = ("tag", PayloadValue.FromString("rare"));

    [Fact]
    public void Links_AreBuiltBySealing_AndSurviveRestartMergeAndVacuum()
    {
        using var dir = new TempDirectory("links");
        using (var shard = Open(dir))
        {
            Assert.True(shard.Update(new CreateFieldIndex("tag", PayloadSchemaType.Keyword), wait: true).IsOk);
            for (var batch = 0; batch < 3; batch++)
            {
                var vectors = SeededRandom.Vectors(900 + batch, 300, Dim);
                var points = vectors.Select((v, i) => new PointStruct(PointId.FromNum((ulong)((batch * 300) + i)), new Dictionary<string, VectorData> { [""] = v },
                    new Payload { ["tag"] = PayloadValue.FromString(i % 8 == 0 ? "rare" : "common") })).ToArray();
                Assert.True(shard.Update(new UpsertPoints(points), wait: true).IsOk);
                while (shard.Optimize(Policy(target: 5), 1, default))
                {
                }
            }
        }

        // Restart: every sealed segment's graph file still holds the links.
        Assert.Equal(3, LinkedSegments(dir));

        using (var shard = Open(dir))
        {
            while (shard.Optimize(Policy(target: 1), 1, default))
            {
            }

            Assert.Single(shard.DescribeSegments(), s => !s.Appendable);
        }

        Assert.Equal(1, LinkedSegments(dir));

        using (var shard = Open(dir))
        {
            var deleted = Enumerable.Range(0, 900).Where(i => i % 3 == 1).Select(i => PointId.FromNum((ulong)i)).ToArray();
            Assert.True(shard.Update(new DeletePoints(PointsSelector.ByIds(deleted)), wait: true).IsOk);
            while (shard.Optimize(Policy(target: 1), 1, default))
            {
            }

            var vacuumed = Assert.Single(shard.DescribeSegments(), s => !s.Appendable);
            Assert.Equal(0UL, vacuumed.Deleted);
        }

        Assert.Equal(1, LinkedSegments(dir));
    }

    private static LocalShard Open(TempDirectory dir) =>
        LocalShard.Create(dir.Path, 0, new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null), WalConfig.Default, NullLogger.Instance);

    // Sealed segments (those with a graph file) whose graph has links for the rare value, each opened as after a restart.
    private static int LinkedSegments(TempDirectory dir)
    {
        var linked = 0;
        foreach (var graph in Directory.EnumerateFiles(dir.Path, "hnsw-.bin", SearchOption.AllDirectories))
        {
            using var segment = PointSegment.Open(Path.GetDirectoryName(graph)!);
            Assert.Contains(s_rare, segment.PayloadLinkBlocks(""));
            linked++;
        }

        return linked;
    }
}
