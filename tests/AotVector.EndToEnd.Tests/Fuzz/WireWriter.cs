namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>Protobuf wire format written by hand, so the fuzzer can also write what no encoder would.</summary>
internal sealed class WireWriter
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int StartGroup = 3;
    public const int EndGroup = 4;
    public const int Fixed32 = 5;

    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public void Tag(int field, int wireType) => WriteVarint(((ulong)(uint)field << 3) | (uint)wireType);

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
    }

    public void WriteFixed32(uint value)
    {
        for (var i = 0; i < 4; i++)
        {
            _bytes.Add((byte)(value >> (8 * i)));
        }
    }

    public void WriteFixed64(ulong value)
    {
        for (var i = 0; i < 8; i++)
        {
            _bytes.Add((byte)(value >> (8 * i)));
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarint((ulong)value.Length);
        WriteRaw(value);
    }

    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            _bytes.Add(b);
        }
    }

    public byte[] ToArray() => [.. _bytes];
}
