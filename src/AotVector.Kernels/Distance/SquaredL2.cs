using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AotVector.Kernels.Distance;

/// <summary>Squared Euclidean distance <c>sum((a[i] - b[i])^2)</c>; no square root, which is monotonic and left to postprocessing.</summary>
/// <remarks>
/// Vector512 → Vector256 → Vector128 → scalar: the widest accelerated width the input fills is used.
/// Results may differ in the last bits between paths (summation order, FMA); each path is tested against
/// a double-precision oracle.
/// </remarks>
public static class SquaredL2
{
    public static float Compute(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseSum.Compute<Op>(a, b);

    // The fixed-width paths are internal so tests can run each one against the oracle on any machine
    // (a non-accelerated width still runs, in software). They require equal lengths >= that width's Count.
    internal static float ComputeVector512(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseSum.Sum512<Op>(a, b);

    internal static float ComputeVector256(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseSum.Sum256<Op>(a, b);

    internal static float ComputeVector128(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseSum.Sum128<Op>(a, b);

    internal static float ComputeScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseSum.SumScalar<Op>(a, b);

    /// <summary>acc + (a-b)^2, the square as one FMA where available.</summary>
    internal readonly struct Op : IAccumulateOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Accumulate(float a, float b, float acc)
        {
            float d = a - b;
            return (d * d) + acc;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Accumulate(Vector128<float> a, Vector128<float> b, Vector128<float> acc)
        {
            Vector128<float> d = a - b;
            return Vector128.MultiplyAddEstimate(d, d, acc);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Accumulate(Vector256<float> a, Vector256<float> b, Vector256<float> acc)
        {
            Vector256<float> d = a - b;
            return Vector256.MultiplyAddEstimate(d, d, acc);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Accumulate(Vector512<float> a, Vector512<float> b, Vector512<float> acc)
        {
            Vector512<float> d = a - b;
            return Vector512.MultiplyAddEstimate(d, d, acc);
        }
    }
}
