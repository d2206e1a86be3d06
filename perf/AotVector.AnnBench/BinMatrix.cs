using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AotVector.AnnBench;

/// <summary>
/// The harness's data files, shared with perf/hnswlib-bench: <c>u32 rows, u32 cols</c>, then rows×cols 4-byte
/// little-endian values (float32 in <c>.fbin</c>, uint32 in <c>.ibin</c>), the big-ann-benchmarks layout.
/// </summary>
internal static class BinMatrix
{
    public static void Write<T>(string path, ReadOnlySpan<T> values, int cols)
        where T : unmanaged
    {
        using var file = File.Create(path);
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(header, values.Length / cols);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], cols);
        file.Write(header);
        file.Write(MemoryMarshal.AsBytes(values));
    }

    public static (T[] Values, int Rows, int Cols) Read<T>(string path)
        where T : unmanaged
    {
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[8];
        file.ReadExactly(header);
        int rows = BinaryPrimitives.ReadInt32LittleEndian(header);
        int cols = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        var values = new T[(long)rows * cols];
        file.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return (values, rows, cols);
    }
}
