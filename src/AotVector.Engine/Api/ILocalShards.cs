using AotVector.Common.Errors;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Api;

/// <summary>
/// The shards this peer holds, as other peers of a cluster reach them (the p2p API serves this). A shard is named
/// by its collection (not an alias) and its id. Peers are authenticated by the p2p listener, so there is no access
/// context here.
/// </summary>
public interface ILocalShards
{
    /// <summary>Applies a write another peer coordinates, as a client's write is applied (update workers, disk space check).</summary>
    ValueTask<Result<UpdateResult>> UpdateLocalShardAsync(string collection, uint shardId, UpdateOperation operation, bool wait);

    /// <summary>
    /// Coordinates a write another peer forwarded (write ordering medium/strong): applied to every replica of the
    /// shard as a client's write to this peer is.
    /// </summary>
    ValueTask<Result<UpdateResult>> CoordinateShardUpdateAsync(string collection, uint shardId, UpdateOperation operation, bool wait);

    /// <summary>Runs <paramref name="read"/> on the shard; a missing shard or a failure is an error, not an exception.</summary>
    Result<T> ReadLocalShard<T>(string collection, uint shardId, Func<IShard, T> read);
}
