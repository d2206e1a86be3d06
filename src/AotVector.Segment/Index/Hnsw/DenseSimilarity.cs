using System.Runtime.CompilerServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>One vector per point, compared by the metric.</summary>
internal readonly struct DenseSimilarity<TMetric> : IPointSimilarity
    where TMetric : struct, IDistanceMetric
{
    public static Distance Kind => TMetric.Kind;

    public static bool IsMulti => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dimension) => TMetric.Similarity(query, stored);
}
