using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using AotVector.Common.Model;

namespace AotVector.Segment.Payloads;

/// <summary>
/// Compact binary encoding of a <see cref="Payload"/>, used by segment files and the engine's WAL.
/// </summary>
/// <remarks>
/// <para>Layout: one format byte (<see cref="FormatVersion"/>), then the top-level object body.</para>
/// <list type="table">
/// <item><term>object body</term><description>varint field count, then per field: string key, value</description></item>
/// <item><term>string</term><description>varint UTF-8 byte length, then the bytes</description></item>
/// <item><term>value</term><description>tag byte: 0 null, 1 false, 2 true, 3 integer (zig-zag varint),
/// 4 double (8 bytes little-endian IEEE 754), 5 string, 6 array (varint count, values), 7 object (object body)</description></item>
/// </list>
/// <para>Varints are unsigned LEB128. Nesting deeper than <see cref="MaxDepth"/> is rejected on read.</para>
/// </remarks>
public static class PayloadCodec
{
    public const byte FormatVersion = 1;

    /// <summary>Deepest nesting <see cref="Read"/> accepts; guards the recursion against corrupt input.</summary>
    public const int MaxDepth = 512;

    private const byte TagNull = 0;
    private const byte TagFalse = 1;
    private const byte TagTrue = 2;
    private const byte TagInteger = 3;
    private const byte TagDouble = 4;
    private const byte TagString = 5;
    private const byte TagArray = 6;
    private const byte TagObject = 7;

    public static void Write(IBufferWriter<byte> writer, Payload payload)
    {
        WriteByte(writer, FormatVersion);
        WriteObject(writer, payload);
    }

    public static byte[] Encode(Payload payload)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        Write(buffer, payload);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one payload from the front of <paramref name="source"/> and advances past it.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a payload in a known format.</exception>
    public static Payload Read(ref ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty)
        {
            ThrowHelper.ThrowInvalidData("Payload is truncated.");
        }

        if (source[0] != FormatVersion)
        {
            ThrowHelper.ThrowInvalidData($"Unknown payload format version {source[0]}.");
        }

        source = source[1..];
        return ReadObject(ref source, 0);
    }

    public static Payload Decode(ReadOnlySpan<byte> source)
    {
        var payload = Read(ref source);
        if (!source.IsEmpty)
        {
            ThrowHelper.ThrowInvalidData("Trailing bytes after payload.");
        }

        return payload;
    }

    private static void WriteObject(IBufferWriter<byte> writer, Payload payload)
    {
        WriteVarint(writer, (ulong)payload.Count);
        foreach (var (key, value) in payload.Fields)
        {
            WriteString(writer, key);
            WriteValue(writer, value);
        }
    }

    private static void WriteValue(IBufferWriter<byte> writer, PayloadValue value)
    {
        switch (value.Kind)
        {
            case PayloadKind.Null:
                WriteByte(writer, TagNull);
                break;
            case PayloadKind.Bool:
                WriteByte(writer, value.AsBool ? TagTrue : TagFalse);
                break;
            case PayloadKind.Integer:
                WriteByte(writer, TagInteger);
                var n = value.AsInteger;
                WriteVarint(writer, (ulong)((n << 1) ^ (n >> 63)));
                break;
            case PayloadKind.Double:
                var span = writer.GetSpan(9);
                span[0] = TagDouble;
                BinaryPrimitives.WriteDoubleLittleEndian(span[1..], value.AsDouble);
                writer.Advance(9);
                break;
            case PayloadKind.String:
                WriteByte(writer, TagString);
                WriteString(writer, value.AsString);
                break;
            case PayloadKind.Array:
                WriteByte(writer, TagArray);
                var items = value.AsArray;
                WriteVarint(writer, (ulong)items.Count);
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                break;
            case PayloadKind.Object:
                WriteByte(writer, TagObject);
                WriteObject(writer, value.AsObject);
                break;
        }
    }

    private static void WriteString(IBufferWriter<byte> writer, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteVarint(writer, (ulong)length);
        var span = writer.GetSpan(length);
        Encoding.UTF8.GetBytes(text, span);
        writer.Advance(length);
    }

    private static void WriteByte(IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void WriteVarint(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        writer.Advance(i);
    }

    private static Payload ReadObject(ref ReadOnlySpan<byte> source, int depth)
    {
        if (depth > MaxDepth)
        {
            ThrowHelper.ThrowInvalidData("Payload nesting is too deep.");
        }

        var count = ReadCount(ref source);
        var payload = new Payload(count);
        for (var i = 0; i < count; i++)
        {
            var key = ReadString(ref source);
            payload[key] = ReadValue(ref source, depth + 1);
        }

        return payload;
    }

    private static PayloadValue ReadValue(ref ReadOnlySpan<byte> source, int depth)
    {
        if (source.IsEmpty)
        {
            return ThrowHelper.ThrowInvalidData<PayloadValue>("Payload is truncated.");
        }

        var tag = source[0];
        source = source[1..];
        switch (tag)
        {
            case TagNull:
                return PayloadValue.Null;
            case TagFalse:
                return PayloadValue.False;
            case TagTrue:
                return PayloadValue.True;
            case TagInteger:
                var zigzag = ReadVarint(ref source);
                return PayloadValue.FromInteger((long)(zigzag >> 1) ^ -(long)(zigzag & 1));
            case TagDouble:
                if (source.Length < 8)
                {
                    ThrowHelper.ThrowInvalidData("Payload is truncated.");
                }

                var d = BinaryPrimitives.ReadDoubleLittleEndian(source);
                source = source[8..];
                return PayloadValue.FromDouble(d);
            case TagString:
                return PayloadValue.FromString(ReadString(ref source));
            case TagArray:
                if (depth > MaxDepth)
                {
                    ThrowHelper.ThrowInvalidData("Payload nesting is too deep.");
                }

                var count = ReadCount(ref source);
                var items = new List<PayloadValue>(count);
                for (var i = 0; i < count; i++)
                {
                    items.Add(ReadValue(ref source, depth + 1));
                }

                return PayloadValue.FromArray(items);
            case TagObject:
                return PayloadValue.FromObject(ReadObject(ref source, depth + 1));
            default:
                return ThrowHelper.ThrowInvalidData<PayloadValue>($"Unknown payload value tag {tag}.");
        }
    }

    private static string ReadString(ref ReadOnlySpan<byte> source)
    {
        var length = ReadCount(ref source);
        var text = Encoding.UTF8.GetString(source[..length]);
        source = source[length..];
        return text;
    }

    // A length or element count: bounded by the remaining bytes (every element takes at least one byte).
    private static int ReadCount(ref ReadOnlySpan<byte> source)
    {
        var value = ReadVarint(ref source);
        if (value > (ulong)source.Length)
        {
            ThrowHelper.ThrowInvalidData("Payload length exceeds the data.");
        }

        return (int)value;
    }

    private static ulong ReadVarint(ref ReadOnlySpan<byte> source)
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (source.IsEmpty)
            {
                ThrowHelper.ThrowInvalidData("Payload is truncated.");
            }

            var b = source[0];
            source = source[1..];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        return ThrowHelper.ThrowInvalidData<ulong>("Payload varint is too long.");
    }
}
