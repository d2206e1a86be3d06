using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// One float16 vector per point, by the metric's float16 kernel: Cosine is the dot product of vectors normalized
/// before they were rounded, as for float32.
/// </summary>
internal readonly struct HalfSimilarity<TMetric> : IPointSimilarity
    where TMetric : struct, IDistanceMetric
{
    public static Distance Kind => TMetric.Kind;

    public static bool IsMulti => false;

    public static VectorDatatype Datatype => VectorDatatype.Float16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<byte> query, ReadOnlySpan<byte> stored, int dimension)
    {
        var a = MemoryMarshal.Cast<byte, Half>(query);
        var b = MemoryMarshal.Cast<byte, Half>(stored);
        return TMetric.Kind switch
        {
            Distance.Euclid => -Float16Distance.SquaredL2(a, b),
            Distance.Manhattan => -Float16Distance.L1(a, b),
            _ => Float16Distance.Dot(a, b),
        };
    }
}
