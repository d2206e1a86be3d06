using System.Buffers;
using System.Buffers.Binary;
using AotVector.Common.Model;
using AotVector.Segment.Payloads;
using AotVector.Storage.Checksums;
using AotVector.Storage.Files;
using Microsoft.Win32.SafeHandles;
using static AotVector.Storage.Files.LittleEndianWriter;

namespace AotVector.Segment;

/// <remarks>
/// <para><c>segment.delta</c> (<see cref="DeltaFileName"/>) holds what flushes changed after the state file was
/// written, so a flush costs what changed, not the whole segment: one payload edit in a million-point segment used to
/// rewrite (and build on the heap) every id, version and payload of it. Little-endian:</para>
/// <list type="table">
/// <item><term>0..8</term><description>magic <c>"AVSEGDL\0"</c></description></item>
/// <item><term>8..12</term><description>u32 format version (1)</description></item>
/// <item><term>12..24</term><description>the state file this delta applies to: u32 CRC-32C and u64 length of its
/// body. A delta of another state file (a crash between the state file's replacement and the delta's reset leaves
/// one) is ignored: the state file that replaced it holds everything.</description></item>
/// <item><term>24..</term><description>records, one per flush: u32 body length, u32 CRC-32C of the body, body:
/// u64 persisted version; u32 offset count after the flush; u32 entry count E; E entries in ascending offset order,
/// each the whole current state of one offset changed since the previous flush: u32 offset, 17-byte
/// <see cref="PointId"/>, u64 version, u8 flags (bit 0 = deleted), per vector (in the state file's order) u8 (bit 0 =
/// has the vector, bit 1 = stale in its graph), u32 payload length + 1 (0 = no payload) and the
/// <see cref="PayloadCodec"/> bytes (after a format 4 state file: the u64 position of its record in
/// <c>payloads.bin</c> instead of the bytes).</description></item>
/// </list>
/// <para>Offsets past the previous count are new (appended in order); older ones only ever change version, become
/// deleted, or change vectors and payload. A record is fsynced before the flush returns, so before the WAL is
/// trimmed; a torn last record (a crash during the append) is ignored at open, as its flush never finished and
/// the WAL still holds its entries, and the next flush rewrites the state file.</para>
/// </remarks>
public sealed partial class PointSegment
{
    /// <summary>Name of the delta file inside the segment directory.</summary>
    public const string DeltaFileName = "segment.delta";

    private const uint DeltaFormatVersion = 1;
    private const int DeltaHeaderSize = 24;
    private const int RecordHeaderSize = 8;
    private const int RecordFixedSize = 16;
    private const int EntryFixedSize = 4 + PointId.EncodedSize + 8 + 1 + 4;

    /// <summary>A delta may always grow to this size, however small the state file.</summary>
    private const long MinDeltaBytes = 64 * 1024;

    // Offsets below the count at the last flush that changed since; those at or past it are all new.
    private readonly HashSet<uint> _changed = [];
    private uint _persistedCount;

    // Set when the next flush must rewrite the state file: nothing persisted yet, no usable delta, a failed append,
    // or a change a delta cannot express (field indexes, graphs installed or dropped and so their stale offsets).
    private bool _rewriteState = true;

    // The state file's identity and the delta's valid length.
    private uint _stateCrc;
    private long _stateLength;
    private long _deltaEnd;

    private static ReadOnlySpan<byte> DeltaMagic => "AVSEGDL\0"u8;

    private string DeltaPath => Path.Combine(_directory, DeltaFileName);

    private void MarkChanged(uint offset)
    {
        if (offset < _persistedCount)
        {
            _changed.Add(offset);
        }
    }

    // Appends one record with every offset changed since the last flush; false, writing nothing, when the delta
    // would then outgrow the state file (the caller rewrites that instead).
    private bool TryAppendDelta(ulong version)
    {
        var count = _ids.Count;
        var entries = _changed.Count + (long)(count - _persistedCount);
        var limit = Math.Max(_stateLength, MinDeltaBytes);
        if (_deltaEnd + RecordHeaderSize + RecordFixedSize + (entries * (EntryFixedSize + _columns.Count)) > limit)
        {
            return false;
        }

        var record = new ArrayBufferWriter<byte>(256);
        WriteU64(record, version);
        WriteU32(record, count);
        WriteU32(record, (uint)entries);
        var changed = _changed.ToArray();
        Array.Sort(changed);
        var encoded = new ArrayBufferWriter<byte>(256);
        foreach (var offset in changed)
        {
            WriteEntry(record, encoded, offset);
        }

        for (var offset = _persistedCount; offset < count; offset++)
        {
            WriteEntry(record, encoded, offset);
        }

        var length = RecordHeaderSize + record.WrittenCount;
        if (_deltaEnd + length > limit)
        {
            return false;
        }

        var header = new byte[RecordHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)record.WrittenCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Crc32C.Compute(record.WrittenSpan));
        try
        {
            using var handle = File.OpenHandle(DeltaPath, FileMode.Open, FileAccess.Write, FileShare.None);
            RandomAccess.Write(handle, [header, record.WrittenMemory], _deltaEnd);
            RandomAccess.FlushToDisk(handle);
        }
        catch
        {
            // Part of the record may be on disk past the valid end: start over with a rewrite next time.
            _rewriteState = true;
            throw;
        }

        _deltaEnd += length;
        _changed.Clear();
        _persistedCount = count;
        return true;
    }

    private void WriteEntry(ArrayBufferWriter<byte> record, ArrayBufferWriter<byte> encoded, uint offset)
    {
        WriteU32(record, offset);
        WritePointId(record, _ids.IdAt(offset));
        WriteU64(record, _ids.VersionAt(offset));
        WriteU8(record, _ids.IsDeleted(offset) ? (byte)1 : (byte)0);
        foreach (var column in _columns.Values)
        {
            WriteU8(record, (byte)((column.Has(offset) ? 1 : 0) | (column.IsStaleToPersist(offset) ? 2 : 0)));
        }

        if (_payloads is MappedPayloadStore mapped)
        {
            var (position, length) = mapped.At(offset);
            WriteU32(record, length == 0 ? 0 : (uint)length + 1);
            if (length != 0)
            {
                WriteU64(record, (ulong)position);
            }
        }
        else if (_payloads.Get(offset) is { } payload)
        {
            encoded.ResetWrittenCount();
            PayloadCodec.Write(encoded, payload);
            WriteU32(record, (uint)encoded.WrittenCount + 1);
            record.Write(encoded.WrittenSpan);
        }
        else
        {
            WriteU32(record, 0);
        }
    }

    // After the state file was replaced: an empty delta that names it, written atomically.
    private void StartDelta(uint stateCrc, long stateLength)
    {
        Span<byte> header = stackalloc byte[DeltaHeaderSize];
        DeltaMagic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], DeltaFormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], stateCrc);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], (ulong)stateLength);
        AtomicFile.WriteAllBytes(DeltaPath, header);
        _stateCrc = stateCrc;
        _stateLength = stateLength;
        _deltaEnd = DeltaHeaderSize;
        _changed.Clear();
        _persistedCount = _ids.Count;
        _rewriteState = false;
    }

    // At open, after the state file: applies the delta's records in order. Stale offsets they add go to `stale`.
    private void LoadDelta(uint stateCrc, long stateLength, Dictionary<string, List<uint>> stale)
    {
        _stateCrc = stateCrc;
        _stateLength = stateLength;
        _persistedCount = _ids.Count;
        _rewriteState = true;
        _deltaEnd = 0;
        if (!File.Exists(DeltaPath))
        {
            return; // written by a build without deltas, or a crash before the first delta was started
        }

        // Record by record, so a delta as large as its state file is never in memory at once.
        using var handle = File.OpenHandle(DeltaPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        var fileLength = RandomAccess.GetLength(handle);
        Span<byte> header = stackalloc byte[DeltaHeaderSize];
        if (fileLength < DeltaHeaderSize || !ReadFully(handle, header, 0) || !header[..8].SequenceEqual(DeltaMagic))
        {
            ThrowHelper.ThrowInvalidData($"Segment '{_directory}': {DeltaFileName} is not a segment delta file.");
        }

        var format = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (format != DeltaFormatVersion)
        {
            ThrowHelper.ThrowInvalidData($"Segment '{_directory}': delta format version {format}; this build reads {DeltaFormatVersion}.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != stateCrc
            || BinaryPrimitives.ReadUInt64LittleEndian(header[16..]) != (ulong)stateLength)
        {
            return; // the delta of an older state file
        }

        long position = DeltaHeaderSize;
        Span<byte> recordHeader = stackalloc byte[RecordHeaderSize];
        while (fileLength - position >= RecordHeaderSize && ReadFully(handle, recordHeader, position))
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(recordHeader);
            if (length < RecordFixedSize || length > fileLength - position - RecordHeaderSize || length > Array.MaxLength)
            {
                break;
            }

            var body = new byte[length];
            if (!ReadFully(handle, body, position + RecordHeaderSize)
                || Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(recordHeader[4..]))
            {
                break;
            }

            ApplyRecord(new StateReader(body, 0, body.Length), stale);
            position += RecordHeaderSize + length;
        }

        _deltaEnd = position;
        _persistedCount = _ids.Count;

        // A torn tail is left as it is: the next flush rewrites the state file and starts a new delta.
        _rewriteState = position != fileLength;
    }

    // One read may return less than asked (a single pread stops short of 2 GiB on Linux).
    private static bool ReadFully(SafeFileHandle handle, Span<byte> buffer, long position)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(handle, buffer, position);
            if (read <= 0)
            {
                return false;
            }

            buffer = buffer[read..];
            position += read;
        }

        return true;
    }

    private void ApplyRecord(StateReader reader, Dictionary<string, List<uint>> stale)
    {
        var version = reader.U64();
        var count = reader.U32();
        if (version < PersistedVersion)
        {
            ThrowHelper.ThrowInvalidData($"Segment '{_directory}': a delta record at version {version} follows version {PersistedVersion}.");
        }

        for (var n = reader.U32(); n > 0; n--)
        {
            var offset = reader.U32();
            var id = PointId.ReadFrom(reader.Bytes(PointId.EncodedSize));
            var pointVersion = reader.U64();
            var deleted = (reader.U8() & 1) != 0;
            if (offset == _ids.Count && offset < count)
            {
                _ids.Restore(id, pointVersion, deleted);
                _payloads.AddOffset();
            }
            else if (offset < _ids.Count && _ids.IdAt(offset) == id && (deleted || !_ids.IsDeleted(offset)))
            {
                // Lower offsets come first, so an id's older copy is marked deleted before a newer one is restored.
                if (deleted && !_ids.IsDeleted(offset))
                {
                    _ids.MarkDeleted(offset, pointVersion);
                }

                _ids.SetVersion(offset, pointVersion);
            }
            else
            {
                ThrowHelper.ThrowInvalidData($"Segment '{_directory}': delta entry for offset {offset} (point {id}) does not follow from the state before it.");
            }

            foreach (var column in _columns.Values)
            {
                var bits = reader.U8();
                if ((bits & 1) != 0 && offset >= column.StoredCount)
                {
                    ThrowHelper.ThrowInvalidData($"Segment '{_directory}': vector \"{column.Name}\" of offset {offset} is missing from its vector file.");
                }

                column.SetPresent(offset, (bits & 1) != 0);
                if ((bits & 2) != 0)
                {
                    stale[column.Name].Add(offset);
                }
            }

            var payloadLength = reader.U32();
            if (_payloads is MappedPayloadStore mapped)
            {
                mapped.Restore(offset, payloadLength == 0 ? 0 : (long)reader.U64(), payloadLength == 0 ? 0 : (int)(payloadLength - 1));
            }
            else
            {
                _payloads.Assign(offset, new StagedPayload(payloadLength == 0 ? null : PayloadCodec.Decode(reader.Bytes((int)(payloadLength - 1))), 0, 0));
            }
        }

        if (count != _ids.Count)
        {
            ThrowHelper.ThrowInvalidData($"Segment '{_directory}': a delta record says {count} offsets but holds {_ids.Count}.");
        }

        PersistedVersion = version;
    }
}
