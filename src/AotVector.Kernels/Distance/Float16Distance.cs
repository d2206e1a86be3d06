namespace AotVector.Kernels.Distance;

/// <summary>
/// Distance kernels over float16 vectors (both sides half precision, as the reference scores a float16 store: the
/// query is rounded to float16 first). Each element is widened to float32 exactly and the sums run in float32.
/// </summary>
public static class Float16Distance
{
    public static float Dot(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b) => HalfPairwiseSum.Compute<Distance.Dot.Op>(a, b);

    public static float SquaredL2(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b) => HalfPairwiseSum.Compute<Distance.SquaredL2.Op>(a, b);

    public static float L1(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b) => HalfPairwiseSum.Compute<Distance.L1.Op>(a, b);

    /// <summary>Rounds each value to the nearest float16 (ties to even; beyond ±65504 to infinity), as the reference stores them.</summary>
    public static void Encode(ReadOnlySpan<float> source, Span<Half> destination)
    {
        if (source.Length != destination.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }

        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (Half)source[i];
        }
    }

    /// <summary>The stored values widened to float32 (exact).</summary>
    public static void Decode(ReadOnlySpan<Half> source, Span<float> destination)
    {
        if (source.Length != destination.Length)
        {
            ThrowHelper.ThrowLengthMismatch();
        }

        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }

    // Fixed widths (512, 256, 128, or 0 for scalar only) for tests.
    internal static float DotPath(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b, int width) => HalfPairwiseSum.Path<Distance.Dot.Op>(a, b, width);

    internal static float SquaredL2Path(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b, int width) => HalfPairwiseSum.Path<Distance.SquaredL2.Op>(a, b, width);

    internal static float L1Path(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b, int width) => HalfPairwiseSum.Path<Distance.L1.Op>(a, b, width);
}
