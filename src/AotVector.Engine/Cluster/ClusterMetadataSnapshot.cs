using AotVector.Engine.Api;

namespace AotVector.Engine.Cluster;

/// <summary>The whole of <see cref="ClusterMetadata"/> as the consensus snapshot stores it.</summary>
internal sealed class ClusterMetadataSnapshot
{
    public required int Format { get; init; }

    public required ulong FirstPeerId { get; init; }

    public required Dictionary<ulong, string> Peers { get; init; }

    public required List<CollectionSnapshot> Collections { get; init; }

    public required Dictionary<string, string> Aliases { get; init; }

    /// <summary>Ids of the most recently applied operations, oldest first (a retried proposal must still apply once).</summary>
    public required List<Guid> RecentOps { get; init; }
}

internal sealed class CollectionSnapshot
{
    public required string Name { get; init; }

    public required string Config { get; init; }

    public required Dictionary<uint, Dictionary<ulong, ReplicaState>> Shards { get; init; }

    public Dictionary<string, byte[]>? PayloadIndexes { get; init; }

    /// <summary>Running shard transfers (absent in snapshots written before transfers existed).</summary>
    public List<ShardTransferInfo>? Transfers { get; init; }
}
