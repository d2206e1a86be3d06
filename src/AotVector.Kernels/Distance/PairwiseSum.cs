using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AotVector.Kernels.Distance;

/// <summary>
/// The shared loop behind every distance kernel: <c>sum_i f(a[i], b[i])</c> at one fixed vector width.
/// Four independent accumulators hide the add/FMA latency; the tail is one overlapping last vector
/// whose already-counted lanes are masked out; there is a single horizontal sum at the end.
/// </summary>
/// <remarks>
/// SAFETY: every method requires <c>a.Length == b.Length</c> (asserted; the public entry points check it)
/// and, for the vector widths, <c>a.Length &gt;= Count</c>. Under those conditions every load offset
/// <c>i</c> satisfies <c>i + Count &lt;= length</c>, so no load leaves either span.
/// </remarks>
internal static class PairwiseSum
{
    /// <summary>Checks lengths and runs the widest accelerated width the input fills.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Compute<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        where TOp : struct, IAccumulateOperator
    {
        if (a.Length != b.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }

        if (Vector512.IsHardwareAccelerated && a.Length >= Vector512<float>.Count)
        {
            return Sum512<TOp>(a, b);
        }

        if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<float>.Count)
        {
            return Sum256<TOp>(a, b);
        }

        if (Vector128.IsHardwareAccelerated && a.Length >= Vector128<float>.Count)
        {
            return Sum128<TOp>(a, b);
        }

        return SumScalar<TOp>(a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum512<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        where TOp : struct, IAccumulateOperator
    {
        Debug.Assert(a.Length == b.Length);
        Debug.Assert(a.Length >= Vector512<float>.Count);

        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint width = (nuint)Vector512<float>.Count;
        nuint i = 0;

        Vector512<float> acc0 = Vector512<float>.Zero;
        Vector512<float> acc1 = Vector512<float>.Zero;
        Vector512<float> acc2 = Vector512<float>.Zero;
        Vector512<float> acc3 = Vector512<float>.Zero;

        for (; i + (4 * width) <= length; i += 4 * width)
        {
            acc0 = TOp.Accumulate(Vector512.LoadUnsafe(ref pa, i), Vector512.LoadUnsafe(ref pb, i), acc0);
            acc1 = TOp.Accumulate(Vector512.LoadUnsafe(ref pa, i + width), Vector512.LoadUnsafe(ref pb, i + width), acc1);
            acc2 = TOp.Accumulate(Vector512.LoadUnsafe(ref pa, i + (2 * width)), Vector512.LoadUnsafe(ref pb, i + (2 * width)), acc2);
            acc3 = TOp.Accumulate(Vector512.LoadUnsafe(ref pa, i + (3 * width)), Vector512.LoadUnsafe(ref pb, i + (3 * width)), acc3);
        }

        for (; i + width <= length; i += width)
        {
            acc0 = TOp.Accumulate(Vector512.LoadUnsafe(ref pa, i), Vector512.LoadUnsafe(ref pb, i), acc0);
        }

        if (i != length)
        {
            // Re-read the last full vector; lanes below (i - last) were already counted, so keep the old accumulator there.
            nuint last = length - width;
            Vector512<float> fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create((int)(i - last))).AsSingle();
            Vector512<float> next = TOp.Accumulate(Vector512.LoadUnsafe(ref pa, last), Vector512.LoadUnsafe(ref pb, last), acc1);
            acc1 = Vector512.ConditionalSelect(fresh, next, acc1);
        }

        return Vector512.Sum((acc0 + acc1) + (acc2 + acc3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum256<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        where TOp : struct, IAccumulateOperator
    {
        Debug.Assert(a.Length == b.Length);
        Debug.Assert(a.Length >= Vector256<float>.Count);

        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint width = (nuint)Vector256<float>.Count;
        nuint i = 0;

        Vector256<float> acc0 = Vector256<float>.Zero;
        Vector256<float> acc1 = Vector256<float>.Zero;
        Vector256<float> acc2 = Vector256<float>.Zero;
        Vector256<float> acc3 = Vector256<float>.Zero;

        for (; i + (4 * width) <= length; i += 4 * width)
        {
            acc0 = TOp.Accumulate(Vector256.LoadUnsafe(ref pa, i), Vector256.LoadUnsafe(ref pb, i), acc0);
            acc1 = TOp.Accumulate(Vector256.LoadUnsafe(ref pa, i + width), Vector256.LoadUnsafe(ref pb, i + width), acc1);
            acc2 = TOp.Accumulate(Vector256.LoadUnsafe(ref pa, i + (2 * width)), Vector256.LoadUnsafe(ref pb, i + (2 * width)), acc2);
            acc3 = TOp.Accumulate(Vector256.LoadUnsafe(ref pa, i + (3 * width)), Vector256.LoadUnsafe(ref pb, i + (3 * width)), acc3);
        }

        for (; i + width <= length; i += width)
        {
            acc0 = TOp.Accumulate(Vector256.LoadUnsafe(ref pa, i), Vector256.LoadUnsafe(ref pb, i), acc0);
        }

        if (i != length)
        {
            nuint last = length - width;
            Vector256<float> fresh = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create((int)(i - last))).AsSingle();
            Vector256<float> next = TOp.Accumulate(Vector256.LoadUnsafe(ref pa, last), Vector256.LoadUnsafe(ref pb, last), acc1);
            acc1 = Vector256.ConditionalSelect(fresh, next, acc1);
        }

        return Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum128<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        where TOp : struct, IAccumulateOperator
    {
        Debug.Assert(a.Length == b.Length);
        Debug.Assert(a.Length >= Vector128<float>.Count);

        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint width = (nuint)Vector128<float>.Count;
        nuint i = 0;

        Vector128<float> acc0 = Vector128<float>.Zero;
        Vector128<float> acc1 = Vector128<float>.Zero;
        Vector128<float> acc2 = Vector128<float>.Zero;
        Vector128<float> acc3 = Vector128<float>.Zero;

        for (; i + (4 * width) <= length; i += 4 * width)
        {
            acc0 = TOp.Accumulate(Vector128.LoadUnsafe(ref pa, i), Vector128.LoadUnsafe(ref pb, i), acc0);
            acc1 = TOp.Accumulate(Vector128.LoadUnsafe(ref pa, i + width), Vector128.LoadUnsafe(ref pb, i + width), acc1);
            acc2 = TOp.Accumulate(Vector128.LoadUnsafe(ref pa, i + (2 * width)), Vector128.LoadUnsafe(ref pb, i + (2 * width)), acc2);
            acc3 = TOp.Accumulate(Vector128.LoadUnsafe(ref pa, i + (3 * width)), Vector128.LoadUnsafe(ref pb, i + (3 * width)), acc3);
        }

        for (; i + width <= length; i += width)
        {
            acc0 = TOp.Accumulate(Vector128.LoadUnsafe(ref pa, i), Vector128.LoadUnsafe(ref pb, i), acc0);
        }

        if (i != length)
        {
            nuint last = length - width;
            Vector128<float> fresh = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create((int)(i - last))).AsSingle();
            Vector128<float> next = TOp.Accumulate(Vector128.LoadUnsafe(ref pa, last), Vector128.LoadUnsafe(ref pb, last), acc1);
            acc1 = Vector128.ConditionalSelect(fresh, next, acc1);
        }

        return Vector128.Sum((acc0 + acc1) + (acc2 + acc3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SumScalar<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        where TOp : struct, IAccumulateOperator
    {
        Debug.Assert(a.Length == b.Length);

        // Only short inputs reach here on SIMD hardware, so the plain indexed loop (bounds checks elided) is enough.
        float acc = 0f;
        for (int i = 0; i < a.Length && i < b.Length; i++)
        {
            acc = TOp.Accumulate(a[i], b[i], acc);
        }

        return acc;
    }
}
