namespace AotVector.Engine.Api;

/// <summary>How a shard's points reach the target of a transfer, as the reference names them.</summary>
public enum ShardTransferMethod
{
    /// <summary>The source streams its points in batches; writes during the transfer reach the target too.</summary>
    StreamRecords,

    Snapshot,

    WalDelta,

    ReshardingStreamRecords,
}

/// <summary>
/// One change to a collection's replicas (POST /collections/{name}/cluster, gRPC UpdateCollectionClusterSetup). Both
/// front ends map their wire to one of these; <see cref="ClusterOperationRules"/> holds the checks they share.
/// </summary>
public abstract record ClusterOperation
{
    /// <summary>The operation's name on the wire (the JSON key, the gRPC oneof case), for validation messages.</summary>
    public abstract string WireName { get; }
}

/// <summary>Copies shard <paramref name="ShardId"/> from one peer to another, then drops it on the source.</summary>
public sealed record MoveShard(uint ShardId, ulong FromPeerId, ulong ToPeerId, ShardTransferMethod? Method = null, uint? ToShardId = null) : ClusterOperation
{
    public override string WireName => "move_shard";
}

/// <summary>Copies shard <paramref name="ShardId"/> from one peer to another, keeping it on the source.</summary>
public sealed record ReplicateShard(uint ShardId, ulong FromPeerId, ulong ToPeerId, ShardTransferMethod? Method = null, uint? ToShardId = null) : ClusterOperation
{
    public override string WireName => "replicate_shard";
}

/// <summary>Stops a running transfer.</summary>
public sealed record AbortTransfer(uint ShardId, ulong FromPeerId, ulong ToPeerId, uint? ToShardId = null) : ClusterOperation
{
    public override string WireName => "abort_transfer";
}

/// <summary>Starts a running transfer again, with a method.</summary>
public sealed record RestartTransfer(uint ShardId, ulong FromPeerId, ulong ToPeerId, ShardTransferMethod Method, uint? ToShardId = null) : ClusterOperation
{
    public override string WireName => "restart_transfer";
}

/// <summary>Removes the replica of shard <paramref name="ShardId"/> on peer <paramref name="PeerId"/>.</summary>
public sealed record DropReplica(uint ShardId, ulong PeerId) : ClusterOperation
{
    public override string WireName => "drop_replica";
}
