namespace AotVector.Engine.Api;

/// <summary>
/// The state of one replica of one shard on one peer, as the reference names them. Cluster metadata (agreed through
/// consensus) holds one per (shard, peer); the replica set reads it to decide where writes go and where reads may
/// be served. Standalone, the one replica of every shard is <see cref="Active"/>.
/// </summary>
public enum ReplicaState
{
    /// <summary>Serves reads and takes writes.</summary>
    Active,

    /// <summary>Failed a write or a health check: neither reads nor writes until it is recovered.</summary>
    Dead,

    /// <summary>The target of a transfer in progress: takes writes, serves no reads.</summary>
    Partial,

    /// <summary>Created, not yet confirmed by its peer: takes writes, serves no reads.</summary>
    Initializing,

    /// <summary>Takes writes and is never searched: a backup replica.</summary>
    Listener,

    /// <summary>The target of a snapshot transfer: takes no writes until the snapshot is in.</summary>
    PartialSnapshot,

    /// <summary>Being recovered from a snapshot: takes no writes.</summary>
    Recovery,

    /// <summary>The target of a resharding transfer (scale up).</summary>
    Resharding,

    /// <summary>The source of a resharding transfer (scale down).</summary>
    ReshardingScaleDown,

    /// <summary>Serves reads during resharding while writes go elsewhere.</summary>
    ActiveRead,
}
