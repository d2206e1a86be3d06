using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>
/// GET /collections/{name}/cluster in the reference's shape. Transfers are always empty (none are built yet) and
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
        []);
}

internal sealed record LocalShardInfoDto(uint ShardId, ulong PointsCount, string State);

internal sealed record RemoteShardInfoDto(uint ShardId, ulong PeerId, string State);

internal sealed record ShardTransferInfoDto(uint ShardId, ulong From, ulong To, bool Sync);
