using System.Runtime.CompilerServices;

namespace AotVector.Kernels.Distance;

/// <summary>Euclidean: similarity is the negated squared distance (no square root in the hot loop); the score is the distance.</summary>
public readonly struct EuclidMetric : IDistanceMetric
{
    public static Common.Model.Distance Kind => Common.Model.Distance.Euclid;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => -SquaredL2.Compute(a, b);

    public static void Preprocess(Span<float> vector)
    {
        // Stored as given.
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Postprocess(float score) => MathF.Sqrt(MathF.Abs(score));
}
