using System.Buffers.Binary;

namespace AotVector.Storage.Files;

/// <summary>
/// The reading side of <see cref="LittleEndianWriter"/>: each call takes its field off the front of the span. Bounds
/// beyond the field itself (counts, lengths) are the format's to check. Called as static methods (<c>using static</c>).
/// </summary>
public static class LittleEndianReader
{
    public static byte ReadU8(ref ReadOnlySpan<byte> r)
    {
        var b = r[0];
        r = r[1..];
        return b;
    }

    public static uint ReadU32(ref ReadOnlySpan<byte> r)
    {
        var v = BinaryPrimitives.ReadUInt32LittleEndian(r);
        r = r[4..];
        return v;
    }

    public static ulong ReadU64(ref ReadOnlySpan<byte> r)
    {
        var v = BinaryPrimitives.ReadUInt64LittleEndian(r);
        r = r[8..];
        return v;
    }
}
