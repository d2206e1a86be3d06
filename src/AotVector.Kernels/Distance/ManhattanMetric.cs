using System.Runtime.CompilerServices;

namespace AotVector.Kernels.Distance;

/// <summary>Manhattan: similarity is the negated L1 distance; the score is the distance.</summary>
public readonly struct ManhattanMetric : IDistanceMetric
{
    public static Common.Model.Distance Kind => Common.Model.Distance.Manhattan;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => -L1.Compute(a, b);

    public static void Preprocess(Span<float> vector)
    {
        // Stored as given.
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Postprocess(float score) => MathF.Abs(score);
}
