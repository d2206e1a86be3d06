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
/// log has grown to twice what its live vectors need, a flush rewrites it whole (atomically). The inverted index is
/// rebuilt in memory from the vectors at open.</para>
/// </remarks>
internal sealed class SparseColumn
{
    private const uint FormatVersion = 1;
    private const int HeaderSize = 16;
    private const int RecordHeaderSize = 8;
    private const uint Absent = uint.MaxValue;

    private readonly List<SparseVector?> _vectors = [];
    private readonly HashSet<uint> _dirty = [];
    private long _end;
    private long _liveBytes;

    private SparseColumn(string name, string path)
    {
        Name = name;
        Path = path;
    }

    public string Name { get; }

    public string Path { get; }

    public SparseInvertedIndex Index { get; } = new();

    /// <summary>Offsets that have this vector (live or not: the segment removes a deleted point's vectors).</summary>
    public ulong PresentCount { get; private set; }

    public static string FileNameFor(string name) => "sparse-" + Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(name)) + ".bin";

    /// <summary>A new, empty column whose file is created at its first flush.</summary>
    public static SparseColumn Create(string directory, string name) => new(name, System.IO.Path.Combine(directory, FileNameFor(name)));

    /// <summary>Reads the column's file; entries for offsets at or past <paramref name="offsetCount"/> or for which
    /// <paramref name="isLive"/> is false are dropped.</summary>
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
        return column;
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
                Store(offset, isLive(offset) ? vector : null);
            }
        }

        return true;
    }

    private void Store(uint offset, SparseVector? vector)
    {
        while (_vectors.Count <= offset)
        {
            _vectors.Add(null);
        }

        if (_vectors[(int)offset] is { } old)
        {
            Index.Remove(offset, old.Indices);
            PresentCount--;
            _liveBytes -= 8 + (8L * old.Indices.Length);
        }

        _vectors[(int)offset] = vector;
        if (vector is not null)
        {
            Index.Add(offset, vector.Indices, vector.Values);
            PresentCount++;
            _liveBytes += 8 + (8L * vector.Indices.Length);
        }
    }
}
