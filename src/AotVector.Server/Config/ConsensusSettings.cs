namespace AotVector.Server.Config;

/// <summary>The <c>cluster.consensus</c> section.</summary>
internal sealed record ConsensusSettings
{
    /// <summary><c>tick_period_ms</c>, at least 1.</summary>
    public int TickPeriodMs { get; init; } = 100;

    /// <summary><c>compact_wal_entries</c>; 0 never compacts.</summary>
    public int CompactWalEntries { get; init; } = 128;
}
