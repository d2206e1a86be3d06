namespace AotVector.Storage.WriteAheadLog;

/// <summary>Settings of a <see cref="Wal"/>; defaults follow Qdrant's collection <c>wal_config</c>.</summary>
public sealed record WalOptions
{
    /// <summary>Default segment size, Qdrant's <c>wal_capacity_mb: 32</c>.</summary>
    public const long DefaultSegmentCapacityBytes = 32L * 1024 * 1024;

    public static WalOptions Default { get; } = new();

    /// <summary>
    /// Size at which the open segment is closed and a new one started (header included). An entry that
    /// does not fit in an empty segment still gets a segment of its own.
    /// </summary>
    public long SegmentCapacityBytes { get; init; } = DefaultSegmentCapacityBytes;

    /// <summary>Closed segments <see cref="Wal.TruncateBefore"/> keeps even when they are fully applied (so peers can still catch up from them).</summary>
    public int RetainClosedSegments { get; init; } = 1;

    /// <summary>Sequence number of the first entry of a WAL created from scratch; ignored when segments already exist.</summary>
    public ulong InitialSequence { get; init; } = 1;
}
