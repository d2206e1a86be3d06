namespace AotVector.Server.Config;

/// <summary>The <c>cluster.consensus</c> section.</summary>
internal sealed record ConsensusSettings
{
    /// <summary><c>tick_period_ms</c>, at least 1: elections time out after 20 to 40 ticks, heartbeats every 2.</summary>
    public int TickPeriodMs { get; init; } = 100;

    /// <summary><c>compact_wal_entries</c>; 0 never compacts.</summary>
    public int CompactWalEntries { get; init; } = 128;

    /// <summary><c>bootstrap_timeout_sec</c>: how long joining through <c>--bootstrap</c> may take.</summary>
    public int BootstrapTimeoutSec { get; init; } = 15;
}
