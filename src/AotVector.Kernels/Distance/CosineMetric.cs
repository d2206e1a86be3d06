using System.Runtime.CompilerServices;

namespace AotVector.Kernels.Distance;

/// <summary>Cosine: vectors are normalized on insert (and queries before search), after which similarity is the dot product.</summary>
public readonly struct CosineMetric : IDistanceMetric
{
    public static Common.Model.Distance Kind => Common.Model.Distance.Cosine;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Dot.Compute(a, b);

    public static void Preprocess(Span<float> vector) => Vectors.Normalize(vector);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Postprocess(float score) => score;
}
