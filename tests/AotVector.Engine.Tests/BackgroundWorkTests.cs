using System.Collections.Concurrent;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Shards;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// The periodic flush and the optimizer run on threads of their own. On the thread pool they held pool threads for
/// seconds at a time, and requests' own pool work (writing HTTP/2 answers) waited for the pool to grow.
/// </summary>
public sealed class BackgroundWorkTests
{
    private const int Dim = 8;

    [Fact]
    public async Task UpsertsOfAFewPointsWithoutWait_RunOnTheCaller_OthersOnUpdateWorkers()
    {
        using var f = new EngineFixture();
        f.CreateCollection("w", Dim, Distance.Euclid);
        var vectors = SeededRandom.Vectors(41, 40, Dim);
        PointStruct[] Points(int from, int count) => [.. Enumerable.Range(from, count).Select(i => EngineFixture.Point((ulong)i, vectors[i]))];

        // Done before the call returns: no hop to a worker and back, which costs more than the update itself.
        var small = f.Engine.UpdateAsync(EngineFixture.Full, "w", new UpsertPoints(Points(0, 3)), new WriteOptions(false), default);
        Assert.True(small.IsCompleted);
        Assert.True((await small).IsOk);

        var large = await f.Engine.UpdateAsync(EngineFixture.Full, "w", new UpsertPoints(Points(3, 30)), new WriteOptions(false), default);
        var waited = await f.Engine.UpdateAsync(EngineFixture.Full, "w", new UpsertPoints(Points(33, 1)), new WriteOptions(true), default);
        Assert.True(large.IsOk && waited.IsOk);
        Assert.Equal(34UL, f.Engine.GetInfo(EngineFixture.Full, "w").Value!.PointsCount);
    }

    [Fact]
    public async Task FlushLoop_KeepsFlushIntervalOnTheEnginesClock()
    {
        using var f = new EngineFixture();
        var created = await f.Engine.CreateAsync(EngineFixture.Full, new CreateCollectionRequest(
            "h", new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null), null,
            new OptimizersConfigDiff(FlushIntervalSec: 3600)), default);
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
        var shard = Assert.Single(f.Engine.CollectionForTests("h").LocalShards);
        var flushes = 0;
        shard.WritersHeldForTests = () => Interlocked.Increment(ref flushes);
        f.Upsert("h", EngineFixture.Point(1, SeededRandom.Vectors(32, 1, Dim)[0]));

        // An hour between flushes: never reached on the wall clock of a test, reached here in ten-minute steps.
        var started = f.Time.GetUtcNow();
        await f.WaitForBackgroundAsync(
            () =>
            {
                f.Time.Advance(TimeSpan.FromMinutes(10));
                return Volatile.Read(ref flushes) > 0;
            },
            "the hourly flush");
        Assert.True(f.Time.GetUtcNow() - started >= TimeSpan.FromHours(1));
        shard.WritersHeldForTests = null;
    }

    [Fact]
    public async Task FlushesAndMerges_RunOffTheThreadPool()
    {
        using var f = new EngineFixture();
        // 1 kB seals every 32 points of 8 floats; one target segment merges the sealed ones; flushes every second.
        var created = await f.Engine.CreateAsync(EngineFixture.Full, new CreateCollectionRequest(
            "b", new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null), null,
            new OptimizersConfigDiff(DefaultSegmentNumber: 1, IndexingThreshold: 1, FlushIntervalSec: 1)), default);
        Assert.True(created.IsOk, created.IsOk ? null : created.Error.Message);
        var shard = Assert.Single(f.Engine.CollectionForTests("b").LocalShards);

        var flushedOnPool = new ConcurrentBag<bool>();
        var mergedOnPool = new ConcurrentBag<bool>();
        shard.WritersHeldForTests = () => flushedOnPool.Add(Thread.CurrentThread.IsThreadPoolThread);
        shard.BeforeSwapForTests = () => mergedOnPool.Add(Thread.CurrentThread.IsThreadPoolThread);

        var vectors = SeededRandom.Vectors(31, 400, Dim);
        var batch = 0;
        await f.WaitForBackgroundAsync(
            () =>
            {
                f.Upsert("b", [.. Enumerable.Range(batch * 100, 100).Select(i => EngineFixture.Point((ulong)i, vectors[i]))]);
                batch = (batch + 1) % 4;
                return !flushedOnPool.IsEmpty && !mergedOnPool.IsEmpty;
            },
            "a flush and a merge");

        shard.WritersHeldForTests = null;
        shard.BeforeSwapForTests = null;
        Assert.DoesNotContain(true, flushedOnPool);
        Assert.DoesNotContain(true, mergedOnPool);
    }

    [Theory]
    [InlineData(0UL, 1.0)]
    [InlineData(1UL, 1.0)]
    [InlineData(5UL, 5.0)]
    [InlineData(922_337_203_684UL, 922_337_203_684.0)]
    public void FlushInterval_IsTheSettingInSeconds_AtLeastOne(ulong seconds, double expected)
    {
        Assert.Equal(expected, VectorEngine.FlushInterval(seconds).TotalSeconds, 3);
    }

    [Theory]
    [InlineData(922_337_203_685UL)]
    [InlineData(1UL << 53)]
    [InlineData(ulong.MaxValue)]
    public void FlushInterval_PastWhatATimeSpanHolds_IsNever(ulong seconds)
    {
        Assert.Equal(TimeSpan.MaxValue, VectorEngine.FlushInterval(seconds));
    }
}
