using AotVector.Engine.Api;
using AotVector.Engine.Cluster;

namespace AotVector.Engine.Tests;

/// <summary>Shard transfers and dropped replicas in the agreed metadata: the reference's checks, messages and state changes.</summary>
public sealed class ClusterMetadataTransferTests
{
    // Peers 1, 2, 3; collection "c" with shard 0 on peers 1 and 2 (Active) and shard 1 on peer 3 (Active).
    private static ClusterMetadata Cluster()
    {
        var metadata = new ClusterMetadata(1);
        foreach (var peer in (ulong[])[1, 2, 3])
        {
            Assert.True(metadata.Apply(MetaOp.AddPeer(peer, $"http://p{peer}:6335/")).IsOk);
        }

        Assert.True(metadata.Apply(MetaOp.CreateCollection("c", "{}", [[1, 2], [3]])).IsOk);
        foreach (var (shard, peer) in (ReadOnlySpan<(uint, ulong)>)[(0, 1), (0, 2), (1, 3)])
        {
            Assert.True(metadata.Apply(MetaOp.SetReplicaState("c", shard, peer, ReplicaState.Active, ReplicaState.Initializing)).IsOk);
        }

        return metadata;
    }

    private static ShardTransferInfo Transfer(uint shard, ulong from, ulong to, bool sync) =>
        new(Guid.NewGuid(), shard, from, to, sync, ShardTransferMethod.StreamRecords);

    private static string Refusal(ClusterMetadata metadata, MetaOp op)
    {
        var result = metadata.Apply(op);
        Assert.False(result.IsOk);
        return result.Error.Message;
    }

    [Fact]
    public void ReplicateMakesTheTargetPartialThenActiveAndKeepsTheSource()
    {
        var metadata = Cluster();
        var transfer = Transfer(0, 1, 3, sync: true);

        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", transfer)).IsOk);
        Assert.Equal(ReplicaState.Partial, metadata.Collection("c")!.Shards[0][3]);
        Assert.Equal([transfer], metadata.Transfers("c"));

        Assert.True(metadata.Apply(MetaOp.FinishTransfer("c", transfer)).IsOk);
        var shard = metadata.Collection("c")!.Shards[0];
        Assert.Equal([(1UL, ReplicaState.Active), (2UL, ReplicaState.Active), (3UL, ReplicaState.Active)], shard.Select(r => (r.Key, r.Value)));
        Assert.Empty(metadata.Transfers("c"));
    }

    [Fact]
    public void MoveDropsTheSourceWhenFinished()
    {
        var metadata = Cluster();
        var transfer = Transfer(1, 3, 2, sync: false);

        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", transfer)).IsOk);
        Assert.True(metadata.Apply(MetaOp.FinishTransfer("c", transfer)).IsOk);

        Assert.Equal([2UL], metadata.Collection("c")!.Shards[1].Keys);
        Assert.Equal(ReplicaState.Active, metadata.Collection("c")!.Shards[1][2]);
    }

    [Fact]
    public void AbortLeavesAReplicatedTargetDeadAndRemovesAMovedOne()
    {
        var metadata = Cluster();
        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", Transfer(0, 1, 3, sync: true))).IsOk);
        Assert.True(metadata.Apply(MetaOp.AbortTransfer("c", 0, 1, 3, "user request")).IsOk);
        Assert.Equal(ReplicaState.Dead, metadata.Collection("c")!.Shards[0][3]);

        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", Transfer(1, 3, 1, sync: false))).IsOk);
        Assert.True(metadata.Apply(MetaOp.AbortTransfer("c", 1, 3, 1, "user request")).IsOk);
        Assert.Equal([3UL], metadata.Collection("c")!.Shards[1].Keys);
        Assert.Empty(metadata.Transfers("c"));
    }

    [Fact]
    public void StartIsCheckedAsTheReference()
    {
        var metadata = Cluster();

        Assert.Equal("Bad request: Shard 9 does not exist", Refusal(metadata, MetaOp.StartTransfer("c", Transfer(9, 1, 3, true))));
        Assert.Equal("Bad request: Peer 8 does not exist", Refusal(metadata, MetaOp.StartTransfer("c", Transfer(0, 1, 8, true))));
        Assert.Equal("Bad request: Shard 0 is not active on peer 3", Refusal(metadata, MetaOp.StartTransfer("c", Transfer(0, 3, 1, true))));

        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", Transfer(0, 1, 3, true))).IsOk);
        Assert.Equal("Bad request: Shard 0 is already involved in transfer 1 -> 3", Refusal(metadata, MetaOp.StartTransfer("c", Transfer(0, 2, 3, true))));
        Assert.Equal("Bad request: There is no transfer for shard 0 from 2 to 3", Refusal(metadata, MetaOp.AbortTransfer("c", 0, 2, 3, "x")));

        // A finish for an earlier start between the same peers does not finish the later one.
        Assert.False(metadata.Apply(MetaOp.FinishTransfer("c", Transfer(0, 1, 3, true))).IsOk);
        Assert.Single(metadata.Transfers("c"));
    }

    [Fact]
    public void ATargetThatDiedDuringTheTransferCannotFinish()
    {
        var metadata = Cluster();
        var transfer = Transfer(0, 1, 3, true);
        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", transfer)).IsOk);
        Assert.True(metadata.Apply(MetaOp.SetReplicaState("c", 0, 3, ReplicaState.Dead, null)).IsOk);

        // Marking the target Dead aborted the transfer (as the reference does), so it cannot finish.
        Assert.Equal("Bad request: There is no transfer for shard 0 from 1 to 3", Refusal(metadata, MetaOp.FinishTransfer("c", transfer)));
        Assert.Empty(metadata.Transfers("c"));
        Assert.Equal(ReplicaState.Dead, metadata.Collection("c")!.Shards[0][3]);
    }

    [Fact]
    public void RestartGivesTheTransferANewIdAndMethod()
    {
        var metadata = Cluster();
        var first = Transfer(0, 1, 3, true);
        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", first)).IsOk);
        var restarted = first with { Id = Guid.NewGuid(), Method = ShardTransferMethod.StreamRecords };

        Assert.True(metadata.Apply(MetaOp.RestartTransfer("c", restarted)).IsOk);

        Assert.Equal(restarted.Id, Assert.Single(metadata.Transfers("c")).Id);
        Assert.False(metadata.Apply(MetaOp.FinishTransfer("c", first)).IsOk);
        Assert.True(metadata.Apply(MetaOp.FinishTransfer("c", restarted)).IsOk);
    }

    [Fact]
    public void DropReplicaKeepsAnActiveReplicaAndEndsItsTransfers()
    {
        var metadata = Cluster();

        Assert.Equal("Bad request: Shard 1 must have at least one active replica after removing 3", Refusal(metadata, MetaOp.DropReplica("c", 1, 3)));
        Assert.Equal("Bad request: Peer 3 has no replica of shard 0", Refusal(metadata, MetaOp.DropReplica("c", 0, 3)));
        Assert.Equal("Bad request: Shard 5 of c not found", Refusal(metadata, MetaOp.DropReplica("c", 5, 1)));

        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", Transfer(0, 2, 3, true))).IsOk);
        Assert.True(metadata.Apply(MetaOp.DropReplica("c", 0, 2)).IsOk);

        var shard = metadata.Collection("c")!.Shards[0];
        Assert.Equal([(1UL, ReplicaState.Active), (3UL, ReplicaState.Dead)], shard.Select(r => (r.Key, r.Value)));
        Assert.Empty(metadata.Transfers("c"));
    }

    [Fact]
    public void TransfersSurviveASnapshotAndLeaveWithTheirPeer()
    {
        var metadata = Cluster();
        var transfer = Transfer(0, 1, 3, true);
        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", transfer)).IsOk);

        var restored = new ClusterMetadata(2);
        restored.Restore(metadata.Save());
        Assert.Equal([transfer], restored.Transfers("c"));

        Assert.True(restored.Apply(MetaOp.RemovePeer(3)).IsOk);
        Assert.Empty(restored.Transfers("c"));
    }

    [Fact]
    public void OperationRules_SamePeerAndMethodsNotBuilt()
    {
        var same = ClusterOperationRules.Validate(new MoveShard(0, 4, 4));
        Assert.Equal(("move_shard.to_peer_id", "cannot transfer shard to itself, \"to_peer_id\" must be different than 4 in \"from_peer_id\""), same);
        Assert.Null(ClusterOperationRules.Validate(new MoveShard(0, 4, 4, ToShardId: 1)));
        Assert.Null(ClusterOperationRules.Validate(new DropReplica(0, 4)));

        Assert.Equal("Wrong input: the shard transfer method `snapshot` is not supported yet, use `stream_records`",
            ClusterOperationRules.Unsupported(new ReplicateShard(0, 1, 2, ShardTransferMethod.Snapshot))?.Message);
        Assert.Null(ClusterOperationRules.Unsupported(new ReplicateShard(0, 1, 2)));
        Assert.NotNull(ClusterOperationRules.Unsupported(new MoveShard(0, 1, 2, ToShardId: 3)));
    }

    [Fact]
    public void ADeadSourceOrTargetAbortsItsTransfers()
    {
        var metadata = Cluster();
        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", Transfer(0, 1, 3, sync: true))).IsOk);
        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", Transfer(1, 3, 1, sync: false))).IsOk);

        // The source of the replication dies: the transfer goes, its target is left Dead (for recovery to retry).
        Assert.True(metadata.Apply(MetaOp.SetReplicaState("c", 0, 1, ReplicaState.Dead, ReplicaState.Active)).IsOk);
        Assert.Equal(ReplicaState.Dead, metadata.Collection("c")!.Shards[0][3]);
        Assert.Equal([1UL], metadata.Transfers("c").Select(t => (ulong)t.ShardId));

        // The target of the move dies: the transfer goes with the moved replica, the source keeps the shard.
        Assert.True(metadata.Apply(MetaOp.SetReplicaState("c", 1, 1, ReplicaState.Dead, null)).IsOk);
        Assert.Equal([3UL], metadata.Collection("c")!.Shards[1].Keys);
        Assert.Empty(metadata.Transfers("c"));
    }

    [Fact]
    public void ARemovedSourceLeavesAReplicatedTargetDead()
    {
        var metadata = Cluster();
        Assert.True(metadata.Apply(MetaOp.StartTransfer("c", Transfer(0, 2, 3, sync: true))).IsOk);

        Assert.True(metadata.Apply(MetaOp.RemovePeer(2)).IsOk);
        Assert.Empty(metadata.Transfers("c"));
        Assert.Equal(ReplicaState.Dead, metadata.Collection("c")!.Shards[0][3]);
    }
}
