namespace AotVector.Server.Config;

/// <summary>The <c>cluster</c> section: distributed mode, peers agreeing on metadata through consensus.</summary>
internal sealed record ClusterSettings
{
    /// <summary><c>cluster.enabled</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>cluster.peer_id</c>: this peer's id on its first start (1..2^53-1); random when unset.</summary>
    public ulong? PeerId { get; init; }

    /// <summary><c>cluster.grpc_timeout_ms</c>: how long a request to another peer may take.</summary>
    public int GrpcTimeoutMs { get; init; } = 60_000;

    /// <summary><c>cluster.connection_timeout_ms</c>: how long connecting to another peer may take.</summary>
    public int ConnectionTimeoutMs { get; init; } = 2_000;

    public P2pSettings P2p { get; init; } = new();

    public ConsensusSettings Consensus { get; init; } = new();
}
