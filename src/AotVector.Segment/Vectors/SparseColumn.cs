using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Segment.Index.Sparse;
using AotVector.Storage.Checksums;
using AotVector.Storage.Files;
using static AotVector.Storage.Files.LittleEndianWriter;

namespace AotVector.Segment.Vectors;

/// <summary>
/// One named sparse vector of a segment: the vectors by offset (indices ascending) with their inverted index, and
/// the file that keeps them, <c>sparse-{hex}.bin</c> (<c>{hex}</c> = lower-case hex of the name's UTF-8 bytes).
/// </summary>
/// <remarks>
/// <para>The file is a log, little-endian: magic <c>"AVSPARS\0"</c>, u32 format (1), u32 zero; then records, one per
/// flush that changed something: u32 body length, u32 CRC-32C of the body, body = entries, each u32 offset, u32
/// non-zero count N (<c>0xFFFFFFFF</c> = the offset has no vector), N u32 indices, N f32 values. A later entry for an
/// offset replaces an earlier one. A torn last record (a crash during the append) is ignored and overwritten by the
/// next append: its flush never finished, so the WAL still holds what it said.</para>
/// <para>The segment flushes this file before its state file, so the log is never behind the state; where it is
/// ahead, the WAL replay re-applies the same writes. Entries past the state's offsets are ignored at open. When the
/// log has grown to twice what its live vectors need, a flush rewrites it whole (atomically).</para>
/// <para>Search goes through up to two inverted indexes: the built one (<see cref="MappedSparseIndex"/>, in
/// <c>postings-{hex}.bin</c>, made by the optimizer and reopened as it is at the next open) over the offsets it
/// covers, and an in-memory one (<see cref="Overlay"/>) over everything else: offsets past the built index and those
/// rewritten since it was built ("stale": their built postings are skipped and their document frequencies
/// subtracted). A segment without a built index, such as the appendable one, has only the in-memory index. At open,
/// the built index's per-offset checksums find the stale offsets; a missing or damaged file leaves the in-memory
/// index over all vectors, until the optimizer builds a new file.</para>
/// </remarks>
internal sealed class SparseColumn : IDisposable
{
    private const uint FormatVersion = 1;
    private const int HeaderSize = 16;
    private const int RecordHeaderSize = 8;
    private const uint Absent = uint.MaxValue;

    private readonly List<SparseVector?> _vectors = [];
    private readonly HashSet<uint> _dirty = [];
    private long _end;
    private long _liveBytes;

    private MappedSparseIndex? _built;
    private bool[]? _stale;
    private int _staleCount;
    private readonly Dictionary<uint, int> _removed = [];
    private long _removedPostings;

    // Offsets written while a build runs: the build saw their old vectors, so they are stale once it is installed.
    private HashSet<uint>? _writtenDuringBuild;

    private SparseColumn(string name, string path)
    {
        Name = name;
        Path = path;
        IndexPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, IndexFileNameFor(name));
    }

    public string Name { get; }

    public string Path { get; }

    /// <summary>The built index's file, <c>postings-{hex}.bin</c>.</summary>
    public string IndexPath { get; }

    /// <summary>The in-memory index: every vector the built index does not hold as it is now.</summary>
    public SparseInvertedIndex Overlay { get; private set; } = new();

    /// <summary>The built index in use, if any.</summary>
    public MappedSparseIndex? Built => _built;

    /// <summary>Offsets of the built index rewritten (or deleted) since it was built.</summary>
    public int StaleCount => _staleCount;

    /// <summary>Offsets that have this vector (live or not: the segment removes a deleted point's vectors).</summary>
    public ulong PresentCount { get; private set; }

    /// <summary>Offsets whose vector has at least one non-zero: the documents idf counts, as the reference does (it
    /// leaves empty vectors out of its index).</summary>
    public ulong NonEmptyCount { get; private set; }

    /// <summary>Bytes of the stored vectors' indices and values (the optimizer's size measure).</summary>
    public ulong DataBytes { get; private set; }

    /// <summary>Why the built index was not reopened at open (null when it was, or there was none).</summary>
    public string? OpenProblem { get; private set; }

    /// <summary>Live postings over both indexes (one per stored non-zero).</summary>
    public long PostingCount => (_built is { } built ? built.PostingCount - _removedPostings : 0) + Overlay.PostingCount;

    /// <summary>Number of stored vectors with a weight at <paramref name="dimension"/>.</summary>
    public int DocumentFrequency(uint dimension) =>
        (_built is { } built ? built.Frequency(dimension) - _removed.GetValueOrDefault(dimension) : 0) + Overlay.DocumentFrequency(dimension);

    public static string FileNameFor(string name) => "sparse-" + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(name)) + ".bin";

    public static string IndexFileNameFor(string name) => "postings-" + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(name)) + ".bin";

    /// <summary>A new, empty column whose file is created at its first flush.</summary>
    public static SparseColumn Create(string directory, string name) => new(name, System.IO.Path.Combine(directory, FileNameFor(name)));

    /// <summary>Reads the column's file; entries for offsets at or past <paramref name="offsetCount"/> or for which
    /// <paramref name="isLive"/> is false are dropped. Then reopens the built index, if there is a sound one.</summary>
    public static SparseColumn Open(string path, string name, uint offsetCount, Func<uint, bool> isLive)
    {
        var column = new SparseColumn(name, path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderSize || !bytes.AsSpan(0, 8).SequenceEqual("AVSPARS\0"u8)
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)) != FormatVersion)
        {
            throw new InvalidDataException($"'{path}' is not a sparse vector file of format {FormatVersion}.");
        }

        long position = HeaderSize;
        while (bytes.Length - position >= RecordHeaderSize)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)position));
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)position + 4));
            if (length > bytes.Length - position - RecordHeaderSize)
            {
                break;
            }

            var body = bytes.AsSpan((int)position + RecordHeaderSize, (int)length);
            if (Crc32C.Compute(body) != crc || !column.TryApply(body, offsetCount, isLive))
            {
                break;
            }

            position += RecordHeaderSize + length;
        }

        column._end = position;
        column.AttachAtOpen();
        return column;
    }

    /// <summary>
    /// Adds <c>weight · stored weight</c> to the scores of every offset that shares a dimension with the query, over
    /// both indexes (see <see cref="SparseInvertedIndex.Accumulate"/>).
    /// </summary>
    public void Accumulate(ReadOnlySpan<uint> indices, ReadOnlySpan<float> values, float[] scores, bool[] touched, List<uint> order)
    {
        if (_built is { } built)
        {
            var stale = _staleCount > 0 ? _stale : null;
            for (var i = 0; i < indices.Length; i++)
            {
                built.Accumulate(indices[i], values[i], stale, scores, touched, order);
            }
        }

        Overlay.Accumulate(indices, values, scores, touched, order);
    }

    /// <summary>The vectors by offset as they are now, for a build; writes from now on are noted until it is installed.</summary>
    public SparseVector?[] BeginBuild()
    {
        _writtenDuringBuild = [];
        return [.. _vectors];
    }

    /// <summary>Forgets a build that will not be installed.</summary>
    public void AbandonBuild() => _writtenDuringBuild = null;

    /// <summary>
    /// Puts a built index in service in place of the current one (caller holds the segment's write lock): built from
    /// <paramref name="snapshot"/>, so the offsets written since are stale, and the in-memory index keeps only them
    /// and the offsets past the build.
    /// </summary>
    public void InstallBuilt(MappedSparseIndex built, SparseVector?[] snapshot)
    {
        var written = _writtenDuringBuild ?? [];
        _writtenDuringBuild = null;
        var stale = new bool[built.CoveredCount];
        foreach (var offset in written)
        {
            if (offset < stale.Length)
            {
                stale[offset] = true;
            }
        }

        _built?.Dispose();
        _built = built;
        _stale = stale;
        _staleCount = 0;
        _removed.Clear();
        _removedPostings = 0;
        for (uint offset = 0; offset < stale.Length; offset++)
        {
            if (stale[offset])
            {
                _staleCount++;
                if (snapshot[offset] is { } old)
                {
                    CountRemoved(old.Indices);
                }
            }
        }

        RebuildOverlay();
        if (!built.OnDisk)
        {
            built.Prefault();
        }
    }

    public void Dispose()
    {
        _built?.Dispose();
        _built = null;
    }

    // At open: the built index if its file is sound, with the offsets whose vectors no longer match it marked stale.
    private void AttachAtOpen()
    {
        var built = MappedSparseIndex.TryOpen(IndexPath, out var problem);
        if (built is null)
        {
            OpenProblem = File.Exists(IndexPath) ? problem : null;
            RebuildOverlay();
            return;
        }

        var stale = new bool[built.CoveredCount];
        var staleCount = 0;
        for (uint offset = 0; offset < stale.Length; offset++)
        {
            if (MappedSparseIndex.ChecksumOf(Get(offset)) != built.RecordedChecksum(offset))
            {
                stale[offset] = true;
                staleCount++;
            }
        }

        _built = built;
        _stale = stale;
        _staleCount = staleCount;
        if (staleCount > 0)
        {
            // What the file holds for them is unknown here, so their postings are counted from the file itself.
            built.ForEachMarkedPosting(stale, dimension =>
            {
                _removed[dimension] = _removed.GetValueOrDefault(dimension) + 1;
                _removedPostings++;
            });
        }

        RebuildOverlay();
        if (!built.OnDisk)
        {
            built.Prefault();
        }
    }

    // The in-memory index over every vector the built index does not hold as it is.
    private void RebuildOverlay()
    {
        var overlay = new SparseInvertedIndex();
        var covered = _built?.CoveredCount ?? 0;
        for (var offset = 0u; offset < _vectors.Count; offset++)
        {
            if (_vectors[(int)offset] is { } vector && (offset >= covered || _stale![offset]))
            {
                overlay.Add(offset, vector.Indices, vector.Values);
            }
        }

        Overlay = overlay;
    }

    private void CountRemoved(uint[] indices)
    {
        foreach (var dimension in indices)
        {
            _removed[dimension] = _removed.GetValueOrDefault(dimension) + 1;
        }

        _removedPostings += indices.Length;
    }

    public bool Has(uint offset) => offset < _vectors.Count && _vectors[(int)offset] is not null;

    public SparseVector? Get(uint offset) => offset < _vectors.Count ? _vectors[(int)offset] : null;

    /// <summary>Stores a copy of <paramref name="vector"/> (indices sorted ascending) at <paramref name="offset"/>; null removes it.</summary>
    public void Set(uint offset, SparseVector? vector)
    {
        Store(offset, vector is null ? null : Normalized(vector));
        _dirty.Add(offset);
    }

    /// <summary>Sorts by index, as the reference stores sparse vectors; the caller has checked indices are unique.</summary>
    public static SparseVector Normalized(SparseVector vector)
    {
        var indices = (uint[])vector.Indices.Clone();
        var values = (float[])vector.Values.Clone();
        Array.Sort(indices, values);
        return new SparseVector(indices, values);
    }

    /// <summary>Appends what changed since the last flush to the file (or rewrites it when mostly dead) and syncs it.</summary>
    public void Flush()
    {
        if (_dirty.Count == 0 && File.Exists(Path))
        {
            return;
        }

        var record = new ArrayBufferWriter<byte>(1024);
        if (!File.Exists(Path) || _end > 2 * (_liveBytes + HeaderSize) + (1 << 20))
        {
            for (var offset = 0u; offset < _vectors.Count; offset++)
            {
                if (_vectors[(int)offset] is not null)
                {
                    WriteEntry(record, offset);
                }
            }

            var whole = new ArrayBufferWriter<byte>(HeaderSize + RecordHeaderSize + record.WrittenCount);
            whole.Write("AVSPARS\0"u8);
            WriteU32(whole, FormatVersion);
            WriteU32(whole, 0);
            WriteU32(whole, (uint)record.WrittenCount);
            WriteU32(whole, Crc32C.Compute(record.WrittenSpan));
            whole.Write(record.WrittenSpan);
            AtomicFile.WriteAllBytes(Path, whole.WrittenSpan);
            _end = whole.WrittenCount;
            _dirty.Clear();
            return;
        }

        var changed = _dirty.ToArray();
        Array.Sort(changed);
        foreach (var offset in changed)
        {
            WriteEntry(record, offset);
        }

        var header = new byte[RecordHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)record.WrittenCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Crc32C.Compute(record.WrittenSpan));
        using (var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, [header, record.WrittenMemory], _end);
            RandomAccess.FlushToDisk(handle);
        }

        _end += RecordHeaderSize + record.WrittenCount;
        _dirty.Clear();
    }

    private void WriteEntry(ArrayBufferWriter<byte> record, uint offset)
    {
        WriteU32(record, offset);
        if (Get(offset) is not { } vector)
        {
            WriteU32(record, Absent);
            return;
        }

        WriteU32(record, (uint)vector.Indices.Length);
        record.Write(MemoryMarshal.AsBytes(vector.Indices.AsSpan()));
        record.Write(MemoryMarshal.AsBytes(vector.Values.AsSpan()));
    }

    private bool TryApply(ReadOnlySpan<byte> body, uint offsetCount, Func<uint, bool> isLive)
    {
        while (body.Length > 0)
        {
            if (body.Length < 8)
            {
                return false;
            }

            var offset = BinaryPrimitives.ReadUInt32LittleEndian(body);
            var n = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
            body = body[8..];
            SparseVector? vector = null;
            if (n != Absent)
            {
                if ((ulong)n * 8 > (ulong)body.Length)
                {
                    return false;
                }

                var indices = MemoryMarshal.Cast<byte, uint>(body[..(int)(n * 4)]).ToArray();
                var values = MemoryMarshal.Cast<byte, float>(body.Slice((int)(n * 4), (int)(n * 4))).ToArray();
                body = body[(int)(n * 8)..];
                vector = new SparseVector(indices, values);
            }

            if (offset < offsetCount)
            {
                StoreRaw(offset, isLive(offset) ? vector : null);
            }
        }

        return true;
    }

    // A write: the old vector leaves whichever index holds it (the built one by being marked stale), the new one
    // goes to the in-memory index.
    private void Store(uint offset, SparseVector? vector)
    {
        var old = Get(offset);
        if (_built is { } built && offset < built.CoveredCount && !_stale![offset])
        {
            _stale[offset] = true;
            _staleCount++;
            if (old is not null)
            {
                CountRemoved(old.Indices);
            }
        }
        else if (old is not null)
        {
            Overlay.Remove(offset, old.Indices);
        }

        StoreRaw(offset, vector);
        if (vector is not null)
        {
            Overlay.Add(offset, vector.Indices, vector.Values);
        }

        _writtenDuringBuild?.Add(offset);
    }

    // The vector and the counts only; the indexes are the caller's.
    private void StoreRaw(uint offset, SparseVector? vector)
    {
        while (_vectors.Count <= offset)
        {
            _vectors.Add(null);
        }

        if (_vectors[(int)offset] is { } old)
        {
            PresentCount--;
            NonEmptyCount -= old.Indices.Length > 0 ? 1UL : 0UL;
            _liveBytes -= 8 + (8L * old.Indices.Length);
            DataBytes -= 8UL * (ulong)old.Indices.Length;
        }

        _vectors[(int)offset] = vector;
        if (vector is not null)
        {
            PresentCount++;
            NonEmptyCount += vector.Indices.Length > 0 ? 1UL : 0UL;
            _liveBytes += 8 + (8L * vector.Indices.Length);
            DataBytes += 8UL * (ulong)vector.Indices.Length;
        }
    }
}
