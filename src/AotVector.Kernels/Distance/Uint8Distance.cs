using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AotVector.Kernels.Distance;

/// <summary>
/// Distance kernels over uint8 vectors (values 0..255, both sides, as the reference scores a uint8 store: the query is
/// converted to uint8 first). Sums are exact integers, converted to float once, so every width returns the same value.
/// </summary>
/// <remarks>
/// <para>Each per-element term (a·b, (a−b)², |a−b|) is at most 255² and fits 16 bits, so a block is widened once to
/// 16 bits, the terms computed there, then widened to 32-bit accumulators. Sums fit a <c>uint</c> up to 66,052
/// dimensions (255² × 66,052 &lt; 2³²), beyond the 65,536 a vector may have.</para>
/// <para>The widest accelerated width takes whole blocks, each narrower one at most one more block, and a scalar loop
/// the last few bytes. SAFETY (all block loops): a load at i reads [i, i + Count) and runs only while
/// i + Count &lt;= length, the common length of both spans.</para>
/// </remarks>
public static class Uint8Distance
{
    public static uint Dot(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Sum<DotTerm>(a, b);

    public static uint SquaredL2(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Sum<SquareTerm>(a, b);

    public static uint L1(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Sum<AbsTerm>(a, b);

    /// <summary>
    /// <c>a·b / sqrt(|a|² |b|²)</c> over the raw values (a uint8 store is not normalized), 0 when either is all zeros,
    /// computed in float from exact integer sums as the reference does.
    /// </summary>
    public static float Cosine(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        uint dot = Dot(a, b);
        uint normA = Dot(a, a);
        uint normB = Dot(b, b);
        return normA == 0 || normB == 0 ? 0f : dot / MathF.Sqrt((float)normA * normB);
    }

    /// <summary>
    /// Converts each value as the reference does (Rust's saturating <c>as u8</c>): the fraction is dropped, values
    /// below 0 and NaN become 0, values above 255 become 255.
    /// </summary>
    public static void Encode(ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (source.Length != destination.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }

        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = ToByte(source[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ToByte(float value) => value >= 255f ? (byte)255 : value > 0f ? (byte)value : (byte)0;

    /// <summary>The stored values as float32 (exact).</summary>
    public static void Decode(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }

        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    // Fixed widths (512, 256, 128, or 0 for scalar only) for tests.
    internal static uint DotPath(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int width) => Path<DotTerm>(a, b, width);

    internal static uint SquaredL2Path(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int width) => Path<SquareTerm>(a, b, width);

    internal static uint L1Path(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int width) => Path<AbsTerm>(a, b, width);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Sum<TTerm>(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        where TTerm : struct, ITerm
    {
        if (a.Length != b.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }

        ref byte pa = ref MemoryMarshal.GetReference(a);
        ref byte pb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        uint sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            sum += Sum512<TTerm>(ref pa, ref pb, length, ref i);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            sum += Sum256<TTerm>(ref pa, ref pb, length, ref i);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            sum += Sum128<TTerm>(ref pa, ref pb, length, ref i);
        }

        return sum + SumScalar<TTerm>(ref pa, ref pb, length, i);
    }

    private static uint Path<TTerm>(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int width)
        where TTerm : struct, ITerm
    {
        if (a.Length != b.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }

        ref byte pa = ref MemoryMarshal.GetReference(a);
        ref byte pb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        uint sum = width switch
        {
            512 => Sum512<TTerm>(ref pa, ref pb, length, ref i),
            256 => Sum256<TTerm>(ref pa, ref pb, length, ref i),
            128 => Sum128<TTerm>(ref pa, ref pb, length, ref i),
            _ => 0u,
        };
        return sum + SumScalar<TTerm>(ref pa, ref pb, length, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Sum512<TTerm>(ref byte pa, ref byte pb, nuint length, ref nuint i)
        where TTerm : struct, ITerm
    {
        nuint width = (nuint)Vector512<byte>.Count;
        Vector512<uint> acc0 = Vector512<uint>.Zero;
        Vector512<uint> acc1 = Vector512<uint>.Zero;
        for (; i + width <= length; i += width)
        {
            var (alo, ahi) = Vector512.Widen(Vector512.LoadUnsafe(ref pa, i));
            var (blo, bhi) = Vector512.Widen(Vector512.LoadUnsafe(ref pb, i));
            var (t0, t1) = Vector512.Widen(TTerm.Of(alo, blo));
            var (t2, t3) = Vector512.Widen(TTerm.Of(ahi, bhi));
            acc0 += t0 + t2;
            acc1 += t1 + t3;
        }

        return Vector512.Sum(acc0 + acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Sum256<TTerm>(ref byte pa, ref byte pb, nuint length, ref nuint i)
        where TTerm : struct, ITerm
    {
        nuint width = (nuint)Vector256<byte>.Count;
        Vector256<uint> acc0 = Vector256<uint>.Zero;
        Vector256<uint> acc1 = Vector256<uint>.Zero;
        for (; i + width <= length; i += width)
        {
            var (alo, ahi) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, i));
            var (blo, bhi) = Vector256.Widen(Vector256.LoadUnsafe(ref pb, i));
            var (t0, t1) = Vector256.Widen(TTerm.Of(alo, blo));
            var (t2, t3) = Vector256.Widen(TTerm.Of(ahi, bhi));
            acc0 += t0 + t2;
            acc1 += t1 + t3;
        }

        return Vector256.Sum(acc0 + acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Sum128<TTerm>(ref byte pa, ref byte pb, nuint length, ref nuint i)
        where TTerm : struct, ITerm
    {
        nuint width = (nuint)Vector128<byte>.Count;
        Vector128<uint> acc0 = Vector128<uint>.Zero;
        Vector128<uint> acc1 = Vector128<uint>.Zero;
        for (; i + width <= length; i += width)
        {
            var (alo, ahi) = Vector128.Widen(Vector128.LoadUnsafe(ref pa, i));
            var (blo, bhi) = Vector128.Widen(Vector128.LoadUnsafe(ref pb, i));
            var (t0, t1) = Vector128.Widen(TTerm.Of(alo, blo));
            var (t2, t3) = Vector128.Widen(TTerm.Of(ahi, bhi));
            acc0 += t0 + t2;
            acc1 += t1 + t3;
        }

        return Vector128.Sum(acc0 + acc1);
    }

    private static uint SumScalar<TTerm>(ref byte pa, ref byte pb, nuint length, nuint i)
        where TTerm : struct, ITerm
    {
        uint sum = 0;
        for (; i < length; i++)
        {
            sum += TTerm.Of(Unsafe.Add(ref pa, i), Unsafe.Add(ref pb, i));
        }

        return sum;
    }

    /// <summary>One element's term, at most 255², on 16-bit lanes (exact: no term overflows).</summary>
    private interface ITerm
    {
        static abstract uint Of(uint a, uint b);

        static abstract Vector128<ushort> Of(Vector128<ushort> a, Vector128<ushort> b);

        static abstract Vector256<ushort> Of(Vector256<ushort> a, Vector256<ushort> b);

        static abstract Vector512<ushort> Of(Vector512<ushort> a, Vector512<ushort> b);
    }

    private readonly struct DotTerm : ITerm
    {
        public static uint Of(uint a, uint b) => a * b;

        public static Vector128<ushort> Of(Vector128<ushort> a, Vector128<ushort> b) => a * b;

        public static Vector256<ushort> Of(Vector256<ushort> a, Vector256<ushort> b) => a * b;

        public static Vector512<ushort> Of(Vector512<ushort> a, Vector512<ushort> b) => a * b;
    }

    // |a - b| of unsigned lanes is max - min.
    private readonly struct SquareTerm : ITerm
    {
        public static uint Of(uint a, uint b) => (a - b) * (a - b);

        public static Vector128<ushort> Of(Vector128<ushort> a, Vector128<ushort> b)
        {
            var d = Vector128.Max(a, b) - Vector128.Min(a, b);
            return d * d;
        }

        public static Vector256<ushort> Of(Vector256<ushort> a, Vector256<ushort> b)
        {
            var d = Vector256.Max(a, b) - Vector256.Min(a, b);
            return d * d;
        }

        public static Vector512<ushort> Of(Vector512<ushort> a, Vector512<ushort> b)
        {
            var d = Vector512.Max(a, b) - Vector512.Min(a, b);
            return d * d;
        }
    }

    private readonly struct AbsTerm : ITerm
    {
        public static uint Of(uint a, uint b) => a > b ? a - b : b - a;

        public static Vector128<ushort> Of(Vector128<ushort> a, Vector128<ushort> b) => Vector128.Max(a, b) - Vector128.Min(a, b);

        public static Vector256<ushort> Of(Vector256<ushort> a, Vector256<ushort> b) => Vector256.Max(a, b) - Vector256.Min(a, b);

        public static Vector512<ushort> Of(Vector512<ushort> a, Vector512<ushort> b) => Vector512.Max(a, b) - Vector512.Min(a, b);
    }
}
