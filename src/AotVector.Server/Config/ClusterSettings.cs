namespace AotVector.Server.Config;

/// <summary>The <c>cluster</c> section. Parsed and validated now; distributed mode comes later.</summary>
internal sealed record ClusterSettings
{
    /// <summary><c>cluster.enabled</c>.</summary>
    public bool Enabled { get; init; }

    public P2pSettings P2p { get; init; } = new();

    public ConsensusSettings Consensus { get; init; } = new();
}
