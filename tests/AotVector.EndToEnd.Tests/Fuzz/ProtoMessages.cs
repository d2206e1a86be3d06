using System.Text;
using Google.Protobuf.Reflection;

namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>
/// Random protobuf messages shaped by a message descriptor: the real field numbers with their wire types and
/// values picked to be plausible (existing collection names, small vectors, boundary numbers), plus now and then
/// an unknown field, a field with the wrong wire type, a repeated scalar packed or not, and bad UTF-8 in strings.
/// </summary>
internal sealed class ProtoMessages(Random rng)
{
    private const int MaxDepth = 7;
    private const int MaxBytes = 16 * 1024;

    private static readonly string[] s_collections = [FuzzData.Collection, FuzzData.NamedCollection, FuzzData.Collection, "fuzz_new", "", "no_such_collection"];
    private static readonly string[] s_keys = ["city", "n", "tags", "geo", "ts", "nested", "nested[].x", "", "a.b", "a[]", "city.", "[]", "\u00e9t\u00e9"];
    private static readonly string[] s_vectorNames = ["", "a", "b", "s", "missing"];
    private static readonly string[] s_strings =
    [
        "", "a", "fuzz", "Berlin", "0", "-1", "NaN", "null", "2024-01-01T00:00:00Z", "2024-13-45", "not a date",
        "00000000-0000-0000-0000-000000000000", "5c56c793-69f3-4fbf-87e6-c4bf54c28c26", "not-a-uuid", "\u0000", "../..",
        "\ud83d\ude00", "x y", "%00", "Dot", "Cosine", "keyword", "gzip",
    ];

    public byte[] Message(MessageDescriptor descriptor) => Message(descriptor, 0);

    private byte[] Message(MessageDescriptor descriptor, int depth)
    {
        var w = new WireWriter();
        var presence = depth == 0 ? 60 : Math.Max(10, 45 - (depth * 6));
        var fields = descriptor.Fields.InFieldNumberOrder();
        foreach (var field in fields)
        {
            if (w.Length > MaxBytes)
            {
                break;
            }

            if (rng.Next(100) < presence)
            {
                Field(w, field, depth);
                if (rng.Next(20) == 0)
                {
                    Field(w, field, depth); // twice: the last value wins, or repeated values add up
                }
            }
        }

        switch (rng.Next(25))
        {
            case 0:
                Unknown(w, 1000 + rng.Next(100_000));
                break;
            case 1 when fields.Count > 0:
                // A known field number, most likely with a wire type of another kind.
                Unknown(w, fields[rng.Next(fields.Count)].FieldNumber);
                break;
        }

        return w.ToArray();
    }

    private void Field(WireWriter w, FieldDescriptor field, int depth)
    {
        if (!field.IsRepeated)
        {
            Value(w, field, depth);
            return;
        }

        var count = field.FieldType is FieldType.Float && field.Name is "data" or "vector" ? VectorLength() : rng.Next(5);
        if (count > 0 && IsPackable(field.FieldType) && rng.Next(3) != 0)
        {
            var packed = new WireWriter();
            for (var i = 0; i < count; i++)
            {
                Scalar(packed, field);
            }

            w.Tag(field.FieldNumber, WireWriter.LengthDelimited);
            w.WriteBytes(packed.ToArray());
            return;
        }

        for (var i = 0; i < count && w.Length < MaxBytes; i++)
        {
            Value(w, field, depth);
        }
    }

    private void Value(WireWriter w, FieldDescriptor field, int depth)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
                if (depth >= MaxDepth)
                {
                    return;
                }

                w.Tag(field.FieldNumber, WireWriter.LengthDelimited);
                w.WriteBytes(Message(field.MessageType, depth + 1));
                break;
            case FieldType.Group:
                break;
            case FieldType.String:
                w.Tag(field.FieldNumber, WireWriter.LengthDelimited);
                w.WriteBytes(StringBytes(field.Name));
                break;
            case FieldType.Bytes:
                w.Tag(field.FieldNumber, WireWriter.LengthDelimited);
                w.WriteBytes(RandomBytes(rng.Next(24)));
                break;
            default:
                w.Tag(field.FieldNumber, WireTypeOf(field.FieldType));
                Scalar(w, field);
                break;
        }
    }

    private void Scalar(WireWriter w, FieldDescriptor field)
    {
        switch (field.FieldType)
        {
            case FieldType.Float:
                w.WriteFixed32(BitConverter.SingleToUInt32Bits(Float()));
                break;
            case FieldType.Double:
                w.WriteFixed64(BitConverter.DoubleToUInt64Bits(Double()));
                break;
            case FieldType.Fixed32 or FieldType.SFixed32:
                w.WriteFixed32((uint)Integer(field.Name));
                break;
            case FieldType.Fixed64 or FieldType.SFixed64:
                w.WriteFixed64(Integer(field.Name));
                break;
            case FieldType.Bool:
                w.WriteVarint(rng.Next(10) == 0 ? (ulong)rng.Next(2, 300) : (ulong)rng.Next(2));
                break;
            case FieldType.Enum:
                // Mostly a defined value, sometimes one the enum does not have.
                var values = field.EnumType.Values;
                w.WriteVarint(rng.Next(6) == 0 ? Integer(field.Name) : (ulong)(long)values[rng.Next(values.Count)].Number);
                break;
            case FieldType.SInt32:
                var s32 = (int)Integer(field.Name);
                w.WriteVarint((uint)((s32 << 1) ^ (s32 >> 31)));
                break;
            case FieldType.SInt64:
                var s64 = (long)Integer(field.Name);
                w.WriteVarint((ulong)((s64 << 1) ^ (s64 >> 63)));
                break;
            case FieldType.Int32:
                // Negative int32 values go out sign-extended to ten bytes, as encoders write them.
                w.WriteVarint((ulong)(long)(int)Integer(field.Name));
                break;
            default:
                w.WriteVarint(Integer(field.Name));
                break;
        }
    }

    private void Unknown(WireWriter w, int fieldNumber)
    {
        switch (rng.Next(4))
        {
            case 0:
                w.Tag(fieldNumber, WireWriter.Varint);
                w.WriteVarint((ulong)rng.NextInt64());
                break;
            case 1:
                w.Tag(fieldNumber, WireWriter.Fixed32);
                w.WriteFixed32((uint)rng.Next());
                break;
            case 2:
                w.Tag(fieldNumber, WireWriter.Fixed64);
                w.WriteFixed64((ulong)rng.NextInt64());
                break;
            default:
                w.Tag(fieldNumber, WireWriter.LengthDelimited);
                w.WriteBytes(RandomBytes(rng.Next(16)));
                break;
        }
    }

    private int VectorLength() => rng.Next(10) switch
    {
        < 6 => FuzzData.Dimension,
        6 => 0,
        7 => 2,
        8 => rng.Next(1, 12),
        _ => 513,
    };

    private float Float() => rng.Next(25) switch
    {
        0 => float.NaN,
        1 => float.PositiveInfinity,
        2 => float.NegativeInfinity,
        3 => -0f,
        4 => float.MaxValue,
        5 => float.Epsilon,
        _ => (float)((rng.NextDouble() * 2) - 1),
    };

    private double Double() => rng.Next(20) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => double.MaxValue,
        4 => -1e300,
        5 => double.Epsilon,
        6 => 1e18,
        _ => (rng.NextDouble() * 200) - 100,
    };

    /// <summary>Small values mostly (limits, ids, sizes), else a boundary.</summary>
    private ulong Integer(string name)
    {
        if (rng.Next(4) != 0)
        {
            return name switch
            {
                "size" => (ulong)FuzzData.Dimension,
                "num" or "id" => (ulong)rng.Next(1, FuzzData.Points + 3),
                _ => (ulong)rng.Next(0, 16),
            };
        }

        return rng.Next(12) switch
        {
            0 => 0,
            1 => ulong.MaxValue,
            2 => long.MaxValue,
            3 => unchecked((ulong)long.MinValue),
            4 => uint.MaxValue,
            5 => int.MaxValue,
            6 => 1UL << 32,
            7 => unchecked((ulong)-1L),
            8 => 65536,
            9 => 100_000_000,
            10 => (ulong)rng.NextInt64(),
            _ => (ulong)rng.Next(16, 5000),
        };
    }

    private byte[] StringBytes(string fieldName)
    {
        var text = fieldName switch
        {
            "collection_name" => Pick(s_collections),
            "alias_name" or "old_alias_name" or "new_alias_name" => Pick(["fuzz_alias", "fuzz_alias2", FuzzData.Collection, ""]),
            "key" or "field_name" or "keys" or "order_by" => Pick(s_keys),
            "vector_name" or "using" or "name" or "vector_names" or "names" => Pick(s_vectorNames),
            _ => Pick(s_strings),
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        return rng.Next(30) switch
        {
            0 => [.. bytes, 0xff],
            1 => [0xc0, 0xaf, .. bytes],
            2 => [.. bytes, 0xed, 0xa0, 0x80],
            3 => Encoding.UTF8.GetBytes(new string('x', 300 + rng.Next(5000))),
            _ => bytes,
        };
    }

    private string Pick(string[] values) => values[rng.Next(values.Length)];

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }

    private static bool IsPackable(FieldType type) => type is not (FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group);

    private static int WireTypeOf(FieldType type) => type switch
    {
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireWriter.Fixed32,
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireWriter.Fixed64,
        _ => WireWriter.Varint,
    };
}
