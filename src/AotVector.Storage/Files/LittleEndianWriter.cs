using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using AotVector.Common.Model;

namespace AotVector.Storage.Files;

/// <summary>
/// The fields every binary format of ours is made of (segment state and delta files, WAL entries), appended to a
/// buffer writer: integers little-endian, strings as a u32 UTF-8 byte length then the bytes, point ids in their
/// fixed <see cref="PointId.EncodedSize"/>-byte form. Called as static methods (<c>using static</c>).
/// </summary>
public static class LittleEndianWriter
{
    public static void WriteU8(IBufferWriter<byte> w, byte value)
    {
        w.GetSpan(1)[0] = value;
        w.Advance(1);
    }

    public static void WriteU32(IBufferWriter<byte> w, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(w.GetSpan(4), value);
        w.Advance(4);
    }

    public static void WriteU64(IBufferWriter<byte> w, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(w.GetSpan(8), value);
        w.Advance(8);
    }

    public static void WriteString(IBufferWriter<byte> w, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteU32(w, (uint)length);
        Encoding.UTF8.GetBytes(value, w.GetSpan(length));
        w.Advance(length);
    }

    public static void WritePointId(IBufferWriter<byte> w, PointId id)
    {
        id.WriteTo(w.GetSpan(PointId.EncodedSize));
        w.Advance(PointId.EncodedSize);
    }
}
