using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;

namespace AotVector.Engine;

/// <summary>
/// What other peers of a cluster reach on this one: the shards it holds, by collection and shard id. Peers are
/// authenticated by the p2p listener (mutual TLS), not by a client's access context, so nothing here checks one.
/// </summary>
public sealed partial class VectorEngine
{
    /// <summary>This peer's replica of shard <paramref name="shardId"/> of <paramref name="collection"/> (by name, not alias).</summary>
    public Result<IShard> LocalShard(string collection, uint shardId)
    {
        var found = _toc.Resolve(collection);
        if (!found.TryGet(out var c, out var error))
        {
            return error;
        }

        if (c.Name != collection)
        {
            return AvError.CollectionNotFound(collection);
        }

        foreach (var shard in c.LocalShards)
        {
            if (shard.ShardId == shardId)
            {
                return shard;
            }
        }

        return AvError.NotFound($"Shard {shardId} of collection `{collection}` is not on this peer");
    }

    /// <summary>
    /// Applies a write another peer coordinates to this peer's replica, on the update workers and behind the free
    /// space check, as a client's write is.
    /// </summary>
    public ValueTask<Result<UpdateResult>> UpdateLocalShardAsync(string collection, uint shardId, UpdateOperation operation, bool wait) =>
        new(_peerUpdates.Value.Run(() => Guard(() =>
        {
            var found = _toc.Resolve(collection);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            if (_space.Refusal(c.Config.WalConfig.WalCapacityMb) is { } full)
            {
                return full;
            }

            return LocalShard(collection, shardId).TryGet(out var shard, out error) ? shard.Update(operation, wait) : error;
        })));

    /// <summary>
    /// Coordinates a write another peer forwarded to this one as its shard's leader replica (write ordering medium or
    /// strong): over every replica, as a client's write here, on workers of its own (never behind client writes).
    /// </summary>
    public ValueTask<Result<UpdateResult>> CoordinateShardUpdateAsync(string collection, uint shardId, UpdateOperation operation, bool wait) =>
        new(_coordinations.Value.Run(() => Guard(() =>
        {
            var found = _toc.Resolve(collection);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            if (c.Name != collection || c.Replicas is not { } replicated || shardId >= replicated.ReplicaSets.Count)
            {
                return AvError.NotFound($"Shard {shardId} of collection `{collection}` is not placed on this peer");
            }

            return _space.Refusal(c.Config.WalConfig.WalCapacityMb) is { } full ? full : replicated.ReplicaSets[(int)shardId].Update(operation, wait);
        })));

    /// <summary>Runs a read of a local shard behind the engine's boundary: a failure becomes an error, not an exception.</summary>
    public Result<T> ReadLocalShard<T>(string collection, uint shardId, Func<IShard, T> read) =>
        Guard(() => LocalShard(collection, shardId).TryGet(out var shard, out var error) ? Result<T>.Ok(read(shard)) : error);
}
