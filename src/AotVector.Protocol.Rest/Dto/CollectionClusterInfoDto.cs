using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>
/// GET /collections/{name}/cluster in the reference's shape, with the running shard transfers;
/// <c>resharding_operations</c> is left out, as the reference leaves it out when no resharding runs.
/// </summary>
internal sealed record CollectionClusterInfoDto(
    ulong PeerId,
    ulong ShardCount,
    LocalShardInfoDto[] LocalShards,
    RemoteShardInfoDto[] RemoteShards,
    ShardTransferInfoDto[] ShardTransfers)
{
    public static CollectionClusterInfoDto From(CollectionClusterInfo info) => new(
        info.PeerId,
        info.ShardCount,
        [.. info.LocalShards.Select(s => new LocalShardInfoDto(s.ShardId, s.PointsCount, WireNames.Of(s.State)))],
        [.. info.RemoteShards.Select(s => new RemoteShardInfoDto(s.ShardId, s.PeerId, WireNames.Of(s.State)))],
        [.. info.ShardTransfers.Select(t => new ShardTransferInfoDto(t.ShardId, t.From, t.To, t.Sync, ClusterOperationRules.MethodName(t.Method)) { Comment = t.Comment })]);
}

internal sealed record LocalShardInfoDto(uint ShardId, ulong PointsCount, string State);

internal sealed record RemoteShardInfoDto(uint ShardId, ulong PeerId, string State);

internal sealed record ShardTransferInfoDto(uint ShardId, ulong From, ulong To, bool Sync, string Method)
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Comment { get; init; }
}
