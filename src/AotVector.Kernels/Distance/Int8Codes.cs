using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AotVector.Kernels.Distance;

/// <summary>
/// Integer kernels over scalar-quantized vectors: 7-bit codes in <c>[0, 127]</c> stored one per byte.
/// <see cref="Dot"/> is <c>sum(a[i] * b[i])</c> (Dot, Cosine and Euclid all reduce to it after offset correction);
/// <see cref="L1"/> is <c>sum(|a[i] - b[i]|)</c> (Manhattan). Both are exact, so every path returns the same value.
/// </summary>
/// <remarks>
/// <para>Codes are at most 127, so two products of a lane pair fit in 16 bits (2 × 127² &lt; 2¹⁵): each block is
/// widened to 16 bits, multiplied, the two halves added, then widened once more into 32-bit accumulators.</para>
/// <para>The widest accelerated width takes whole blocks, each narrower one at most one more block, and a scalar
/// loop the last few bytes: stored codes are padded to a multiple of 16, so the scalar tail is only for tests and
/// odd callers. Every length must fit in an <c>int</c> sum: up to 133,000 dimensions.</para>
/// </remarks>
public static class Int8Codes
{
    /// <summary>The largest code value the kernels accept.</summary>
    public const byte MaxCode = 127;

    public static int Dot(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        CheckLengths(a, b);
        ref byte pa = ref MemoryMarshal.GetReference(a);
        ref byte pb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        int sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            sum += Dot512(ref pa, ref pb, length, ref i);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            sum += Dot256(ref pa, ref pb, length, ref i);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            sum += Dot128(ref pa, ref pb, length, ref i);
        }

        return sum + DotScalar(ref pa, ref pb, length, i);
    }

    public static int L1(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        CheckLengths(a, b);
        ref byte pa = ref MemoryMarshal.GetReference(a);
        ref byte pb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        int sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            sum += L1Of512(ref pa, ref pb, length, ref i);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            sum += L1Of256(ref pa, ref pb, length, ref i);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            sum += L1Of128(ref pa, ref pb, length, ref i);
        }

        return sum + L1Scalar(ref pa, ref pb, length, i);
    }

    // One fixed width plus the scalar tail, so tests can check each width against the oracle on any machine
    // (a width the CPU lacks still runs, in software).
    internal static int DotVector512(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Path(a, b, static (ref byte x, ref byte y, nuint n, ref nuint i) => Dot512(ref x, ref y, n, ref i), dot: true);

    internal static int DotVector256(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Path(a, b, static (ref byte x, ref byte y, nuint n, ref nuint i) => Dot256(ref x, ref y, n, ref i), dot: true);

    internal static int DotVector128(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Path(a, b, static (ref byte x, ref byte y, nuint n, ref nuint i) => Dot128(ref x, ref y, n, ref i), dot: true);

    internal static int DotScalarOnly(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Path(a, b, static (ref byte x, ref byte y, nuint n, ref nuint i) => 0, dot: true);

    internal static int L1Vector512(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Path(a, b, static (ref byte x, ref byte y, nuint n, ref nuint i) => L1Of512(ref x, ref y, n, ref i), dot: false);

    internal static int L1Vector256(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Path(a, b, static (ref byte x, ref byte y, nuint n, ref nuint i) => L1Of256(ref x, ref y, n, ref i), dot: false);

    internal static int L1Vector128(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Path(a, b, static (ref byte x, ref byte y, nuint n, ref nuint i) => L1Of128(ref x, ref y, n, ref i), dot: false);

    internal static int L1ScalarOnly(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Path(a, b, static (ref byte x, ref byte y, nuint n, ref nuint i) => 0, dot: false);

    private delegate int BlockLoop(ref byte a, ref byte b, nuint length, ref nuint i);

    private static int Path(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, BlockLoop blocks, bool dot)
    {
        CheckLengths(a, b);
        ref byte pa = ref MemoryMarshal.GetReference(a);
        ref byte pb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        int sum = blocks(ref pa, ref pb, length, ref i);
        return sum + (dot ? DotScalar(ref pa, ref pb, length, i) : L1Scalar(ref pa, ref pb, length, i));
    }

    private static void CheckLengths(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }
    }

    // SAFETY (all block loops): a load at i reads [i, i + Count) and runs only while i + Count <= length, the common
    // length of both spans, so no load leaves either span.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Dot512(ref byte pa, ref byte pb, nuint length, ref nuint i)
    {
        nuint width = (nuint)Vector512<byte>.Count;
        Vector512<uint> acc0 = Vector512<uint>.Zero;
        Vector512<uint> acc1 = Vector512<uint>.Zero;
        for (; i + width <= length; i += width)
        {
            var (alo, ahi) = Vector512.Widen(Vector512.LoadUnsafe(ref pa, i));
            var (blo, bhi) = Vector512.Widen(Vector512.LoadUnsafe(ref pb, i));
            var (slo, shi) = Vector512.Widen((alo * blo) + (ahi * bhi));
            acc0 += slo;
            acc1 += shi;
        }

        return (int)Vector512.Sum(acc0 + acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Dot256(ref byte pa, ref byte pb, nuint length, ref nuint i)
    {
        nuint width = (nuint)Vector256<byte>.Count;
        Vector256<uint> acc0 = Vector256<uint>.Zero;
        Vector256<uint> acc1 = Vector256<uint>.Zero;
        for (; i + width <= length; i += width)
        {
            var (alo, ahi) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, i));
            var (blo, bhi) = Vector256.Widen(Vector256.LoadUnsafe(ref pb, i));
            var (slo, shi) = Vector256.Widen((alo * blo) + (ahi * bhi));
            acc0 += slo;
            acc1 += shi;
        }

        return (int)Vector256.Sum(acc0 + acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Dot128(ref byte pa, ref byte pb, nuint length, ref nuint i)
    {
        nuint width = (nuint)Vector128<byte>.Count;
        Vector128<uint> acc0 = Vector128<uint>.Zero;
        Vector128<uint> acc1 = Vector128<uint>.Zero;
        for (; i + width <= length; i += width)
        {
            var (alo, ahi) = Vector128.Widen(Vector128.LoadUnsafe(ref pa, i));
            var (blo, bhi) = Vector128.Widen(Vector128.LoadUnsafe(ref pb, i));
            var (slo, shi) = Vector128.Widen((alo * blo) + (ahi * bhi));
            acc0 += slo;
            acc1 += shi;
        }

        return (int)Vector128.Sum(acc0 + acc1);
    }

    private static int DotScalar(ref byte pa, ref byte pb, nuint length, nuint i)
    {
        int sum = 0;
        for (; i < length; i++)
        {
            Debug.Assert(Unsafe.Add(ref pa, i) <= MaxCode && Unsafe.Add(ref pb, i) <= MaxCode);
            sum += Unsafe.Add(ref pa, i) * Unsafe.Add(ref pb, i);
        }

        return sum;
    }

    // |a - b| of unsigned bytes is max - min; the two halves of a widened block are at most 2 × 127 per lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int L1Of512(ref byte pa, ref byte pb, nuint length, ref nuint i)
    {
        nuint width = (nuint)Vector512<byte>.Count;
        Vector512<uint> acc0 = Vector512<uint>.Zero;
        Vector512<uint> acc1 = Vector512<uint>.Zero;
        for (; i + width <= length; i += width)
        {
            var a = Vector512.LoadUnsafe(ref pa, i);
            var b = Vector512.LoadUnsafe(ref pb, i);
            var (lo, hi) = Vector512.Widen(Vector512.Max(a, b) - Vector512.Min(a, b));
            var (slo, shi) = Vector512.Widen(lo + hi);
            acc0 += slo;
            acc1 += shi;
        }

        return (int)Vector512.Sum(acc0 + acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int L1Of256(ref byte pa, ref byte pb, nuint length, ref nuint i)
    {
        nuint width = (nuint)Vector256<byte>.Count;
        Vector256<uint> acc0 = Vector256<uint>.Zero;
        Vector256<uint> acc1 = Vector256<uint>.Zero;
        for (; i + width <= length; i += width)
        {
            var a = Vector256.LoadUnsafe(ref pa, i);
            var b = Vector256.LoadUnsafe(ref pb, i);
            var (lo, hi) = Vector256.Widen(Vector256.Max(a, b) - Vector256.Min(a, b));
            var (slo, shi) = Vector256.Widen(lo + hi);
            acc0 += slo;
            acc1 += shi;
        }

        return (int)Vector256.Sum(acc0 + acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int L1Of128(ref byte pa, ref byte pb, nuint length, ref nuint i)
    {
        nuint width = (nuint)Vector128<byte>.Count;
        Vector128<uint> acc0 = Vector128<uint>.Zero;
        Vector128<uint> acc1 = Vector128<uint>.Zero;
        for (; i + width <= length; i += width)
        {
            var a = Vector128.LoadUnsafe(ref pa, i);
            var b = Vector128.LoadUnsafe(ref pb, i);
            var (lo, hi) = Vector128.Widen(Vector128.Max(a, b) - Vector128.Min(a, b));
            var (slo, shi) = Vector128.Widen(lo + hi);
            acc0 += slo;
            acc1 += shi;
        }

        return (int)Vector128.Sum(acc0 + acc1);
    }

    private static int L1Scalar(ref byte pa, ref byte pb, nuint length, nuint i)
    {
        int sum = 0;
        for (; i < length; i++)
        {
            sum += Math.Abs(Unsafe.Add(ref pa, i) - Unsafe.Add(ref pb, i));
        }

        return sum;
    }
}
