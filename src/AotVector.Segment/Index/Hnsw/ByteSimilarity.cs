using System.Runtime.CompilerServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// One uint8 vector per point, by the metric's exact integer kernel; Cosine divides by both norms each time, since
/// uint8 vectors are stored as given.
/// </summary>
internal readonly struct ByteSimilarity<TMetric> : IPointSimilarity
    where TMetric : struct, IDistanceMetric
{
    public static Distance Kind => TMetric.Kind;

    public static bool IsMulti => false;

    public static VectorDatatype Datatype => VectorDatatype.Uint8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<byte> query, ReadOnlySpan<byte> stored, int dimension) => TMetric.Kind switch
    {
        Distance.Cosine => Uint8Distance.Cosine(query, stored),
        Distance.Euclid => -(float)Uint8Distance.SquaredL2(query, stored),
        Distance.Manhattan => -(float)Uint8Distance.L1(query, stored),
        _ => Uint8Distance.Dot(query, stored),
    };
}
