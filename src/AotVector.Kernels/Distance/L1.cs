using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AotVector.Kernels.Distance;

/// <summary>Manhattan distance <c>sum(|a[i] - b[i]|)</c>.</summary>
/// <remarks>
/// Vector512 → Vector256 → Vector128 → scalar: the widest accelerated width the input fills is used.
/// Results may differ in the last bits between paths (summation order, FMA); each path is tested against
/// a double-precision oracle.
/// </remarks>
public static class L1
{
    public static float Compute(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseSum.Compute<Op>(a, b);

    // The fixed-width paths are internal so tests can run each one against the oracle on any machine
    // (a non-accelerated width still runs, in software). They require equal lengths >= that width's Count.
    internal static float ComputeVector512(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseSum.Sum512<Op>(a, b);

    internal static float ComputeVector256(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseSum.Sum256<Op>(a, b);

    internal static float ComputeVector128(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseSum.Sum128<Op>(a, b);

    internal static float ComputeScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseSum.SumScalar<Op>(a, b);

    /// <summary>acc + |a-b|.</summary>
    internal readonly struct Op : IAccumulateOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Accumulate(float a, float b, float acc) => MathF.Abs(a - b) + acc;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Accumulate(Vector128<float> a, Vector128<float> b, Vector128<float> acc) => Vector128.Abs(a - b) + acc;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Accumulate(Vector256<float> a, Vector256<float> b, Vector256<float> acc) => Vector256.Abs(a - b) + acc;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Accumulate(Vector512<float> a, Vector512<float> b, Vector512<float> acc) => Vector512.Abs(a - b) + acc;
    }
}
