namespace AotVector.Server.Config;

/// <summary>The <c>storage.wal</c> section: defaults for each collection's write-ahead log.</summary>
internal sealed record WalSettings
{
    /// <summary><c>wal_capacity_mb</c>, at least 1.</summary>
    public int WalCapacityMb { get; init; } = 32;

    /// <summary><c>wal_segments_ahead</c>.</summary>
    public int WalSegmentsAhead { get; init; }
}
