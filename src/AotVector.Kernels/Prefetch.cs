using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace AotVector.Kernels;

/// <summary>
/// Software prefetch hints for graph walks: the next nodes' vectors and link lists sit at random addresses the
/// hardware prefetcher cannot guess, so asking for them a step early hides part of the memory latency.
/// A no-op where the hint is not available (non-x86) or the span is empty.
/// </summary>
public static class Prefetch
{
    private const int CacheLine = 64;

    /// <summary>Hints the first <paramref name="lines"/> cache lines of <paramref name="data"/> into all cache levels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Lines<T>(ReadOnlySpan<T> data, int lines)
        where T : unmanaged
    {
        if (Sse.IsSupported && !data.IsEmpty)
        {
            // A prefetch never faults, but stay within the span so the hint is never wasted on unrelated memory.
            byte* start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(data));
            int bytes = data.Length * sizeof(T);
            for (int offset = 0; offset < bytes && lines > 0; offset += CacheLine, lines--)
            {
                Sse.Prefetch0(start + offset);
            }
        }
    }

    /// <summary>Hints the start of a vector (the hardware prefetcher follows the rest sequentially).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector(ReadOnlySpan<float> vector) => Lines(vector, 2);

    /// <summary>Hints the cache line holding <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void At<T>(ref readonly T value)
        where T : unmanaged
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.AsRef(in value)));
        }
    }
}
