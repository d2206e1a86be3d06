using System.Buffers.Binary;
using AotVector.Common.Errors;
using AotVector.Storage.Checksums;

namespace AotVector.Segment.Vectors;

/// <summary>
/// The frame every quantized codes file shares: a 64-byte header whose first words are the kind's magic and format,
/// the body's CRC-32C at byte 40 and the header's own at byte 60, then the body (a kind's tables, then its rows).
/// The fields between are each kind's own. Files are written whole to a temporary path and renamed by the caller.
/// </summary>
internal static class CodesFile
{
    public const int HeaderSize = 64;

    /// <summary>Writes <paramref name="header"/> (its checksums filled here) and the body <paramref name="tables"/> + <paramref name="rows"/>, flushed.</summary>
    public static void Write(string path, Span<byte> header, ReadOnlySpan<byte> tables, ReadOnlySpan<byte> rows)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], Crc32C.Append(Crc32C.Compute(tables), rows));
        BinaryPrimitives.WriteUInt32LittleEndian(header[60..], Crc32C.Compute(header[..60]));
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None);
        RandomAccess.Write(handle, header, 0);
        RandomAccess.Write(handle, tables, HeaderSize);
        RandomAccess.Write(handle, rows, HeaderSize + tables.Length);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>Null when <paramref name="file"/> starts with an intact header of this <paramref name="magic"/> and <paramref name="format"/>.</summary>
    public static AvError? CheckHeader(string path, byte[] file, uint magic, uint format)
    {
        if (file.Length < HeaderSize)
        {
            return Damaged(path, "shorter than its header");
        }

        var header = file.AsSpan(0, HeaderSize);
        return BinaryPrimitives.ReadUInt32LittleEndian(header) != magic || BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != format
            || BinaryPrimitives.ReadUInt32LittleEndian(header[60..]) != Crc32C.Compute(header[..60])
            ? Damaged(path, "header")
            : null;
    }

    /// <summary>Null when the body (everything after the header) matches the header's checksum.</summary>
    public static AvError? CheckBody(string path, byte[] file) =>
        Crc32C.Compute(file.AsSpan(HeaderSize)) != BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(40))
            ? Damaged(path, "body checksum")
            : null;

    public static AvError Damaged(string path, string what) => new(ErrorKind.DataLoss, $"{path} is damaged ({what})");
}
