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

    public static float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dimension) => MaxSim.Score<TMetric>(query, stored, dimension);
}
