using AotVector.Engine.Api;

namespace AotVector.Engine.Cluster;

/// <summary>
/// One metadata operation as it is written to the consensus log. Flat (one record, a kind and the fields that kind
/// uses) so its encoding is plain and stable. <see cref="Id"/> is chosen once by the proposer: a proposal retried
/// after a lost answer carries the same id and is applied once.
/// </summary>
public sealed partial record MetaOp
{
    public required Guid Id { get; init; }

    public required MetaOpKind Kind { get; init; }

    public ulong PeerId { get; init; }

    public string? Uri { get; init; }

    public string? Collection { get; init; }

    /// <summary>The collection's full configuration in the engine's <c>collection.json</c> format, resolved by the proposer.</summary>
    public string? Config { get; init; }

    /// <summary>CreateCollection: for each shard id (the index), the peers that hold a replica.</summary>
    public List<List<ulong>>? Placement { get; init; }

    public List<AliasChange>? Aliases { get; init; }

    public uint ShardId { get; init; }

    public ReplicaState State { get; init; }

    public ReplicaState? FromState { get; init; }

    /// <summary>UpdateCollection: the configuration the change was computed from; a concurrent change refuses it.</summary>
    public string? FromConfig { get; init; }

    public string? FieldName { get; init; }

    /// <summary>CreatePayloadIndex: the engine's encoded create-index operation (schema and text parameters).</summary>
    public byte[]? FieldIndex { get; init; }

    public static MetaOp AddPeer(ulong peerId, string uri) => new() { Id = Guid.NewGuid(), Kind = MetaOpKind.AddPeer, PeerId = peerId, Uri = uri };

    public static MetaOp RemovePeer(ulong peerId) => new() { Id = Guid.NewGuid(), Kind = MetaOpKind.RemovePeer, PeerId = peerId };

    public static MetaOp CreateCollection(string name, string config, List<List<ulong>> placement) =>
        new() { Id = Guid.NewGuid(), Kind = MetaOpKind.CreateCollection, Collection = name, Config = config, Placement = placement };

    public static MetaOp DeleteCollection(string name) => new() { Id = Guid.NewGuid(), Kind = MetaOpKind.DeleteCollection, Collection = name };

    public static MetaOp ChangeAliases(List<AliasChange> changes) => new() { Id = Guid.NewGuid(), Kind = MetaOpKind.ChangeAliases, Aliases = changes };

    public static MetaOp SetReplicaState(string collection, uint shardId, ulong peerId, ReplicaState state, ReplicaState? from) =>
        new() { Id = Guid.NewGuid(), Kind = MetaOpKind.SetReplicaState, Collection = collection, ShardId = shardId, PeerId = peerId, State = state, FromState = from };

    public static MetaOp UpdateCollection(string name, string config, string fromConfig) =>
        new() { Id = Guid.NewGuid(), Kind = MetaOpKind.UpdateCollection, Collection = name, Config = config, FromConfig = fromConfig };

    public static MetaOp CreatePayloadIndex(string collection, string field, byte[] index) =>
        new() { Id = Guid.NewGuid(), Kind = MetaOpKind.CreatePayloadIndex, Collection = collection, FieldName = field, FieldIndex = index };

    public static MetaOp DropPayloadIndex(string collection, string field) =>
        new() { Id = Guid.NewGuid(), Kind = MetaOpKind.DropPayloadIndex, Collection = collection, FieldName = field };
}
