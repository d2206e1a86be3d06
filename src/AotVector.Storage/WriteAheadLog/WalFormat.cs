using System.Buffers.Binary;
using AotVector.Storage.Checksums;

namespace AotVector.Storage.WriteAheadLog;

/// <summary>Byte layout of WAL segment files; the table is in <see cref="Wal"/>'s remarks and docs/formats/wal.md.</summary>
internal static class WalFormat
{
    public const uint Version = 1;
    public const int SegmentHeaderSize = 32;
    public const int EntryHeaderSize = 16;
    public const int Alignment = 8;
    public const string FileExtension = ".wal";

    /// <summary>Largest payload: keeps a whole entry addressable by an int-sized buffer.</summary>
    public const int MaxPayloadLength = int.MaxValue - 64;

    /// <summary>"AVWAL" then CR LF SUB, like PNG, so text-mode mangling is caught.</summary>
    public static ReadOnlySpan<byte> Magic => [(byte)'A', (byte)'V', (byte)'W', (byte)'A', (byte)'L', 0x0D, 0x0A, 0x1A];

    public static long EntrySize(int payloadLength) => Align(EntryHeaderSize + (long)payloadLength);

    public static long Align(long value) => (value + (Alignment - 1)) & ~(long)(Alignment - 1);

    public static string FileName(ulong firstSequence) => firstSequence.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + FileExtension;

    public static bool TryParseFileName(string fileName, out ulong firstSequence)
    {
        firstSequence = 0;
        return fileName.Length == 20 + FileExtension.Length
            && fileName.EndsWith(FileExtension, StringComparison.Ordinal)
            && ulong.TryParse(fileName.AsSpan(0, 20), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out firstSequence)
            && firstSequence > 0;
    }

    public static void WriteSegmentHeader(Span<byte> header, ulong firstSequence)
    {
        header[..SegmentHeaderSize].Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], SegmentHeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], firstSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], Crc32C.Compute(header[..24]));
    }

    /// <summary>Fills in length, checksum and sequence of an entry whose payload already sits at <see cref="EntryHeaderSize"/>.</summary>
    public static void WriteEntryHeader(Span<byte> entry, int payloadLength, ulong sequence)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)payloadLength);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], EntryChecksum(entry[8..(EntryHeaderSize + payloadLength)]));
    }

    /// <summary>CRC-32C over the sequence number and payload, which lie next to each other in an entry.</summary>
    public static uint EntryChecksum(ReadOnlySpan<byte> sequenceAndPayload) => Crc32C.Compute(sequenceAndPayload);
}
