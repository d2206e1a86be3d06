using System.Buffers;

namespace AotVector.Storage.WriteAheadLog;

/// <summary>
/// Write-ahead log: a directory of segment files holding numbered, checksummed entries. Opening it
/// validates every entry and cuts off a torn or corrupt tail instead of failing (see <see cref="Recovery"/>).
/// </summary>
/// <remarks>
/// <para>Segment file <c>{first sequence, 20 digits}.wal</c>, little-endian, every entry 8-byte aligned:</para>
/// <list type="table">
///   <listheader><term>Bytes</term><description>Field</description></listheader>
///   <item><term>0..8</term><description>magic <c>41 56 57 41 4C 0D 0A 1A</c> ("AVWAL\r\n\x1A")</description></item>
///   <item><term>8..12</term><description>u32 format version (1)</description></item>
///   <item><term>12..16</term><description>u32 header size (32)</description></item>
///   <item><term>16..24</term><description>u64 sequence number of the segment's first entry (equals the file name)</description></item>
///   <item><term>24..28</term><description>u32 CRC-32C of bytes 0..24</description></item>
///   <item><term>28..32</term><description>reserved, zero</description></item>
///   <item><term>32..</term><description>entries, back to back</description></item>
/// </list>
/// <para>Entry:</para>
/// <list type="table">
///   <listheader><term>Bytes</term><description>Field</description></listheader>
///   <item><term>0..4</term><description>u32 payload length <c>n</c></description></item>
///   <item><term>4..8</term><description>u32 CRC-32C of bytes 8..16+n (sequence number and payload)</description></item>
///   <item><term>8..16</term><description>u64 sequence number: the previous entry's plus one</description></item>
///   <item><term>16..16+n</term><description>payload</description></item>
///   <item><term>16+n..</term><description>zero padding to the next multiple of 8 (not checksummed)</description></item>
/// </list>
/// <para>
/// Recovery: the log is the longest valid prefix. Scanning stops at the first entry that is cut short,
/// has a wrong sequence number or a checksum mismatch (or at a segment whose header is bad or that does
/// not continue the numbering); that segment is truncated there and every later segment file is deleted.
/// A segment with a newer format version fails <see cref="Open"/> instead, untouched.
/// </para>
/// <para>
/// Threading: <see cref="Append"/>, <see cref="Flush"/>, <see cref="FlushUpTo"/>, <see cref="ReadFrom"/> and
/// <see cref="TruncateBefore"/> may be called from any thread. Concurrent <see cref="FlushUpTo"/> callers share
/// one fsync (group commit). <see cref="ReadFrom"/> replays the entries that existed when it was called; the
/// caller must not <see cref="TruncateBefore"/> past a replay still in progress.
/// </para>
/// <para>Crash safety: entries are written straight to the OS with one positioned write each; only
/// <see cref="FlushUpTo"/> / <see cref="Flush"/>(true) make them durable. Closing a segment fsyncs it.</para>
/// </remarks>
public sealed partial class Wal : IDisposable
{
    private readonly WalOptions _options;
    private readonly Lock _appendLock = new();
    private readonly Lock _syncLock = new();

    // Guarded by _appendLock. Oldest first; none of them has an open handle.
    private readonly List<WalSegment> _closed;

    // Replaced under both locks, so holding either one keeps it stable.
    private WalSegment _current;

    private ulong _nextSequence;
    private ulong _firstSequence;
    private ulong _lastSequence;
    private ulong _durableSequence;
    private bool _disposed;

    private Wal(string directory, WalOptions options, List<WalSegment> closed, WalSegment current, WalRecovery recovery)
    {
        DirectoryPath = directory;
        _options = options;
        _closed = closed;
        _current = current;
        Recovery = recovery;
        _firstSequence = closed.Count > 0 ? closed[0].FirstSequence : current.FirstSequence;
        _lastSequence = current.LastSequence;
        _nextSequence = current.LastSequence + 1;
        _durableSequence = current.LastSequence;
    }

    /// <summary>The log's directory.</summary>
    public string DirectoryPath { get; }

    /// <summary>What opening had to cut away; <see cref="WalRecovery.IsClean"/> when nothing.</summary>
    public WalRecovery Recovery { get; }

    /// <summary>Sequence number of the oldest entry still stored (after <see cref="TruncateBefore"/>). Greater than <see cref="LastSequence"/> when the log is empty.</summary>
    public ulong FirstSequence => Volatile.Read(ref _firstSequence);

    /// <summary>Sequence number of the newest entry; the next <see cref="Append"/> gets this plus one.</summary>
    public ulong LastSequence => Volatile.Read(ref _lastSequence);

    /// <summary>Every entry up to this sequence number has been fsynced.</summary>
    public ulong DurableSequence => Volatile.Read(ref _durableSequence);

    /// <summary>Segment files currently in the directory (closed ones plus the open one).</summary>
    public int SegmentCount
    {
        get
        {
            lock (_appendLock)
            {
                return _closed.Count + 1;
            }
        }
    }

    /// <summary>
    /// Appends one entry and returns its sequence number (the previous one plus one). The entry is handed
    /// to the OS but not durable until <see cref="FlushUpTo"/> covers it. Throws <see cref="IOException"/> on I/O failure.
    /// </summary>
    public ulong Append(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > WalFormat.MaxPayloadLength)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(payload), "WAL entry payload too large.");
        }

        var size = (int)WalFormat.EntrySize(payload.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var entry = buffer.AsSpan(0, size);
            payload.CopyTo(entry[WalFormat.EntryHeaderSize..]);
            entry[(WalFormat.EntryHeaderSize + payload.Length)..].Clear();

            lock (_appendLock)
            {
                ThrowIfDisposed();
                var sequence = _nextSequence;
                WalFormat.WriteEntryHeader(entry, payload.Length, sequence);

                if (!_current.IsEmpty && _current.Length + size > _options.SegmentCapacityBytes)
                {
                    Roll(sequence);
                }

                var segment = _current;
                WriteEntry(segment, entry);
                segment.Length += size;
                segment.LastSequence = sequence;
                _nextSequence = sequence + 1;
                Volatile.Write(ref _lastSequence, sequence);
                return sequence;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// <paramref name="durable"/> = true: fsync everything appended so far (<see cref="FlushUpTo"/> of <see cref="LastSequence"/>).
    /// false: nothing to do, since every append is already handed to the OS (survives a process crash, not a power loss).
    /// </summary>
    public void Flush(bool durable)
    {
        if (durable)
        {
            FlushUpTo(LastSequence);
        }
    }

    /// <summary>
    /// Returns once every entry up to <paramref name="sequence"/> is durable. Returns at once when an earlier
    /// fsync already covered it; concurrent callers queue behind one fsync that covers all of them.
    /// </summary>
    public void FlushUpTo(ulong sequence)
    {
        if (Volatile.Read(ref _durableSequence) >= sequence)
        {
            return;
        }

        lock (_syncLock)
        {
            if (Volatile.Read(ref _durableSequence) >= sequence)
            {
                return;
            }

            ThrowIfDisposed();

            // Every entry up to `target` is in _current (stable while we hold _syncLock) or in a closed
            // segment, and closed segments were fsynced when they were closed.
            var target = Volatile.Read(ref _lastSequence);
            RandomAccess.FlushToDisk(_current.Handle!);
            if (target > Volatile.Read(ref _durableSequence))
            {
                Volatile.Write(ref _durableSequence, target);
            }
        }
    }

    /// <summary>
    /// Entries with sequence number ≥ <paramref name="sequence"/> (or from <see cref="FirstSequence"/> if that is
    /// larger), in order, as they stood when this was called. Each payload is a fresh array the caller may keep.
    /// Throws <see cref="InvalidDataException"/> if a file changed underneath since it was validated.
    /// </summary>
    public IEnumerable<(ulong Seq, ReadOnlyMemory<byte> Payload)> ReadFrom(ulong sequence)
    {
        var snapshot = new List<(string Path, ulong First, ulong Last, long Length)>();
        lock (_appendLock)
        {
            ThrowIfDisposed();
            foreach (var segment in _closed)
            {
                AddIfNeeded(segment);
            }

            AddIfNeeded(_current);
        }

        return Replay(snapshot, sequence);

        void AddIfNeeded(WalSegment segment)
        {
            if (!segment.IsEmpty && segment.LastSequence >= sequence)
            {
                snapshot.Add((segment.Path, segment.FirstSequence, segment.LastSequence, segment.Length));
            }
        }
    }

    /// <summary>
    /// Deletes closed segments whose entries are all below <paramref name="sequence"/> (already persisted
    /// elsewhere), oldest first, but keeps the newest <see cref="WalOptions.RetainClosedSegments"/> closed
    /// segments. The open segment is never deleted. Returns the number of segment files deleted.
    /// </summary>
    public int TruncateBefore(ulong sequence)
    {
        lock (_appendLock)
        {
            ThrowIfDisposed();
            var removable = 0;
            while (removable < _closed.Count && _closed[removable].LastSequence < sequence)
            {
                removable++;
            }

            removable = Math.Min(removable, Math.Max(0, _closed.Count - _options.RetainClosedSegments));
            if (removable == 0)
            {
                return 0;
            }

            for (var i = 0; i < removable; i++)
            {
                File.Delete(_closed[i].Path);
            }

            _closed.RemoveRange(0, removable);
            Volatile.Write(ref _firstSequence, _closed.Count > 0 ? _closed[0].FirstSequence : _current.FirstSequence);
            Files.AtomicFile.FlushDirectory(DirectoryPath);
            return removable;
        }
    }

    /// <summary>Closes the files without fsyncing; call <see cref="Flush"/>(true) first if the tail must be durable.</summary>
    public void Dispose()
    {
        lock (_appendLock)
        {
            lock (_syncLock)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _current.CloseHandle();
            }
        }
    }

    /// <summary>Closes the full open segment (fsynced) and starts a new one whose first entry is <paramref name="firstSequence"/>. Caller holds _appendLock.</summary>
    private void Roll(ulong firstSequence)
    {
        var next = WalSegment.Create(DirectoryPath, firstSequence);
        WalSegment previous;
        lock (_syncLock)
        {
            previous = _current;
            RandomAccess.FlushToDisk(previous.Handle!);
            if (previous.LastSequence > Volatile.Read(ref _durableSequence))
            {
                Volatile.Write(ref _durableSequence, previous.LastSequence);
            }

            _current = next;
        }

        previous.CloseHandle();
        _closed.Add(previous);
    }

    private static void WriteEntry(WalSegment segment, ReadOnlySpan<byte> entry)
    {
        var handle = segment.Handle!;
        try
        {
            RandomAccess.Write(handle, entry, segment.Length);
        }
        catch (IOException)
        {
            // Drop whatever part of the entry reached the file, so its bytes can never be mistaken for a
            // later entry; the next append rewrites this position anyway.
            try
            {
                RandomAccess.SetLength(handle, segment.Length);
            }
            catch (IOException)
            {
            }

            throw;
        }
    }

    private static IEnumerable<(ulong Seq, ReadOnlyMemory<byte> Payload)> Replay(List<(string Path, ulong First, ulong Last, long Length)> segments, ulong from)
    {
        foreach (var segment in segments)
        {
            using var reader = new WalSegmentReader(segment.Path);
            if (reader.ReadHeader(segment.First, out _) != WalHeaderStatus.Ok)
            {
                ThrowHelper.ThrowInvalidData($"WAL segment '{segment.Path}' header changed after it was validated.");
            }

            for (var expected = segment.First; expected <= segment.Last; expected++)
            {
                var skip = expected < from;
                if (reader.ReadNext(expected, segment.Length, skip) != WalEntryStatus.Ok)
                {
                    ThrowHelper.ThrowInvalidData($"WAL entry {expected} in '{segment.Path}' changed after it was validated.");
                }

                if (!skip)
                {
                    yield return (expected, reader.Payload.ToArray());
                }
            }
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(Wal));
        }
    }
}
