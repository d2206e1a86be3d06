namespace AotVector.Storage.WriteAheadLog;

/// <summary>What <see cref="Wal.Open"/> had to cut away to get a consistent log.</summary>
/// <param name="TruncatedBytes">Bytes removed: the torn or corrupt tail of one segment plus every later segment file.</param>
/// <param name="DroppedSegments">Whole segment files deleted because they followed the damage (or had a bad header).</param>
/// <param name="Detail">Where and why the log was cut, for the startup log; null when the log was clean.</param>
public readonly record struct WalRecovery(long TruncatedBytes, int DroppedSegments, string? Detail)
{
    /// <summary>True when nothing had to be removed.</summary>
    public bool IsClean => TruncatedBytes == 0 && DroppedSegments == 0;
}
