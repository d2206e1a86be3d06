using CommunityToolkit.HighPerformance.Buffers;
using static AotVector.Storage.Files.LittleEndianWriter;

namespace AotVector.Segment;

/// <summary>
/// <see cref="FieldIndexParams"/> as bytes, for the segment state file and the WAL: u8 format (1); seven optional
/// booleans (is_tenant, is_principal, on_disk, enable_hnsw, lookup, range, prefix) as u8 0 = unset, 1 = false,
/// 2 = true; memory as u8 0 = unset, else 1 + <see cref="MemoryPlacement"/>. Always 9 bytes.
/// </summary>
public static class FieldIndexParamsCodec
{
    public const int Length = 9;

    private const byte Format = 1;

    public static byte[] Encode(FieldIndexParams p)
    {
        using var w = new ArrayPoolBufferWriter<byte>();
        WriteU8(w, Format);
        foreach (var flag in (ReadOnlySpan<bool?>)[p.IsTenant, p.IsPrincipal, p.OnDisk, p.EnableHnsw, p.Lookup, p.Range, p.Prefix])
        {
            WriteU8(w, flag switch { null => 0, false => 1, true => 2 });
        }

        WriteU8(w, p.Memory is { } memory ? (byte)(1 + (byte)memory) : (byte)0);
        return w.WrittenSpan.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a parameter block this build writes.</exception>
    public static FieldIndexParams Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length || bytes[0] != Format)
        {
            throw new InvalidDataException("Unknown payload index parameter format.");
        }


        var memory = bytes[8] switch
        {
            0 => (MemoryPlacement?)null,
            <= 3 => (MemoryPlacement)(bytes[8] - 1),
            _ => throw new InvalidDataException("Bad payload index memory placement."),
        };
        return new FieldIndexParams(Flag(bytes[1]), Flag(bytes[2]), Flag(bytes[3]), memory, Flag(bytes[4]), Flag(bytes[5]), Flag(bytes[6]), Flag(bytes[7]));
    }

    private static bool? Flag(byte b) => b switch
    {
        0 => null,
        1 => false,
        2 => true,
        _ => throw new InvalidDataException("Bad payload index parameter flag."),
    };
}
