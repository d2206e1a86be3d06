using AotVector.Engine.Api;

namespace AotVector.Engine.Cluster;

/// <summary>The shard-transfer and replica-removal operations (fields and factories).</summary>
public sealed partial record MetaOp
{
    /// <summary>StartTransfer: the transfer; Finish and Abort name theirs by shard, source and target.</summary>
    public ShardTransferInfo? Transfer { get; init; }

    /// <summary>AbortTransfer: why (logged on the peers that act on it).</summary>
    public string? Reason { get; init; }

    public static MetaOp StartTransfer(string collection, ShardTransferInfo transfer) =>
        new() { Id = transfer.Id, Kind = MetaOpKind.StartTransfer, Collection = collection, ShardId = transfer.ShardId, Transfer = transfer };

    public static MetaOp FinishTransfer(string collection, ShardTransferInfo transfer) =>
        new() { Id = Guid.NewGuid(), Kind = MetaOpKind.FinishTransfer, Collection = collection, ShardId = transfer.ShardId, Transfer = transfer };

    public static MetaOp AbortTransfer(string collection, uint shardId, ulong from, ulong to, string reason) =>
        new()
        {
            Id = Guid.NewGuid(), Kind = MetaOpKind.AbortTransfer, Collection = collection, ShardId = shardId, Reason = reason,
            Transfer = new ShardTransferInfo(Guid.Empty, shardId, from, to, false, ShardTransferMethod.StreamRecords),
        };

    /// <summary>Starts transfer (shard, from, to) over as <paramref name="restarted"/> (a new id, the method asked).</summary>
    public static MetaOp RestartTransfer(string collection, ShardTransferInfo restarted) =>
        new() { Id = Guid.NewGuid(), Kind = MetaOpKind.RestartTransfer, Collection = collection, ShardId = restarted.ShardId, Transfer = restarted };

    public static MetaOp DropReplica(string collection, uint shardId, ulong peerId) =>
        new() { Id = Guid.NewGuid(), Kind = MetaOpKind.DropReplica, Collection = collection, ShardId = shardId, PeerId = peerId };
}
