using AotVector.Engine.Ports;

namespace AotVector.Engine.Cluster;

/// <summary>
/// What the engine needs to place a collection's shards over a cluster: this peer's id, the other peers' shards
/// (<see cref="IRemoteShards"/>) and where a replica that failed a write is reported (<see cref="IReplicaFailures"/>).
/// The host gives it once, in cluster mode, before any agreed metadata reaches the engine.
/// </summary>
public sealed record ClusterLinks(ulong PeerId, IRemoteShards Remotes, IReplicaFailures Failures)
{
    /// <summary>The shard transfers running in a collection (by name), as the agreed metadata has them.</summary>
    public Func<string, IReadOnlyList<Api.ShardTransferInfo>>? Transfers { get; init; }
}
