namespace AotVector.Engine.Api;

/// <summary>A replica this peer holds: its shard, how many points it has here, its agreed state.</summary>
public sealed record LocalShardInfo(uint ShardId, ulong PointsCount, ReplicaState State);

/// <summary>A replica another peer holds, in its agreed state.</summary>
public sealed record RemoteShardInfo(uint ShardId, ulong PeerId, ReplicaState State);

/// <summary>
/// GET /collections/{name}/cluster: this peer's id, the shard count, the replicas here and elsewhere, and the shard
/// transfers running. Resharding is not built yet.
/// </summary>
public sealed record CollectionClusterInfo(ulong PeerId, uint ShardCount, IReadOnlyList<LocalShardInfo> LocalShards, IReadOnlyList<RemoteShardInfo> RemoteShards)
{
    public IReadOnlyList<ShardTransferInfo> ShardTransfers { get; init; } = [];
}
