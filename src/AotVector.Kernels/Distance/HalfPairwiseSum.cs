using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AotVector.Kernels.Distance;

/// <summary>
/// <see cref="PairwiseSum"/> over float16 inputs: each block of halves is widened to two float32 vectors (by integer
/// bit manipulation, exact for every half including subnormals, infinities and NaN) and reduced by the same
/// <see cref="IAccumulateOperator"/> as the float kernels, so float16 scores are float32 arithmetic on the stored values.
/// </summary>
/// <remarks>
/// The widest accelerated width takes whole blocks, each narrower one at most one more block, and a scalar loop the
/// last few elements. SAFETY (all block loops): a load at i reads [i, i + Count) and runs only while
/// i + Count &lt;= length, the common length of both spans.
/// </remarks>
internal static class HalfPairwiseSum
{
    // 2^112: moves a half's exponent (bias 15) into float's (bias 127) when the half's bits sit in a float's
    // exponent and mantissa fields; the multiply also normalizes half subnormals.
    private const uint ExponentAdjust = 0x77800000;
    private const uint HalfInfinityBits = 0x7c00 << 13;
    private const uint FloatInfinityBits = 0x7f800000;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Compute<TOp>(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b)
        where TOp : struct, IAccumulateOperator
    {
        if (a.Length != b.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }

        ref ushort pa = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(a));
        ref ushort pb = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(b));
        nuint length = (nuint)a.Length;
        nuint i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated)
        {
            sum += Sum512<TOp>(ref pa, ref pb, length, ref i);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            sum += Sum256<TOp>(ref pa, ref pb, length, ref i);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            sum += Sum128<TOp>(ref pa, ref pb, length, ref i);
        }

        return sum + SumScalar<TOp>(ref pa, ref pb, length, i);
    }

    /// <summary>One fixed width plus the scalar tail (tests run each width on any machine).</summary>
    internal static float Path<TOp>(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b, int width)
        where TOp : struct, IAccumulateOperator
    {
        if (a.Length != b.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }

        ref ushort pa = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(a));
        ref ushort pb = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(b));
        nuint length = (nuint)a.Length;
        nuint i = 0;
        float sum = width switch
        {
            512 => Sum512<TOp>(ref pa, ref pb, length, ref i),
            256 => Sum256<TOp>(ref pa, ref pb, length, ref i),
            128 => Sum128<TOp>(ref pa, ref pb, length, ref i),
            _ => 0f,
        };
        return sum + SumScalar<TOp>(ref pa, ref pb, length, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ToSingle(Vector512<uint> half)
    {
        var magnitude = (half & Vector512.Create(0x7fffu)) << 13;
        var finite = (magnitude.AsSingle() * Vector512.Create(ExponentAdjust).AsSingle()).AsUInt32();
        var special = magnitude | Vector512.Create(FloatInfinityBits);
        var bits = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(magnitude, Vector512.Create(HalfInfinityBits)), special, finite);
        return (bits | ((half & Vector512.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ToSingle(Vector256<uint> half)
    {
        var magnitude = (half & Vector256.Create(0x7fffu)) << 13;
        var finite = (magnitude.AsSingle() * Vector256.Create(ExponentAdjust).AsSingle()).AsUInt32();
        var special = magnitude | Vector256.Create(FloatInfinityBits);
        var bits = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(HalfInfinityBits)), special, finite);
        return (bits | ((half & Vector256.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ToSingle(Vector128<uint> half)
    {
        var magnitude = (half & Vector128.Create(0x7fffu)) << 13;
        var finite = (magnitude.AsSingle() * Vector128.Create(ExponentAdjust).AsSingle()).AsUInt32();
        var special = magnitude | Vector128.Create(FloatInfinityBits);
        var bits = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(magnitude, Vector128.Create(HalfInfinityBits)), special, finite);
        return (bits | ((half & Vector128.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum512<TOp>(ref ushort pa, ref ushort pb, nuint length, ref nuint i)
        where TOp : struct, IAccumulateOperator
    {
        nuint width = (nuint)Vector512<ushort>.Count;
        Vector512<float> acc0 = Vector512<float>.Zero;
        Vector512<float> acc1 = Vector512<float>.Zero;
        for (; i + width <= length; i += width)
        {
            var (alo, ahi) = Vector512.Widen(Vector512.LoadUnsafe(ref pa, i));
            var (blo, bhi) = Vector512.Widen(Vector512.LoadUnsafe(ref pb, i));
            acc0 = TOp.Accumulate(ToSingle(alo), ToSingle(blo), acc0);
            acc1 = TOp.Accumulate(ToSingle(ahi), ToSingle(bhi), acc1);
        }

        return Vector512.Sum(acc0 + acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum256<TOp>(ref ushort pa, ref ushort pb, nuint length, ref nuint i)
        where TOp : struct, IAccumulateOperator
    {
        nuint width = (nuint)Vector256<ushort>.Count;
        Vector256<float> acc0 = Vector256<float>.Zero;
        Vector256<float> acc1 = Vector256<float>.Zero;
        for (; i + width <= length; i += width)
        {
            var (alo, ahi) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, i));
            var (blo, bhi) = Vector256.Widen(Vector256.LoadUnsafe(ref pb, i));
            acc0 = TOp.Accumulate(ToSingle(alo), ToSingle(blo), acc0);
            acc1 = TOp.Accumulate(ToSingle(ahi), ToSingle(bhi), acc1);
        }

        return Vector256.Sum(acc0 + acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum128<TOp>(ref ushort pa, ref ushort pb, nuint length, ref nuint i)
        where TOp : struct, IAccumulateOperator
    {
        nuint width = (nuint)Vector128<ushort>.Count;
        Vector128<float> acc0 = Vector128<float>.Zero;
        Vector128<float> acc1 = Vector128<float>.Zero;
        for (; i + width <= length; i += width)
        {
            var (alo, ahi) = Vector128.Widen(Vector128.LoadUnsafe(ref pa, i));
            var (blo, bhi) = Vector128.Widen(Vector128.LoadUnsafe(ref pb, i));
            acc0 = TOp.Accumulate(ToSingle(alo), ToSingle(blo), acc0);
            acc1 = TOp.Accumulate(ToSingle(ahi), ToSingle(bhi), acc1);
        }

        return Vector128.Sum(acc0 + acc1);
    }

    private static float SumScalar<TOp>(ref ushort pa, ref ushort pb, nuint length, nuint i)
        where TOp : struct, IAccumulateOperator
    {
        float acc = 0f;
        for (; i < length; i++)
        {
            acc = TOp.Accumulate((float)BitConverter.UInt16BitsToHalf(Unsafe.Add(ref pa, i)), (float)BitConverter.UInt16BitsToHalf(Unsafe.Add(ref pb, i)), acc);
        }

        return acc;
    }
}
