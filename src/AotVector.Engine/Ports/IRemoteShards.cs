namespace AotVector.Engine.Ports;

/// <summary>
/// Shards held by other peers of the cluster, reached over the peer-to-peer API. <see cref="Connect"/> makes no
/// call: it returns a handle whose methods call the peer. A write that cannot reach it answers an
/// <see cref="Common.Errors.ErrorKind.Unavailable"/> error; a read throws <see cref="ShardUnavailableException"/>.
/// </summary>
public interface IRemoteShards
{
    IShard Connect(ulong peerId, string collection, uint shardId);
}
