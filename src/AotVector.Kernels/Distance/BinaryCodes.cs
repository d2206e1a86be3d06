using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AotVector.Kernels.Distance;

/// <summary>
/// Popcount kernels over binary-quantized vectors, one bit per (extended) dimension packed into 64-bit words.
/// <see cref="XorPopCount"/> is the number of differing bits of two codes (their Hamming distance);
/// <see cref="XorPopCountWeighted"/> scores codes against a query quantized to <c>bits</c> bits per dimension and
/// stored transposed: for data word <c>w</c>, query words <c>w·bits + b</c> hold bit <c>b</c> of the query's 64 values,
/// so the result is <c>Σ_w Σ_b popcount(data[w] ^ query[w·bits + b]) · 2^b</c>, that is, per dimension the query's
/// value where the data bit is 0 and its complement where it is 1. Both are exact integers on every path.
/// </summary>
/// <remarks>
/// <para>.NET exposes no 512-bit or 256-bit population count on x86 (VPOPCNTQ has no intrinsic), so the vector
/// paths count each 64-bit lane with the classic SWAR reduction (pair, nibble, byte sums, then three folding
/// shifts), which is plain shifts, adds and masks at every width; the scalar path is the CPU's POPCNT.</para>
/// <para>The widest accelerated width takes whole blocks, each narrower one at most one more, and the scalar loop
/// the rest, as the other kernels do.</para>
/// </remarks>
public static class BinaryCodes
{
    private const ulong M1 = 0x5555555555555555UL;
    private const ulong M2 = 0x3333333333333333UL;
    private const ulong M4 = 0x0F0F0F0F0F0F0F0FUL;

    public static long XorPopCount(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        CheckLengths(a, b);
        ref ulong pa = ref MemoryMarshal.GetReference(a);
        ref ulong pb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        ulong sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            sum += Xor512(ref pa, ref pb, length, ref i);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            sum += Xor256(ref pa, ref pb, length, ref i);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            sum += Xor128(ref pa, ref pb, length, ref i);
        }

        return (long)(sum + XorScalar(ref pa, ref pb, length, i));
    }

    /// <summary>
    /// The weighted count of <paramref name="data"/> against a transposed <paramref name="query"/> of
    /// <paramref name="bits"/> (4 or 8) words per data word.
    /// </summary>
    public static long XorPopCountWeighted(ReadOnlySpan<ulong> data, ReadOnlySpan<ulong> query, int bits)
    {
        CheckWeighted(data, query, bits);
        ref ulong pd = ref MemoryMarshal.GetReference(data);
        ref ulong pq = ref MemoryMarshal.GetReference(query);
        nuint length = (nuint)query.Length;
        nuint j = 0;
        ulong sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            sum += Weighted512(ref pd, ref pq, length, bits, ref j);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            sum += Weighted256(ref pd, ref pq, length, bits, ref j);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            sum += Weighted128(ref pd, ref pq, length, bits, ref j);
        }

        return (long)(sum + WeightedScalar(ref pd, ref pq, length, bits, j));
    }

    // One fixed width plus the scalar tail, so tests can check each width against the oracle on any machine.
    internal static long XorPopCountPath(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, int width)
    {
        CheckLengths(a, b);
        ref ulong pa = ref MemoryMarshal.GetReference(a);
        ref ulong pb = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;
        nuint i = 0;
        ulong sum = width switch
        {
            512 => Xor512(ref pa, ref pb, length, ref i),
            256 => Xor256(ref pa, ref pb, length, ref i),
            128 => Xor128(ref pa, ref pb, length, ref i),
            _ => 0,
        };
        return (long)(sum + XorScalar(ref pa, ref pb, length, i));
    }

    internal static long XorPopCountWeightedPath(ReadOnlySpan<ulong> data, ReadOnlySpan<ulong> query, int bits, int width)
    {
        CheckWeighted(data, query, bits);
        ref ulong pd = ref MemoryMarshal.GetReference(data);
        ref ulong pq = ref MemoryMarshal.GetReference(query);
        nuint length = (nuint)query.Length;
        nuint j = 0;
        ulong sum = width switch
        {
            512 => Weighted512(ref pd, ref pq, length, bits, ref j),
            256 => Weighted256(ref pd, ref pq, length, bits, ref j),
            128 => Weighted128(ref pd, ref pq, length, bits, ref j),
            _ => 0,
        };
        return (long)(sum + WeightedScalar(ref pd, ref pq, length, bits, j));
    }

    private static void CheckLengths(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length != b.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }
    }

    private static void CheckWeighted(ReadOnlySpan<ulong> data, ReadOnlySpan<ulong> query, int bits)
    {
        if (bits is not (4 or 8))
        {
            ThrowHelper.ThrowQueryBits();
        }

        if ((long)data.Length * bits != query.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }
    }

    // Bits set in each 64-bit lane (each lane's count ends up in its low 7 bits).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> PopCount(Vector512<ulong> x)
    {
        x -= (x >>> 1) & Vector512.Create(M1);
        x = (x & Vector512.Create(M2)) + ((x >>> 2) & Vector512.Create(M2));
        x = (x + (x >>> 4)) & Vector512.Create(M4);
        x += x >>> 8;
        x += x >>> 16;
        x += x >>> 32;
        return x & Vector512.Create(0x7FUL);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> PopCount(Vector256<ulong> x)
    {
        x -= (x >>> 1) & Vector256.Create(M1);
        x = (x & Vector256.Create(M2)) + ((x >>> 2) & Vector256.Create(M2));
        x = (x + (x >>> 4)) & Vector256.Create(M4);
        x += x >>> 8;
        x += x >>> 16;
        x += x >>> 32;
        return x & Vector256.Create(0x7FUL);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> PopCount(Vector128<ulong> x)
    {
        x -= (x >>> 1) & Vector128.Create(M1);
        x = (x & Vector128.Create(M2)) + ((x >>> 2) & Vector128.Create(M2));
        x = (x + (x >>> 4)) & Vector128.Create(M4);
        x += x >>> 8;
        x += x >>> 16;
        x += x >>> 32;
        return x & Vector128.Create(0x7FUL);
    }

    // SAFETY (all block loops): a load at i reads [i, i + Count) and runs only while i + Count <= length, the length
    // of the span it reads (the data span, for the data word broadcast, is length / bits words long).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Xor512(ref ulong pa, ref ulong pb, nuint length, ref nuint i)
    {
        nuint width = (nuint)Vector512<ulong>.Count;
        var acc = Vector512<ulong>.Zero;
        for (; i + width <= length; i += width)
        {
            acc += PopCount(Vector512.LoadUnsafe(ref pa, i) ^ Vector512.LoadUnsafe(ref pb, i));
        }

        return Vector512.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Xor256(ref ulong pa, ref ulong pb, nuint length, ref nuint i)
    {
        nuint width = (nuint)Vector256<ulong>.Count;
        var acc = Vector256<ulong>.Zero;
        for (; i + width <= length; i += width)
        {
            acc += PopCount(Vector256.LoadUnsafe(ref pa, i) ^ Vector256.LoadUnsafe(ref pb, i));
        }

        return Vector256.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Xor128(ref ulong pa, ref ulong pb, nuint length, ref nuint i)
    {
        nuint width = (nuint)Vector128<ulong>.Count;
        var acc = Vector128<ulong>.Zero;
        for (; i + width <= length; i += width)
        {
            acc += PopCount(Vector128.LoadUnsafe(ref pa, i) ^ Vector128.LoadUnsafe(ref pb, i));
        }

        return Vector128.Sum(acc);
    }

    private static ulong XorScalar(ref ulong pa, ref ulong pb, nuint length, nuint i)
    {
        ulong sum = 0;
        for (; i < length; i++)
        {
            sum += (ulong)BitOperations.PopCount(Unsafe.Add(ref pa, i) ^ Unsafe.Add(ref pb, i));
        }

        return sum;
    }

    // The weighted loops walk the query in blocks of one vector. When a block is no wider than `bits` its lanes
    // all pair with one data word and carry consecutive bit positions starting at j % bits: the block is shifted by
    // that start as it is added, and lane l's own weight 2^l is applied once at the end. The one wider case (8 lanes,
    // 4 bits) pairs each half with its own data word and lane l carries bit l % 4.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Weighted512(ref ulong pd, ref ulong pq, nuint length, int bits, ref nuint j)
    {
        nuint width = (nuint)Vector512<ulong>.Count;
        var acc = Vector512<ulong>.Zero;
        if ((nuint)bits >= width)
        {
            for (; j + width <= length; j += width)
            {
                var word = Vector512.Create(Unsafe.Add(ref pd, j / (nuint)bits));
                acc += PopCount(word ^ Vector512.LoadUnsafe(ref pq, j)) << (int)(j % (nuint)bits);
            }

            return LaneWeighted(acc.GetLower(), 0) + LaneWeighted(acc.GetUpper(), 4);
        }

        for (; j + width <= length; j += width)
        {
            nuint w = j / (nuint)bits;
            var words = Vector512.Create(Vector256.Create(Unsafe.Add(ref pd, w)), Vector256.Create(Unsafe.Add(ref pd, w + 1)));
            acc += PopCount(words ^ Vector512.LoadUnsafe(ref pq, j));
        }

        return LaneWeighted(acc.GetLower() + acc.GetUpper(), 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Weighted256(ref ulong pd, ref ulong pq, nuint length, int bits, ref nuint j)
    {
        nuint width = (nuint)Vector256<ulong>.Count;
        var acc = Vector256<ulong>.Zero;
        for (; j + width <= length; j += width)
        {
            var word = Vector256.Create(Unsafe.Add(ref pd, j / (nuint)bits));
            acc += PopCount(word ^ Vector256.LoadUnsafe(ref pq, j)) << (int)(j % (nuint)bits);
        }

        return LaneWeighted(acc, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Weighted128(ref ulong pd, ref ulong pq, nuint length, int bits, ref nuint j)
    {
        nuint width = (nuint)Vector128<ulong>.Count;
        var acc = Vector128<ulong>.Zero;
        for (; j + width <= length; j += width)
        {
            var word = Vector128.Create(Unsafe.Add(ref pd, j / (nuint)bits));
            acc += PopCount(word ^ Vector128.LoadUnsafe(ref pq, j)) << (int)(j % (nuint)bits);
        }

        return acc.GetElement(0) + (acc.GetElement(1) << 1);
    }

    // Lane l of a 4-lane accumulator weighted by 2^(first + l).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LaneWeighted(Vector256<ulong> acc, int first) =>
        (acc.GetElement(0) << first) + (acc.GetElement(1) << (first + 1)) + (acc.GetElement(2) << (first + 2)) + (acc.GetElement(3) << (first + 3));

    private static ulong WeightedScalar(ref ulong pd, ref ulong pq, nuint length, int bits, nuint j)
    {
        ulong sum = 0;
        for (; j < length; j++)
        {
            var word = Unsafe.Add(ref pd, j / (nuint)bits);
            sum += (ulong)BitOperations.PopCount(word ^ Unsafe.Add(ref pq, j)) << (int)(j % (nuint)bits);
        }

        return sum;
    }
}
