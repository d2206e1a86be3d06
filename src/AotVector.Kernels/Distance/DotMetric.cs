using System.Runtime.CompilerServices;

namespace AotVector.Kernels.Distance;

/// <summary>Dot product: similarity and score are the raw dot product.</summary>
public readonly struct DotMetric : IDistanceMetric
{
    public static Common.Model.Distance Kind => Common.Model.Distance.Dot;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Dot.Compute(a, b);

    public static void Preprocess(Span<float> vector)
    {
        // Stored as given.
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Postprocess(float score) => score;
}
