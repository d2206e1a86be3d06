using AotVector.Common.Filtering;
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
/// The shard's segments over their life: sealing, graph builds, merges, vacuums, writes racing a merge, and
/// restarts (clean and crash) at each stage. The optimizer is driven by hand so every interleaving is fixed.
/// </summary>
public sealed class SegmentLifecycleTests
{
    private const int Dim = 8;

    // 1 KB threshold = 32 vectors of 8 floats; two sealed segments kept; vacuum from 10 deleted and 20%.
    private static readonly OptimizerPolicy s_policy = new(1, 1_000_000, 2, 0.2, 10, _ => new IndexingPolicy(1, 8, 32));

    [Fact]
    public void SealAndMerge_KeepSegmentCountBounded_AndEveryPoint()
    {
        using var dir = new TempDirectory("lifecycle");
        var model = new Dictionary<ulong, float[]>();
        using (var shard = Open(dir))
        {
            for (var batch = 0; batch < 6; batch++)
            {
                Upsert(shard, model, SeededRandom.Vectors(100 + batch, 100, Dim), firstId: (ulong)(batch * 100));
                RunOptimizer(shard);
                var segments = shard.DescribeSegments();
                Assert.True(segments.Count(s => !s.Appendable) <= 2, $"{segments.Count} segments after batch {batch}");
                Assert.Single(segments, s => s.Appendable);
            }

            AssertMatchesModel(shard, model);
            var described = shard.DescribeSegments();
            Assert.All(described.Where(s => !s.Appendable), s => Assert.Equal(s.Points, s.Indexed));
            Assert.Equal(600UL, shard.PointsCount);
        }

        using var reopened = Open(dir);
        AssertMatchesModel(reopened, model);
    }

    [Fact]
    public void Vacuum_ReclaimsDeletedPoints_AndNeitherRestartBringsThemBack()
    {
        using var dir = new TempDirectory("lifecycle");
        var model = new Dictionary<ulong, float[]>();
        LocalShard shard = Open(dir);
        Upsert(shard, model, SeededRandom.Vectors(7, 200, Dim), firstId: 0);
        RunOptimizer(shard);
        var deleted = Enumerable.Range(0, 200).Where(i => i % 3 == 0).Select(i => PointId.FromNum((ulong)i)).ToArray();
        Assert.True(shard.Update(new DeletePoints(PointsSelector.ByIds(deleted)), wait: true).IsOk);
        foreach (var id in deleted)
        {
            model.Remove(id.Num);
        }

        RunOptimizer(shard);
        var sealedSegment = Assert.Single(shard.DescribeSegments(), s => !s.Appendable);
        Assert.Equal(0UL, sealedSegment.Deleted);
        Assert.Equal((ulong)model.Count, sealedSegment.Points);
        AssertMatchesModel(shard, model);

        // A crash after the vacuum replays the WAL tail over segments that no longer hold the tombstones.
        Assert.True(shard.Update(new SetPayload(Payload(5), PointsSelector.ByIds([PointId.FromNum(1)])), wait: true).IsOk);
        shard.Abandon();
        shard = Open(dir);
        AssertMatchesModel(shard, model);
        shard.Dispose();
        using var again = Open(dir);
        AssertMatchesModel(again, model);
        Assert.Equal(5, again.Retrieve([PointId.FromNum(1)], WithPayload.All, WithVector.None)[0].Payload!["n"]!.AsInteger);
    }

    [Fact]
    public void OptimizationLog_ShowsAFailedMergeThenTheMergeThatSucceeded()
    {
        using var dir = new TempDirectory("lifecycle");
        var model = new Dictionary<ulong, float[]>();
        using var shard = Open(dir);
        SealThreeBatches(shard, model, seed: 310, withGraphs: true);
        var sources = shard.DescribeSegments().Where(s => !s.Appendable).Select(s => s.Name).Order().ToList();

        var (queued, doneBefore, _, pointsBefore) = shard.DescribeOptimizations(Policy(target: 1));
        var next = Assert.Single(queued.Queued);
        Assert.Equal("merge", next.Optimizer);
        Assert.Equal(sources, next.Segments.Select(s => s.Id).Order());
        Assert.Empty(queued.Running);

        shard.BeforeSwapForTests = () => throw new IOException("No space left on device (test)");
        Assert.Throws<IOException>(() => shard.Optimize(Policy(target: 1), 1, default));
        shard.BeforeSwapForTests = null;
        Assert.Equal("No space left on device (test)", shard.OptimizerError);
        var (failed, done, failures, _) = shard.DescribeOptimizations(Policy(target: 1));
        // Newest first; the seals and graph builds of the setup come after it.
        var record = failed.Completed[0];
        Assert.Equal((OptimizationState.Failed, "merge", "No space left on device (test)"), (record.State, record.Optimizer, record.Reason));
        Assert.Equal(sources, record.Segments.Select(s => s.Id).Order());
        Assert.Equal((doneBefore, 1UL), (done, failures));

        Assert.True(shard.Optimize(Policy(target: 1), 1, default));
        Assert.Null(shard.OptimizerError);
        var after = shard.DescribeOptimizations(Policy(target: 1));
        Assert.Equal((OptimizationState.Done, "merge"), (after.Report.Completed[0].State, after.Report.Completed[0].Optimizer));
        Assert.Equal(doneBefore + 1, after.Done);
        Assert.Equal(pointsBefore + (ulong)model.Count, after.OptimizedPoints);
        Assert.Empty(after.Report.Queued);
        Assert.Equal(2, after.Report.Idle.Count); // the merged segment and the appendable one
    }

    [Fact]
    public void WritesDuringMerge_AreAllKept_ThroughSwapAndCrash()
    {
        using var dir = new TempDirectory("lifecycle");
        var model = new Dictionary<ulong, float[]>();
        LocalShard shard = Open(dir);
        SealThreeBatches(shard, model, seed: 300, withGraphs: true);

        Assert.Equal(3, shard.DescribeSegments().Count(s => !s.Appendable));
        var moved = Enumerable.Repeat(9f, Dim).ToArray();
        var replaced = Enumerable.Repeat(-9f, Dim).ToArray();
        shard.BeforeSwapForTests = () =>
        {
            // Each target point sits in a segment being merged: edits move it out first, deletes are replayed at the swap.
            Assert.True(shard.Update(new SetPayload(Payload(4242), PointsSelector.ByIds([PointId.FromNum(5)])), wait: true).IsOk);
            Assert.True(shard.Update(new UpdateVectors([new PointVectors(PointId.FromNum(105), Vec(moved))]), wait: true).IsOk);
            Assert.True(shard.Update(new DeletePoints(PointsSelector.ByIds([PointId.FromNum(6), PointId.FromNum(106)])), wait: true).IsOk);
            Assert.True(shard.Update(new UpsertPoints([new PointStruct(PointId.FromNum(7), Vec(replaced), null)]), wait: true).IsOk);
            Assert.True(shard.Update(new CreateFieldIndex("n", PayloadSchemaType.Integer), wait: true).IsOk);
        };
        model[105] = moved;
        model.Remove(6);
        model.Remove(106);
        model[7] = replaced;

        // Target 1: the three sealed segments merge into one.
        Assert.True(shard.Optimize(Policy(target: 1), 1, default));
        shard.BeforeSwapForTests = null;
        Assert.Equal(2, shard.DescribeSegments().Count);

        // The edited points (5, 105) and the replaced one (7) were moved out; the merged segment kept the rest.
        Assert.Equal(3UL, Assert.Single(shard.DescribeSegments(), s => s.Appendable).Points);

        void Check(LocalShard s)
        {
            AssertMatchesModel(s, model);
            Assert.Equal(4242, s.Retrieve([PointId.FromNum(5)], WithPayload.All, WithVector.None)[0].Payload!["n"]!.AsInteger);
            Assert.Equal(1UL, s.Count(new Filter(Must: [new FieldCondition("n", Match: new MatchValue(PayloadValue.FromInteger(4242)))]), default));
            Assert.True(s.PayloadSchema.ContainsKey("n"));
        }

        Check(shard);
        shard.Abandon();
        shard = Open(dir);
        Check(shard);
        shard.Dispose();
        using var clean = Open(dir);
        Check(clean);
    }

    [Fact]
    public void SearchesRun_WhileAMergeSwapsAndWhileAFlushWrites()
    {
        using var dir = new TempDirectory("lifecycle");
        var model = new Dictionary<ulong, float[]>();
        using var shard = Open(dir);
        SealThreeBatches(shard, model, seed: 500, withGraphs: true);

        // Writers are held off at these points, searches are not: a search from another thread must finish before
        // the flush or swap goes on (it used to wait for the lock that the swap's fsyncs held), even with an upsert
        // queued behind them (under ReaderWriterLockSlim a queued writer holds up every new reader).
        var query = SeededRandom.Vectors(9, 1, Dim)[0];
        var searched = new List<int>();
        var queued = new List<Task<bool>>();
        shard.WritersHeldForTests = () =>
        {
            var id = 2000 + (ulong)queued.Count;
            var vector = SeededRandom.Vectors(700 + queued.Count, 1, Dim)[0];
            var upsert = Task.Run(() => shard.Update(new UpsertPoints([new PointStruct(PointId.FromNum(id), Vec(vector), null)]), wait: false).IsOk);
            Assert.False(upsert.Wait(TimeSpan.FromMilliseconds(200)), "an upsert ran while writers were held off");
            queued.Add(upsert);
            model[id] = vector;

            var search = Task.Run(() => shard.Search(new ShardSearch("", query, null, 10, false, null, 10_000), default).Count);
            Assert.True(search.Wait(TimeSpan.FromSeconds(30)), "a search waited for the flush or swap to finish");
            searched.Add(search.Result);
        };

        Assert.True(shard.Optimize(Policy(target: 1), 1, default));
        Assert.Equal([10], searched);
        Upsert(shard, model, SeededRandom.Vectors(600, 10, Dim), firstId: 1000);
        shard.Flush();
        Assert.Equal([10, 10], searched);
        shard.WritersHeldForTests = null;
        Assert.All(queued, upsert => Assert.True(upsert.Wait(TimeSpan.FromSeconds(30)) && upsert.Result));
        AssertMatchesModel(shard, model);
    }

    [Fact]
    public void LargeUpsert_LetsSearchesInBetweenItsChunks()
    {
        using var dir = new TempDirectory("lifecycle");
        using var shard = Open(dir);
        var seen = new List<ulong>();
        shard.BetweenApplyChunksForTests = () =>
        {
            // Another thread, so a search that needed the write lock released would time out here.
            var count = Task.Run(() => shard.Count(null, default));
            Assert.True(count.Wait(TimeSpan.FromSeconds(30)), "a search waited for the whole batch");
            seen.Add(count.Result);
        };

        var model = new Dictionary<ulong, float[]>();
        Upsert(shard, model, SeededRandom.Vectors(900, 300, Dim), firstId: 0);
        shard.BetweenApplyChunksForTests = null;
        Assert.Equal([128UL, 256UL, 300UL], seen);
        AssertMatchesModel(shard, model);
    }

    [Fact]
    public void SealedSegmentsWithoutGraphs_GetThemBeforeAnyMerge()
    {
        using var dir = new TempDirectory("lifecycle");
        var model = new Dictionary<ulong, float[]>();
        using var shard = Open(dir);
        SealThreeBatches(shard, model, seed: 800, withGraphs: false);

        // Three sealed segments with no graph, and a target of one: the graphs come first (each is searched
        // exactly until then), the merge after.
        Assert.Empty(shard.DescribeGraphs());
        for (var built = 1; built <= 3; built++)
        {
            Assert.True(shard.Optimize(Policy(target: 1), 1, default));
            Assert.Equal(4, shard.DescribeSegments().Count);
            Assert.Equal(built, shard.DescribeGraphs().Count);
        }

        Assert.True(shard.Optimize(Policy(target: 1), 1, default));
        Assert.Equal(2, shard.DescribeSegments().Count);
        AssertMatchesModel(shard, model);
    }

    [Fact]
    public void CrashBeforeFirstFlush_AfterSeals_ReplaysIntoTheRightState()
    {
        using var dir = new TempDirectory("lifecycle");
        var model = new Dictionary<ulong, float[]>();
        LocalShard shard = Open(dir);
        for (var batch = 0; batch < 4; batch++)
        {
            Upsert(shard, model, SeededRandom.Vectors(500 + batch, 60, Dim), firstId: (ulong)(batch * 40));
            RunOptimizer(shard);
            Assert.True(shard.Update(new DeletePoints(PointsSelector.ByIds([PointId.FromNum((ulong)(batch * 40 + 1))])), wait: true).IsOk);
            model.Remove((ulong)(batch * 40 + 1));
            var v = SeededRandom.Vectors(600 + batch, 1, Dim)[0];
            Assert.True(shard.Update(new UpdateVectors([new PointVectors(PointId.FromNum((ulong)(batch * 40 + 2)), Vec(v))]), wait: true).IsOk);
            model[(ulong)(batch * 40 + 2)] = v;
        }

        shard.Abandon();
        using var reopened = Open(dir);
        AssertMatchesModel(reopened, model);
    }

    [Fact]
    public void LeftoverDirectory_IsRemoved_AndLegacyLayoutIsAdopted()
    {
        using var dir = new TempDirectory("lifecycle");

        // The single-segment layout of earlier builds: <shard>/segment.
        var legacy = PointSegment.Create(Path.Combine(dir.Path, "segment"), new Dictionary<string, VectorSpec> { [""] = new(Dim, Distance.Euclid) });
        legacy.Upsert(1, PointId.FromNum(1), Vec([1, 2, 3, 4, 5, 6, 7, 8]), null);
        legacy.Flush(1);
        legacy.Dispose();

        using (var shard = Open(dir))
        {
            Assert.Single(shard.Retrieve([PointId.FromNum(1)], WithPayload.None, WithVector.None));
        }

        var leftover = Path.Combine(dir.Path, "segments", "99");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, "junk"), "x");
        using (var shard = Open(dir))
        {
            Assert.Single(shard.Retrieve([PointId.FromNum(1)], WithPayload.None, WithVector.None));
        }

        Assert.False(Directory.Exists(leftover));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "segment")));
    }

    [Fact]
    public void DamagedManifest_FailsToOpen_WithAClearMessage()
    {
        using var dir = new TempDirectory("lifecycle");
        Open(dir).Dispose();
        var manifest = Path.Combine(dir.Path, SegmentManifest.FileName);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("appendable", "sealed", StringComparison.Ordinal));
        var e = Assert.Throws<InvalidDataException>(() => Open(dir));
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
    }

    private static OptimizerPolicy Policy(int target) => s_policy with { TargetSegments = target };

    private static LocalShard Open(TempDirectory dir) =>
        LocalShard.Create(dir.Path, 0, new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null), WalConfig.Default, NullLogger.Instance);

    private static void RunOptimizer(LocalShard shard)
    {
        for (var i = 0; i < 100 && shard.Optimize(s_policy, 1, default); i++)
        {
        }

        Assert.False(shard.HasPendingOptimization(s_policy));
    }

    private static void Upsert(LocalShard shard, Dictionary<ulong, float[]> model, float[][] vectors, ulong firstId)
    {
        var points = vectors.Select((v, i) => new PointStruct(PointId.FromNum(firstId + (ulong)i), Vec(v), Payload(i))).ToArray();
        Assert.True(shard.Update(new UpsertPoints(points), wait: true).IsOk);
        for (var i = 0; i < vectors.Length; i++)
        {
            model[firstId + (ulong)i] = vectors[i];
        }
    }

    // Three batches of 100 points, each sealed into a segment of its own; with graphs, the optimizer runs until idle.
    private static void SealThreeBatches(LocalShard shard, Dictionary<ulong, float[]> model, int seed, bool withGraphs)
    {
        for (var batch = 0; batch < 3; batch++)
        {
            Upsert(shard, model, SeededRandom.Vectors(seed + batch, 100, Dim), firstId: (ulong)(batch * 100));
            while ((withGraphs || shard.DescribeSegments().Count(s => !s.Appendable) <= batch) && shard.Optimize(Policy(target: 5), 1, default))
            {
            }
        }
    }

    private static Dictionary<string, VectorData> Vec(float[] v) => new() { [""] = v };

    private static Payload Payload(long n)
    {
        var p = new Payload();
        p["n"] = PayloadValue.FromInteger(n);
        return p;
    }

    // Every point of the model, with its vector, and nothing else; exact search agrees with brute force.
    private static void AssertMatchesModel(LocalShard shard, Dictionary<ulong, float[]> model)
    {
        Assert.Equal((ulong)model.Count, shard.PointsCount);
        Assert.Equal((ulong)model.Count, shard.Count(null, default));
        var ids = shard.ScrollIds(null, null, model.Count + 10, default);
        Assert.Equal(model.Keys.Order(), ids.Select(i => i.Num));
        var records = shard.Retrieve([.. model.Keys.Select(PointId.FromNum)], WithPayload.None, WithVector.All);
        Assert.Equal(model.Count, records.Count);
        foreach (var r in records)
        {
            Assert.Equal(model[r.Id.Num], r.Vectors![""]);
        }

        var query = SeededRandom.Vectors(9999, 1, Dim)[0];
        var expected = model.OrderBy(p => SquaredDistance(p.Value, query)).ThenBy(p => p.Key).Take(10).Select(p => p.Key).ToList();
        var hits = shard.Search(new ShardSearch("", query, null, 10, true, null, 10_000), default);
        Assert.Equal(expected, hits.Select(h => h.Id.Num));
    }

    private static double SquaredDistance(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();
}
