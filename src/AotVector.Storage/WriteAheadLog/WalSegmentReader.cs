using System.Buffers.Binary;

namespace AotVector.Storage.WriteAheadLog;

/// <summary>Sequential, validating reader of one segment file; shared by recovery and replay.</summary>
internal sealed class WalSegmentReader : IDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _header = new byte[WalFormat.SegmentHeaderSize];
    private byte[] _buffer = new byte[4096];

    public WalSegmentReader(string path)
    {
        // ReadWrite|Delete sharing: the writer keeps the open segment open, and TruncateBefore may delete closed ones.
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 64 * 1024);
    }

    public long FileLength => _stream.Length;

    /// <summary>Offset of the next entry.</summary>
    public long Position => _stream.Position;

    /// <summary>Payload of the entry last returned with <see cref="WalEntryStatus.Ok"/> (when not skipped).</summary>
    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(WalFormat.EntryHeaderSize, PayloadLength);

    public int PayloadLength { get; private set; }

    public ulong Sequence { get; private set; }

    /// <summary>Checks magic, version, header checksum and that the header agrees with the file name.</summary>
    public WalHeaderStatus ReadHeader(ulong firstSequenceFromName, out uint version)
    {
        version = 0;
        if (_stream.Length < WalFormat.SegmentHeaderSize)
        {
            return WalHeaderStatus.Bad;
        }

        _stream.ReadExactly(_header);
        var header = _header.AsSpan();
        if (!header[..8].SequenceEqual(WalFormat.Magic)
            || BinaryPrimitives.ReadUInt32LittleEndian(header[24..]) != Checksums.Crc32C.Compute(header[..24]))
        {
            return WalHeaderStatus.Bad;
        }

        version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != WalFormat.Version)
        {
            return WalHeaderStatus.UnsupportedVersion;
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) == WalFormat.SegmentHeaderSize
            && BinaryPrimitives.ReadUInt64LittleEndian(header[16..]) == firstSequenceFromName
            ? WalHeaderStatus.Ok
            : WalHeaderStatus.Bad;
    }

    /// <summary>
    /// Reads the entry at <see cref="Position"/>, which must carry <paramref name="expectedSequence"/> and end
    /// at or before <paramref name="limit"/>. On anything but <see cref="WalEntryStatus.Ok"/> the position is unspecified.
    /// With <paramref name="skipPayload"/> the payload is seeked over and not checksummed.
    /// </summary>
    public WalEntryStatus ReadNext(ulong expectedSequence, long limit, bool skipPayload)
    {
        var start = _stream.Position;
        var remaining = limit - start;
        if (remaining <= 0)
        {
            return WalEntryStatus.End;
        }

        if (remaining < WalFormat.EntryHeaderSize)
        {
            return WalEntryStatus.Torn;
        }

        EnsureBuffer(WalFormat.EntryHeaderSize);
        _stream.ReadExactly(_buffer, 0, WalFormat.EntryHeaderSize);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_buffer);
        var checksum = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(4));
        var sequence = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(8));
        if (length > WalFormat.MaxPayloadLength)
        {
            return WalEntryStatus.Corrupt;
        }

        var size = WalFormat.EntrySize((int)length);
        if (size > remaining)
        {
            return WalEntryStatus.Torn;
        }

        // A wrong sequence number is checked after the length so that zero fill or garbage past the end
        // reads as "torn/corrupt" either way; it never passes because the checksum covers the sequence.
        if (sequence != expectedSequence)
        {
            return WalEntryStatus.Corrupt;
        }

        Sequence = sequence;
        PayloadLength = (int)length;
        if (skipPayload)
        {
            _stream.Position = start + size;
            return WalEntryStatus.Ok;
        }

        var body = (int)(size - WalFormat.EntryHeaderSize);
        EnsureBuffer(WalFormat.EntryHeaderSize + body);
        _stream.ReadExactly(_buffer, WalFormat.EntryHeaderSize, body);
        var sequenceAndPayload = _buffer.AsSpan(WalFormat.EntryHeaderSize - sizeof(ulong), sizeof(ulong) + (int)length);
        return WalFormat.EntryChecksum(sequenceAndPayload) == checksum ? WalEntryStatus.Ok : WalEntryStatus.Corrupt;
    }

    public void Dispose() => _stream.Dispose();

    private void EnsureBuffer(int bytes)
    {
        if (_buffer.Length < bytes)
        {
            // Keep the first EntryHeaderSize bytes: the header was read before the body is sized.
            var grown = new byte[Math.Max(bytes, _buffer.Length * 2)];
            _buffer.AsSpan(0, WalFormat.EntryHeaderSize).CopyTo(grown);
            _buffer = grown;
        }
    }
}
