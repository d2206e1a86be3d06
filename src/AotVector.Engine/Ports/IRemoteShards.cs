namespace AotVector.Engine.Ports;

/// <summary>
/// Shards held by other peers of the cluster, reached over the peer-to-peer API. <see cref="Connect"/> makes no
/// call: it returns a handle whose methods call the peer. A write that cannot reach it answers an
/// <see cref="Common.Errors.ErrorKind.Unavailable"/> error; a read throws <see cref="ShardUnavailableException"/>.
/// </summary>
public interface IRemoteShards
{
    IShard Connect(ulong peerId, string collection, uint shardId);

    /// <summary>
    /// Has <paramref name="peerId"/> coordinate a write of its shard over every replica (write ordering medium and
    /// strong); a peer that cannot be reached answers an <see cref="Common.Errors.ErrorKind.Unavailable"/> error.
    /// </summary>
    Common.Errors.Result<Api.UpdateResult> Coordinate(ulong peerId, string collection, uint shardId, Operations.UpdateOperation operation, bool wait);
}
