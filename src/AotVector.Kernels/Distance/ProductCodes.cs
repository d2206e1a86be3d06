using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AotVector.Kernels.Distance;

/// <summary>
/// The product-quantization score: one byte code per chunk picks that chunk's entry of a per-query lookup table laid
/// out chunk after chunk, <see cref="Centroids"/> entries each, and the score is the sum of the picked entries.
/// </summary>
/// <remarks>
/// The accelerated paths gather 8 (AVX2 <c>vgatherdps</c>) or 4 table entries at once: the codes are widened to
/// 32-bit indexes and added to each lane's chunk base. .NET exposes no AVX-512 gather, so Vector256 is the widest.
/// Sums are float and the order differs between paths, so paths agree to rounding, not bit for bit.
/// </remarks>
public static unsafe class ProductCodes
{
    /// <summary>Table entries per chunk: every byte value.</summary>
    public const int Centroids = 256;

    public static float Score(ReadOnlySpan<byte> codes, ReadOnlySpan<float> table)
    {
        CheckShape(codes, table);
        fixed (byte* c = codes)
        fixed (float* t = table)
        {
            var n = codes.Length;
            var i = 0;
            var sum = 0f;
            if (Avx2.IsSupported)
            {
                sum += Gather256(c, t, n, ref i);
                sum += Gather128(c, t, n, ref i);
            }

            return sum + ScalarFrom(c, t, n, i);
        }
    }

    // One fixed width plus the scalar tail, so tests can check each width against the oracle.
    internal static float ScorePath(ReadOnlySpan<byte> codes, ReadOnlySpan<float> table, int width)
    {
        CheckShape(codes, table);
        fixed (byte* c = codes)
        fixed (float* t = table)
        {
            var i = 0;
            var sum = width switch
            {
                256 => Gather256(c, t, codes.Length, ref i),
                128 => Gather128(c, t, codes.Length, ref i),
                _ => 0f,
            };
            return sum + ScalarFrom(c, t, codes.Length, i);
        }
    }

    private static void CheckShape(ReadOnlySpan<byte> codes, ReadOnlySpan<float> table)
    {
        if (table.Length < (long)codes.Length * Centroids)
        {
            ThrowHelper.ThrowTableShape();
        }
    }

    // Whole blocks of 8 codes, two accumulators so consecutive gathers overlap.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Gather256(byte* codes, float* table, int n, ref int i)
    {
        if (!Avx2.IsSupported || n - i < 8)
        {
            return 0f;
        }

        var lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * Centroids;
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var t = table + ((nint)i * Centroids);
        for (; i + 16 <= n; i += 16, t += 16 * Centroids)
        {
            var x0 = Avx2.ConvertToVector256Int32(codes + i) + lanes;
            var x1 = Avx2.ConvertToVector256Int32(codes + i + 8) + lanes;
            a0 += Avx2.GatherVector256(t, x0, sizeof(float));
            a1 += Avx2.GatherVector256(t + (8 * Centroids), x1, sizeof(float));
        }

        if (i + 8 <= n)
        {
            a0 += Avx2.GatherVector256(t, Avx2.ConvertToVector256Int32(codes + i) + lanes, sizeof(float));
            i += 8;
        }

        return Vector256.Sum(a0 + a1);
    }

    // At most one block of 4 codes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Gather128(byte* codes, float* table, int n, ref int i)
    {
        if (!Avx2.IsSupported || n - i < 4)
        {
            return 0f;
        }

        var lanes = Vector128.Create(0, 1, 2, 3) * Centroids;
        var sum = Vector128<float>.Zero;
        var t = table + ((nint)i * Centroids);
        for (; i + 4 <= n; i += 4, t += 4 * Centroids)
        {
            sum += Avx2.GatherVector128(t, Sse41.ConvertToVector128Int32(codes + i) + lanes, sizeof(float));
        }

        return Vector128.Sum(sum);
    }

    private static float ScalarFrom(byte* codes, float* table, int n, int i)
    {
        var sum = 0f;
        for (; i < n; i++)
        {
            sum += table[((nint)i * Centroids) + codes[i]];
        }

        return sum;
    }
}
