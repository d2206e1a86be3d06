using System.Runtime.CompilerServices;

namespace AotVector.Kernels;

/// <summary>
/// A float buffer whose first element sits on a 64-byte boundary: a query copied here is read by every distance
/// of a search with whole-cache-line Vector512 loads (a managed array starts at an arbitrary 8-byte offset, so
/// most of its 64-byte loads would straddle two lines). Stored vectors are aligned by their file layout.
/// </summary>
public sealed class AlignedFloats
{
    private const int Alignment = 64;
    private readonly float[] _array;
    private readonly int _start;

    public AlignedFloats(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        // Pinned (pinned object heap), so the offset computed once stays aligned for the buffer's lifetime.
        _array = GC.AllocateUninitializedArray<float>(length + (Alignment / sizeof(float)), pinned: true);
        _start = StartOf(_array);
        Length = length;
    }

    public int Length { get; }

    public Span<float> Span => _array.AsSpan(_start, Length);

    /// <summary>Copies <paramref name="source"/> (exactly <see cref="Length"/> floats) in and returns the aligned copy.</summary>
    public ReadOnlySpan<float> CopyFrom(ReadOnlySpan<float> source)
    {
        var span = Span;
        source.CopyTo(span);
        return span[..source.Length];
    }

    private static unsafe int StartOf(float[] array)
    {
        var address = (nuint)Unsafe.AsPointer(ref array[0]);
        var misalignment = (int)(address & (Alignment - 1));
        return misalignment == 0 ? 0 : (Alignment - misalignment) / sizeof(float);
    }
}
