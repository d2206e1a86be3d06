namespace AotVector.Engine.Api;

/// <summary>
/// A shard transfer in progress, as the cluster agrees on it and GET /collections/{name}/cluster shows it:
/// shard <paramref name="ShardId"/> from peer <paramref name="From"/> to peer <paramref name="To"/>; <paramref name="Sync"/>
/// true replicates (the source keeps its replica), false moves. <paramref name="Id"/> tells one start of a transfer
/// from a later one between the same peers (the target starts from an empty replica once per id).
/// </summary>
public sealed record ShardTransferInfo(Guid Id, uint ShardId, ulong From, ulong To, bool Sync, ShardTransferMethod Method, string? Comment = null);
