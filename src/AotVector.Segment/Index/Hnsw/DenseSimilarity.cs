using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>One float32 vector per point, compared by the metric.</summary>
internal readonly struct DenseSimilarity<TMetric> : IPointSimilarity
    where TMetric : struct, IDistanceMetric
{
    public static Distance Kind => TMetric.Kind;

    public static bool IsMulti => false;

    public static VectorDatatype Datatype => VectorDatatype.Float32;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<byte> query, ReadOnlySpan<byte> stored, int dimension) =>
        TMetric.Similarity(MemoryMarshal.Cast<byte, float>(query), MemoryMarshal.Cast<byte, float>(stored));
}
