using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;
using X86Sse42 = System.Runtime.Intrinsics.X86.Sse42;

namespace AotVector.Storage.Checksums;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum on every WAL entry and page.
/// Uses the x86 SSE4.2 <c>crc32</c> instruction or the Arm CRC32C instructions when present
/// (both compute exactly this polynomial) and a slicing-by-8 table otherwise; all paths agree bit for bit.
/// </summary>
/// <remarks>
/// Values are "finished" CRCs (initial value and final XOR of 0xFFFFFFFF already applied), so
/// <c>Append(Compute(a), b) == Compute(a ++ b)</c> and <c>Compute([]) == 0</c>.
/// </remarks>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;

    // s_table[k * 256 + b]: CRC of byte b followed by k zero bytes (slicing-by-8).
    private static readonly uint[] s_table = BuildTable();

    /// <summary>CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> (the CRC of the bytes so far) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (X86Sse42.X64.IsSupported)
        {
            return ~AppendSse42X64(~crc, data);
        }

        if (ArmCrc32.Arm64.IsSupported)
        {
            return ~AppendArm64(~crc, data);
        }

        return ~AppendSoftware(~crc, data);
    }

    /// <summary>Whether <see cref="Append"/> runs on a hardware CRC instruction on this machine.</summary>
    public static bool IsHardwareAccelerated => X86Sse42.X64.IsSupported || ArmCrc32.Arm64.IsSupported;

    /// <summary>The table path regardless of hardware; the oracle the hardware paths are tested against.</summary>
    internal static uint ComputeSoftware(ReadOnlySpan<byte> data) => ~AppendSoftware(~0u, data);

    private static uint AppendSse42X64(uint state, ReadOnlySpan<byte> data)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = data.Length;
        var i = 0;
        ulong wide = state;
        for (; i + 8 <= length; i += 8)
        {
            wide = X86Sse42.X64.Crc32(wide, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        }

        state = (uint)wide;
        for (; i < length; i++)
        {
            state = X86Sse42.Crc32(state, Unsafe.Add(ref start, i));
        }

        return state;
    }

    private static uint AppendArm64(uint state, ReadOnlySpan<byte> data)
    {
        ref var start = ref MemoryMarshal.GetReference(data);
        var length = data.Length;
        var i = 0;
        for (; i + 8 <= length; i += 8)
        {
            state = ArmCrc32.Arm64.ComputeCrc32C(state, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)));
        }

        for (; i < length; i++)
        {
            state = ArmCrc32.ComputeCrc32C(state, Unsafe.Add(ref start, i));
        }

        return state;
    }

    private static uint AppendSoftware(uint state, ReadOnlySpan<byte> data)
    {
        var table = s_table.AsSpan();
        while (data.Length >= 8)
        {
            var lo = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ state;
            var hi = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            state = table[(7 * 256) + (int)(lo & 0xFF)]
                ^ table[(6 * 256) + (int)((lo >> 8) & 0xFF)]
                ^ table[(5 * 256) + (int)((lo >> 16) & 0xFF)]
                ^ table[(4 * 256) + (int)(lo >> 24)]
                ^ table[(3 * 256) + (int)(hi & 0xFF)]
                ^ table[(2 * 256) + (int)((hi >> 8) & 0xFF)]
                ^ table[256 + (int)((hi >> 16) & 0xFF)]
                ^ table[(int)(hi >> 24)];
            data = data[8..];
        }

        foreach (var b in data)
        {
            state = table[(int)((state ^ b) & 0xFF)] ^ (state >> 8);
        }

        return state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint b = 0; b < 256; b++)
        {
            var c = b;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            table[b] = c;
        }

        for (var k = 1; k < 8; k++)
        {
            for (var b = 0; b < 256; b++)
            {
                var previous = table[((k - 1) * 256) + b];
                table[(k * 256) + b] = table[(int)(previous & 0xFF)] ^ (previous >> 8);
            }
        }

        return table;
    }
}
