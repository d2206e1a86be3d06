using System.Buffers;
using System.Buffers.Binary;
using AotVector.Common.Model;
using AotVector.Storage.Checksums;
using AotVector.Storage.Files;

namespace AotVector.Segment.Payloads;

/// <summary>
/// Payloads in <c>payloads.bin</c>, a memory-mapped append-only file, read on demand (<c>on_disk_payload: true</c>):
/// the heap holds only the offset table (where each offset's record is), and the page cache decides which payload
/// bytes stay in memory. Payload indexes are built from it and stay in memory as before.
/// </summary>
/// <remarks>
/// <para><c>payloads.bin</c>, little-endian:</para>
/// <list type="table">
/// <item><term>0..8</term><description>magic <c>"AVPAYLD\0"</c></description></item>
/// <item><term>8..12</term><description>u32 format version (1)</description></item>
/// <item><term>12..64</term><description>reserved, zero</description></item>
/// <item><term>64..</term><description>records, appended: u32 length L, u32 CRC-32C of the bytes, L bytes of
/// <see cref="PayloadCodec"/>. Past the last record the file holds zeros or bytes no offset points at.</description></item>
/// </list>
/// <para>
/// Every write appends a new record; a record once pointed at is never written again, so a reader, a snapshot's
/// copy or the state persisted at the last flush always sees whole records. The offset table (position and length
/// per offset) is persisted by the segment in its state file and delta, after <see cref="Sync"/> made the records
/// they point at durable: after a crash the table names only durable records, and what was appended after the last
/// flush is garbage that the next append overwrites (the WAL replays those writes). Space held by replaced or
/// deleted payloads comes back when a merge or vacuum copies the live points into a new segment.
/// </para>
/// </remarks>
internal sealed class MappedPayloadStore : PayloadStore
{
    /// <summary>Name of the payload file inside the segment directory.</summary>
    public const string FileName = "payloads.bin";

    private const uint FormatVersion = 1;
    private const int HeaderSize = 64;
    private const int RecordHeaderSize = 8;
    private const long InitialCapacity = 64 * 1024;

    private static ReadOnlySpan<byte> Magic => "AVPAYLD\0"u8;

    private readonly MappedFile _file;
    private readonly ArrayBufferWriter<byte> _encoded = new(256);
    private long[] _positions = new long[64];
    private int[] _lengths = new int[64];
    private uint _count;
    private long _end = HeaderSize;
    private long _liveBytes;

    private MappedPayloadStore(MappedFile file) => _file = file;

    public override bool OnDisk => true;

    public override uint Count => _count;

    public override bool GetReturnsCopy => true;

    /// <summary>Bytes of the records offsets point at.</summary>
    public long LiveBytes => _liveBytes;

    public override ulong EncodedBytes
    {
        get
        {
            ulong total = 0;
            for (var offset = 0; offset < _count; offset++)
            {
                total += (ulong)_lengths[offset];
            }

            return total;
        }
    }

    /// <summary>Bytes of records no offset points at any more (what a merge or vacuum would reclaim).</summary>
    public long GarbageBytes => _end - HeaderSize - _liveBytes;

    /// <summary>Creates an empty payload file in <paramref name="directory"/>, replacing one a crashed create left.</summary>
    public static MappedPayloadStore Create(string directory)
    {
        var path = Path.Combine(directory, FileName);
        File.Delete(path);
        var file = MappedFile.Open(path, InitialCapacity);
        var header = file.GetSpan(0, HeaderSize);
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        return new MappedPayloadStore(file);
    }

    /// <summary>Maps the payload file of <paramref name="directory"/>; the table comes from the segment's state (<see cref="Restore"/>).</summary>
    /// <exception cref="InvalidDataException">The file is missing or is not a payload file.</exception>
    public static MappedPayloadStore Open(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path) || new FileInfo(path).Length < HeaderSize)
        {
            ThrowHelper.ThrowInvalidData($"Segment '{directory}': {FileName} is missing or truncated.");
        }

        var file = MappedFile.Open(path, InitialCapacity);
        var header = file.GetSpan(0, HeaderSize);
        if (!header[..8].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != FormatVersion)
        {
            file.Dispose();
            ThrowHelper.ThrowInvalidData($"Segment '{directory}': {FileName} is not a payload file of format {FormatVersion}.");
        }

        return new MappedPayloadStore(file);
    }

    /// <summary>Position and length of the record at <paramref name="offset"/> (length 0: no payload), for the state file.</summary>
    public (long Position, int Length) At(uint offset) => offset < _count ? (_positions[offset], _lengths[offset]) : (0, 0);

    /// <summary>At open: points <paramref name="offset"/> at a record the state file or delta names.</summary>
    /// <exception cref="InvalidDataException">The record lies outside the file or does not match its header.</exception>
    public void Restore(uint offset, long position, int length)
    {
        if (length == 0)
        {
            SetEntry(offset, 0, 0);
            return;
        }

        if (position < HeaderSize || length < 0 || position > _file.Capacity - RecordHeaderSize - length)
        {
            ThrowHelper.ThrowInvalidData($"{_file.Path}: offset {offset} points past the end of the file.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(_file.GetSpan(position, 4)) != (uint)length)
        {
            ThrowHelper.ThrowInvalidData($"{_file.Path}: the record of offset {offset} has another length than the state says.");
        }

        SetEntry(offset, position, length);
        _end = Math.Max(_end, position + RecordHeaderSize + length);
    }

    public override Payload? Get(uint offset)
    {
        if (offset >= _count || _lengths[offset] == 0)
        {
            return null;
        }

        var length = _lengths[offset];
        var record = _file.GetSpan(_positions[offset], RecordHeaderSize + length);
        var bytes = record[RecordHeaderSize..];
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != (uint)length
            || BinaryPrimitives.ReadUInt32LittleEndian(record[4..]) != Crc32C.Compute(bytes))
        {
            ThrowHelper.ThrowInvalidData($"{_file.Path}: the payload of offset {offset} is damaged (checksum mismatch).");
        }

        return PayloadCodec.Decode(bytes);
    }

    public override StagedPayload Stage(Payload? payload)
    {
        if (payload is null || payload.Count == 0)
        {
            return default;
        }

        _encoded.ResetWrittenCount();
        PayloadCodec.Write(_encoded, payload);
        var length = _encoded.WrittenCount;
        var position = _end;
        _file.EnsureCapacity(position + RecordHeaderSize + length);
        var record = _file.GetSpan(position, RecordHeaderSize + length);
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32C.Compute(_encoded.WrittenSpan));
        _encoded.WrittenSpan.CopyTo(record[RecordHeaderSize..]);
        _end = position + RecordHeaderSize + length;
        return new StagedPayload(payload, position, length);
    }

    public override void Assign(uint offset, in StagedPayload staged) => SetEntry(offset, staged.Position, staged.Length);

    public override void AddOffset()
    {
        if (_count == _positions.Length)
        {
            Array.Resize(ref _positions, _positions.Length * 2);
            Array.Resize(ref _lengths, _lengths.Length * 2);
        }

        _positions[_count] = 0;
        _lengths[_count] = 0;
        _count++;
    }

    /// <summary>Makes every appended record durable (msync and fsync), then lets the page cache decide what stays resident.</summary>
    public override void Sync()
    {
        _file.Flush();
        _file.ReleaseResident();
    }

    public override void Reserve(int points)
    {
        // About twice the average record so far per point, so the writes that follow seldom grow the file themselves.
        var live = _count == 0 ? 0 : _liveBytes / Math.Max(1, _count);
        _file.EnsureCapacity(_end + Math.Max(64 * 1024, points * ((2 * live) + 64)));
    }

    public override void Dispose() => _file.Dispose();

    private void SetEntry(uint offset, long position, int length)
    {
        if (_lengths[offset] != 0)
        {
            _liveBytes -= RecordHeaderSize + _lengths[offset];
        }

        _positions[offset] = position;
        _lengths[offset] = length;
        if (length != 0)
        {
            _liveBytes += RecordHeaderSize + length;
        }
    }
}
