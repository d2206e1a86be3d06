using AotVector.Engine;
using AotVector.Engine.Ports;

namespace AotVector.Server.Cluster;

/// <summary>What shard transfers use of the peer: the engine, the other peers' shards, and the driver.</summary>
internal sealed partial class ConsensusNode
{
    /// <summary>The engine this peer serves (its local replicas).</summary>
    public VectorEngine Engine { get; private init; } = null!;

    /// <summary>The other peers' shards over p2p gRPC.</summary>
    public IRemoteShards Remotes => _remotes!;

    /// <summary>Streams this peer's outgoing transfers and recovers its dead replicas.</summary>
    public ShardTransferDriver Transfers { get; private set; } = null!;
}
