using AotVector.Engine.Api;

namespace AotVector.Engine.Cluster;

/// <summary>
/// A collection as the cluster agrees on it: its configuration (the engine's <c>collection.json</c> text) and, for
/// every shard, the state of its replica on each peer that holds one.
/// </summary>
public sealed class CollectionMetadata
{
    public required string Name { get; init; }

    public required string Config { get; set; }

    /// <summary>shard id → (peer id → replica state), both in ascending order.</summary>
    public required SortedDictionary<uint, SortedDictionary<ulong, ReplicaState>> Shards { get; init; }

    /// <summary>The agreed payload index schema: field → the engine's encoded create-index operation.</summary>
    public SortedDictionary<string, byte[]> PayloadIndexes { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The shard transfers running, in the order they started.</summary>
    public List<ShardTransferInfo> Transfers { get; init; } = [];

    public IEnumerable<uint> ShardsOn(ulong peerId) => Shards.Where(s => s.Value.ContainsKey(peerId)).Select(s => s.Key);

    internal CollectionMetadata Copy() => new()
    {
        Name = Name,
        Config = Config,
        Shards = new(Shards.ToDictionary(s => s.Key, s => new SortedDictionary<ulong, ReplicaState>(s.Value))),
        PayloadIndexes = new(PayloadIndexes, StringComparer.Ordinal),
        Transfers = [.. Transfers],
    };
}
