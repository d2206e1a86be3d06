using System.Diagnostics;
using AotVector.Common.Errors;

namespace AotVector.Engine;

/// <summary>
/// The free space kept on the storage's file system: writes are refused (507) below it, before the disk is really
/// full, so the flushes, merges and graph saves that make written data durable keep room to finish. The floor is
/// <c>storage.min_free_space_mb</c>, or by default twice the collection's WAL segment size (the reference's margin),
/// at most <see cref="DefaultCapMb"/> so that a WAL sized past any disk does not refuse every write.
/// Reading the free space is a statvfs; while there is plenty, a reading is reused for a short while.
/// </summary>
internal sealed class FreeSpaceFloor(string storagePath, ulong? floorMb)
{
    public const ulong DefaultCapMb = 1024;
    private const ulong MiB = 1024 * 1024;
    private const ulong PlentyBytes = 2048 * MiB;
    private static readonly long s_reuseTicks = Stopwatch.Frequency / 10;
    private long _readAt;
    private long _free = -1;

    /// <summary>The floor in bytes for a collection whose WAL segments are <paramref name="walCapacityMb"/> MB (0: no floor).</summary>
    public ulong FloorBytes(ulong walCapacityMb) => Math.Min(floorMb ?? Math.Min(walCapacityMb, DefaultCapMb / 2) * 2, ulong.MaxValue / MiB) * MiB;

    /// <summary>Null when a write may go ahead; otherwise the refusal, naming the free space and the floor.</summary>
    public AvError? Refusal(ulong walCapacityMb)
    {
        var floor = FloorBytes(walCapacityMb);
        if (floor == 0 || FreeBytes() is not { } free || free >= floor)
        {
            return null;
        }

        return AvError.InsufficientStorage(
            $"{free / MiB} MB free on the storage's file system, below the {floor / MiB} MB kept free for flushes and optimizations " +
            "(storage.min_free_space_mb); writes resume once space is freed");
    }

    /// <summary>Whether the free space is below the floor (the optimizer waits then: a merge needs room).</summary>
    public bool Below(ulong walCapacityMb) => Refusal(walCapacityMb) is not null;

    /// <summary>Bytes free for this process on the storage's file system; null where it cannot be read.</summary>
    public ulong? FreeBytes()
    {
        var now = Stopwatch.GetTimestamp();
        var free = Volatile.Read(ref _free);
        if (free >= 0 && now - Volatile.Read(ref _readAt) < s_reuseTicks && (ulong)free > Math.Max(PlentyBytes, 2 * FloorBytes(0)))
        {
            return (ulong)free;
        }

        try
        {
            free = new DriveInfo(storagePath).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }

        Volatile.Write(ref _free, free);
        Volatile.Write(ref _readAt, now);
        return (ulong)free;
    }
}
