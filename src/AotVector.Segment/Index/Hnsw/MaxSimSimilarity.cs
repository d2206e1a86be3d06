using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Vectors;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Rows per point, compared by MaxSim with the first point as the query, as the reference's multivector graph does
/// both when linking (the inserted point is the query; the heuristic scores candidate against kept neighbour) and
/// when searching.
/// </summary>
internal readonly struct MaxSimSimilarity<TMetric> : IPointSimilarity
    where TMetric : struct, IDistanceMetric
{
    public static Distance Kind => TMetric.Kind;

    public static bool IsMulti => true;

    public static VectorDatatype Datatype => VectorDatatype.Float32;

    public static float Similarity(ReadOnlySpan<byte> query, ReadOnlySpan<byte> stored, int dimension) =>
        MaxSim.Score<TMetric>(MemoryMarshal.Cast<byte, float>(query), MemoryMarshal.Cast<byte, float>(stored), dimension);
}
