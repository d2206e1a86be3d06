using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Shards;
using static AotVector.Engine.Tests.Snapshots.SnapshotFixture;

namespace AotVector.Engine.Tests.Snapshots;

/// <summary>
/// Snapshots of a collection of three shards: the collection's holds every shard and restores them all; a shard's
/// holds that shard and restores it alone, leaving the others as they are; shard ids the collection does not have are
/// refused as the reference refuses them.
/// </summary>
public sealed class MultiShardSnapshotTests
{
    private static readonly HashRing s_ring = HashRing.ForShardCount(3);

    [Fact]
    public void CollectionSnapshot_RestoresEveryShard()
    {
        using var f = new SnapshotFixture();
        CreateSharded(f, "c", 60);
        var before = f.AllPoints("c");
        var created = f.Create(new SnapshotScope.Collection("c"));

        f.Upsert("c", [.. Enumerable.Range(100, 30).Select(i => PlainPoint((ulong)i))]);
        Ok(f.Engine.UpdateAsync(Full, "c", new DeletePoints(PointsSelector.ByIds([.. Enumerable.Range(1, 20).Select(i => PointId.FromNum((ulong)i))])), new WriteOptions(true), default).Sync());
        Ok(f.RecoverFile("c", f.PathOf(new SnapshotScope.Collection("c"), created.Name)));
        AssertSamePoints(before, f.AllPoints("c"));
        Assert.Equal(3u, Ok(f.Engine.GetInfo(Full, "c")).Config.Params.ShardNumber);

        // Into a new name too, and across a restart.
        Ok(f.RecoverFile("copy", f.PathOf(new SnapshotScope.Collection("c"), created.Name)));
        f.Reopen();
        AssertSamePoints(before, f.AllPoints("c"));
        AssertSamePoints(before, f.AllPoints("copy"));
        Assert.Empty(f.Debris());
    }

    [Fact]
    public void ShardSnapshot_RestoresThatShardAlone()
    {
        using var f = new SnapshotFixture();
        CreateSharded(f, "c", 90);
        var shard1 = new SnapshotScope.Shard("c", 1);
        var created = f.Create(shard1);
        Assert.Matches(@"^c-shard-1-", created.Name);
        Assert.Equal([created.Name], Ok(f.Engine.ListSnapshots(Full, shard1)).Select(s => s.Name));
        Assert.Empty(Ok(f.Engine.ListSnapshots(Full, new SnapshotScope.Shard("c", 0))));
        var atSnapshot = f.AllPoints("c");

        // Changes on every shard: new points, deletions, a payload overwrite, and an index made after the snapshot.
        Ok(f.Engine.UpdateAsync(Full, "c", new CreateFieldIndex("tag", PayloadSchemaType.Keyword), new WriteOptions(true), default).Sync());
        f.Upsert("c", [.. Enumerable.Range(100, 45).Select(i => PlainPoint((ulong)i, offset: 5))]);
        Ok(f.Engine.UpdateAsync(Full, "c", new DeletePoints(PointsSelector.ByIds([.. Enumerable.Range(1, 30).Select(i => PointId.FromNum((ulong)i))])), new WriteOptions(true), default).Sync());
        f.Upsert("c", [.. Enumerable.Range(31, 30).Select(i => PlainPoint((ulong)i, offset: 9))]);
        var changed = f.AllPoints("c");

        var recovered = f.Engine.RecoverSnapshotAsync(Full, shard1, new SnapshotRecoverRequest(new SnapshotSource.LocalFile(f.PathOf(shard1, created.Name)), SnapshotPriority.Snapshot, null), default).Sync();
        Ok(recovered);

        // Shard 1 is as it was at the snapshot; shards 0 and 2 keep every change.
        var expected = new SortedDictionary<string, PointRecord>(StringComparer.Ordinal);
        foreach (var (id, p) in changed.Where(kv => s_ring.ShardFor(kv.Value.Id) != 1).Concat(atSnapshot.Where(kv => s_ring.ShardFor(kv.Value.Id) == 1)))
        {
            expected[id] = p;
        }

        Assert.Contains(changed.Values, p => s_ring.ShardFor(p.Id) == 1 && !atSnapshot.ContainsKey(p.Id.ToString()));
        AssertSamePoints(expected, f.AllPoints("c"));
        Assert.Equal((ulong)expected.Count, Ok(f.Engine.CountAsync(Full, "c", new CountRequest(null, true), default).Sync()));

        // The restored shard has the index the others have, so the collection's schema counts every point.
        var schema = Ok(f.Engine.GetInfo(Full, "c")).PayloadSchema;
        Assert.Equal(["tag"], schema.Keys);
        Assert.Equal((ulong)expected.Count, schema["tag"].Points);
        Assert.All(f.Engine.CollectionForTests("c").LocalShards, s => Assert.True(s.PayloadSchema.ContainsKey("tag"), $"shard {s.ShardId} has no tag index"));
        f.Reopen();
        AssertSamePoints(expected, f.AllPoints("c"));
        Assert.Empty(f.Debris());
    }

    [Fact]
    public void UnknownShardIds_AreNotFound_AndAShardIsNotACollection()
    {
        using var f = new SnapshotFixture();
        CreateSharded(f, "c", 30);
        var shard3 = new SnapshotScope.Shard("c", 3);
        Assert.Equal("Not found: shard 3", f.Engine.CreateSnapshotAsync(Full, shard3, default).Sync().Error!.Message);
        Assert.Equal("Not found: shard 3", f.Engine.ListSnapshots(Full, shard3).Error!.Message);
        Assert.Equal("Not found: shard 3", f.Engine.ReserveUpload(Full, shard3).Error!.Message);
        var created = f.Create(new SnapshotScope.Shard("c", 2));
        var path = f.PathOf(new SnapshotScope.Shard("c", 2), created.Name);
        var intoUnknown = f.Engine.RecoverSnapshotAsync(Full, shard3, new SnapshotRecoverRequest(new SnapshotSource.LocalFile(path), null, null), default).Sync();
        Assert.Equal("Not found: shard 3", intoUnknown.Error!.Message);

        // One shard of three recovered as a whole collection would leave two shards empty: refused, nothing made.
        var asCollection = f.RecoverFile("whole", path);
        Assert.Equal(ErrorKind.BadRequest, asCollection.Error!.Kind);
        Assert.Contains("lacks shard 0", asCollection.Error.Message, StringComparison.Ordinal);
        Assert.False(Ok(f.Engine.Exists(Full, "whole")));

        // A shard of a collection with other vectors does not go into this one.
        Ok(f.Engine.CreateAsync(Full, new CreateCollectionRequest("other", new VectorsConfig(new VectorParams(3, Distance.Dot), null), ShardNumber: 2), default).Sync());
        var otherShard = f.Create(new SnapshotScope.Shard("other", 0));
        var before = f.AllPoints("c");
        var mismatched = f.Engine.RecoverSnapshotAsync(Full, new SnapshotScope.Shard("c", 0), new SnapshotRecoverRequest(new SnapshotSource.LocalFile(f.PathOf(new SnapshotScope.Shard("other", 0), otherShard.Name)), null, null), default).Sync();
        Assert.Equal(ErrorKind.BadRequest, mismatched.Error!.Kind);
        AssertSamePoints(before, f.AllPoints("c"));
    }

    [Fact]
    public void AShardSwitchCutShort_LeavesTheOldShard_NowAndAfterACrash()
    {
        using var f = new SnapshotFixture();
        CreateSharded(f, "c", 60);
        var shard2 = new SnapshotScope.Shard("c", 2);
        var created = f.Create(shard2);
        f.Upsert("c", [.. Enumerable.Range(200, 30).Select(i => PlainPoint((ulong)i))]);
        var before = f.AllPoints("c");

        // A failure between the two renames puts the old shard back before answering.
        f.Engine.TocForTests.BetweenRestoreRenamesForTests = () => throw new IOException("injected fault mid-switch");
        var failed = f.Engine.RecoverSnapshotAsync(Full, shard2, new SnapshotRecoverRequest(new SnapshotSource.LocalFile(f.PathOf(shard2, created.Name)), null, null), default).Sync();
        Assert.False(failed.IsOk);
        AssertSamePoints(before, f.AllPoints("c"));
        Assert.Empty(f.Debris());

        // What a kill -9 between moving shard 2 aside and moving the restored one in leaves: rolled back at the start.
        var collectionDirectory = f.Engine.CollectionForTests("c").Directory;
        f.Close();
        var target = Path.Combine(collectionDirectory, "2");
        var work = Path.Combine(f.StoragePath, "tmp", "restore-crashed");
        Directory.CreateDirectory(Path.Combine(work, "new", "2"));
        File.WriteAllText(Path.Combine(work, "switch"), target);
        Directory.Move(target, Path.Combine(work, "old"));
        f.Reopen();
        AssertSamePoints(before, f.AllPoints("c"));
        Assert.Empty(f.Debris());
    }

    private static void CreateSharded(SnapshotFixture f, string name, int points)
    {
        Ok(f.Engine.CreateAsync(Full, new CreateCollectionRequest(name, new VectorsConfig(new VectorParams(2, Distance.Dot), null), ShardNumber: 3), default).Sync());
        f.Upsert(name, [.. Enumerable.Range(1, points).Select(i => PlainPoint((ulong)i))]);
    }
}
