using AotVector.Engine.Api;

namespace AotVector.Engine.Cluster;

/// <summary>
/// What the agreed metadata tells the local peer to do, called in log order while an operation is applied (keep it
/// quick: queue the work). <see cref="ClusterMetadata"/> calls it on every peer for every change, so an implementation
/// filters by <paramref name="localShards"/> or <see cref="ClusterMetadata.LocalPeerId"/> itself. Replaying the log
/// after a restart calls it again for operations whose effects may already be on disk, so every handler must be
/// idempotent (create only what is missing, delete only what is there).
/// </summary>
public interface IClusterMetadataListener
{
    /// <summary>A collection was created; <paramref name="localShards"/> are the shard ids with a replica on this peer.</summary>
    void CollectionCreated(string name, string config, IReadOnlyList<uint> localShards);

    void CollectionDeleted(string name);

    void AliasesChanged(IReadOnlyList<AliasChange> changes);

    /// <summary>A replica's state changed (any peer's; compare <paramref name="peerId"/> with the local one).</summary>
    void ReplicaStateChanged(string collection, uint shardId, ulong peerId, ReplicaState state);

    /// <summary>A peer left the cluster; its replicas were dropped from every collection.</summary>
    void PeerRemoved(ulong peerId);

    /// <summary>A collection's transfers or replicas changed by a transfer or a dropped replica: reconcile with the metadata.</summary>
    void TransfersChanged(string collection)
    {
    }

    /// <summary>The whole metadata was replaced from a snapshot: reconcile local state with it.</summary>
    void Reset(ClusterMetadata metadata);
}
