using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Shards;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// on_disk_payload through the engine: the default (true, as the reference's storage.on_disk_payload) puts every
/// segment's payloads in its payload file, through seals, merges and vacuums; a PATCH to false (and back) has the
/// optimizer rewrite the sealed segments in the new placement; filters on unindexed fields, scrolls and restarts,
/// clean or not, give the same answers throughout.
/// </summary>
public sealed class OnDiskPayloadTests
{
    private const int Dim = 8;
    private const int Points = 3000;
    private static readonly AccessContext s_full = AccessContext.Full;

    [Fact]
    public async Task DefaultPlacement_IsOnDisk_ThroughSealMergeVacuumAndRestarts()
    {
        using var f = new EngineFixture();
        await CreateAsync(f, "d", onDiskPayload: null);
        Assert.True(Info(f, "d").Config.Params.OnDiskPayload);
        await FillAsync(f, "d");
        Assert.All(Shard(f, "d").PayloadPlacements(), p => Assert.True(p.OnDiskPayload, p.Segment));
        Assert.True(Shard(f, "d").PayloadPlacements().Count(p => !p.Appendable) >= 1);
        await AssertAnswersAsync(f, "d", deletedBelow: 0);

        // Deleting most points makes the sealed segments vacuum: the live payloads move to a new payload file.
        var deleted = await f.Engine.UpdateAsync(s_full, "d", new Operations.DeletePoints(PointsSelector.ByIds([.. Enumerable.Range(0, Points * 3 / 4).Select(i => PointId.FromNum((ulong)i))])), new WriteOptions(true), default);
        Assert.True(deleted.IsOk);
        await WaitGreenAsync(f, "d", () => Shard(f, "d").SegmentReports().All(r => r.DeletedPoints == 0 || r.Appendable));
        Assert.All(Shard(f, "d").PayloadPlacements(), p => Assert.True(p.OnDiskPayload, p.Segment));
        await AssertAnswersAsync(f, "d", deletedBelow: Points * 3 / 4);

        f.Reopen(flushFirst: true);
        await AssertAnswersAsync(f, "d", deletedBelow: Points * 3 / 4);
        f.Reopen(flushFirst: false);
        await AssertAnswersAsync(f, "d", deletedBelow: Points * 3 / 4);
    }

    [Fact]
    public async Task PatchOnDiskPayload_RewritesSealedSegments_InTheNewPlacement_AndBack()
    {
        using var f = new EngineFixture();
        await CreateAsync(f, "p", onDiskPayload: false);
        await FillAsync(f, "p");
        Assert.All(Shard(f, "p").PayloadPlacements(), p => Assert.False(p.OnDiskPayload, p.Segment));

        await PatchAsync(f, "p", true);
        Assert.True(Info(f, "p").Config.Params.OnDiskPayload);
        await WaitGreenAsync(f, "p", () => Shard(f, "p").PayloadPlacements().All(p => p.OnDiskPayload || p.Appendable));
        await AssertAnswersAsync(f, "p", deletedBelow: 0);

        f.Reopen(flushFirst: false);
        await AssertAnswersAsync(f, "p", deletedBelow: 0);
        Assert.True(Info(f, "p").Config.Params.OnDiskPayload);

        await PatchAsync(f, "p", false);
        await WaitGreenAsync(f, "p", () => Shard(f, "p").PayloadPlacements().All(p => !p.OnDiskPayload || p.Appendable));
        await AssertAnswersAsync(f, "p", deletedBelow: 0);
    }

    private static Payload PayloadOf(int i) => new()
    {
        ["n"] = PayloadValue.FromInteger(i),
        ["color"] = PayloadValue.FromString(i % 3 == 0 ? "red" : "blue"),
        ["meta"] = PayloadValue.FromObject(new Payload { ["even"] = PayloadValue.FromBool(i % 2 == 0) }),
    };

    private static string Show(Payload payload) =>
        $"{payload["n"]!.AsInteger} {payload["color"]!.AsString} {payload["meta"]!.AsObject["even"]!.AsBool} {payload.Count}";

    private static async Task CreateAsync(EngineFixture f, string name, bool? onDiskPayload)
    {
        // An indexing threshold of 20 KB seals every few hundred points, so several sealed segments get merged.
        var r = await f.Engine.CreateAsync(s_full, new CreateCollectionRequest(
            name,
            new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null),
            OptimizersConfig: new OptimizersConfigDiff(IndexingThreshold: 20, DefaultSegmentNumber: 2, VacuumMinVectorNumber: 100),
            OnDiskPayload: onDiskPayload), default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
    }

    private static async Task FillAsync(EngineFixture f, string name)
    {
        var vectors = SeededRandom.Vectors(91, Points, Dim);
        for (var start = 0; start < Points; start += 500)
        {
            f.Upsert(name, [.. Enumerable.Range(start, 500).Select(i => EngineFixture.Point((ulong)i, vectors[i], PayloadOf(i)))]);
        }

        await WaitGreenAsync(f, name, () => Info(f, name).IndexedVectorsCount > 0);
    }

    // Counts and payloads through filters on fields without an index, nested and top-level, and a full scroll.
    private static async Task AssertAnswersAsync(EngineFixture f, string name, int deletedBelow)
    {
        var live = Enumerable.Range(deletedBelow, Points - deletedBelow).ToList();
        var red = new Filter(Must: [new FieldCondition("color", Match: new MatchValue(PayloadValue.FromString("red")))]);
        var evenInRange = new Filter(Must: [new FieldCondition("meta.even", Match: new MatchValue(PayloadValue.FromBool(true))), new FieldCondition("n", Range: new RangeCondition(Gte: 2000))]);
        Assert.Equal((ulong)live.Count(i => i % 3 == 0), await CountAsync(f, name, red));
        Assert.Equal((ulong)live.Count(i => i % 2 == 0 && i >= 2000), await CountAsync(f, name, evenInRange));

        var scroll = await f.Engine.ScrollAsync(s_full, name, new ScrollRequest(red, (uint)Points, null, WithPayload.All, WithVector.None), default);
        Assert.True(scroll.IsOk, scroll.IsOk ? null : scroll.Error.Message);
        var expected = live.Where(i => i % 3 == 0).ToList();
        Assert.Equal(expected.Select(i => (ulong)i), scroll.Value!.Points.Select(p => p.Id.Num));
        foreach (var point in scroll.Value.Points)
        {
            Assert.Equal(Show(PayloadOf((int)point.Id.Num)), Show(point.Payload!));
        }
    }

    private static async Task<ulong> CountAsync(EngineFixture f, string name, Filter filter)
    {
        var r = await f.Engine.CountAsync(s_full, name, new CountRequest(filter, true), default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        return r.Value;
    }

    private static async Task PatchAsync(EngineFixture f, string name, bool onDiskPayload)
    {
        var r = await f.Engine.UpdateAsync(s_full, new UpdateCollectionRequest(name, OnDiskPayload: onDiskPayload), default);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
    }

    private static Task WaitGreenAsync(EngineFixture f, string name, Func<bool> done) =>
        f.WaitForBackgroundAsync(() => Info(f, name).Status == CollectionStatus.Green && done(), "the optimizer's work");

    private static CollectionInfo Info(EngineFixture f, string name) => f.Engine.GetInfo(s_full, name).Value!;

    private static LocalShard Shard(EngineFixture f, string name) => Assert.Single(f.Engine.CollectionForTests(name).LocalShards);
}
