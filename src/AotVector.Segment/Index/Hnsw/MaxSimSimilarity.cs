using AotVector.Common.Model;
using AotVector.Segment.Vectors;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Rows per point, compared by MaxSim with the first point as the query, as the reference's multivector graph does
/// both when linking (the inserted point is the query; the heuristic scores candidate against kept neighbour) and
/// when searching. <typeparamref name="TRow"/> compares two rows: the single-vector similarity of the store's
/// datatype (<see cref="DenseSimilarity{TMetric}"/>, <see cref="HalfSimilarity{TMetric}"/>, <see cref="ByteSimilarity{TMetric}"/>).
/// </summary>
internal readonly struct MaxSimSimilarity<TRow> : IPointSimilarity
    where TRow : struct, IPointSimilarity
{
    public static Distance Kind => TRow.Kind;

    public static bool IsMulti => true;

    public static VectorDatatype Datatype => TRow.Datatype;

    public static float Similarity(ReadOnlySpan<byte> query, ReadOnlySpan<byte> stored, int dimension) =>
        MaxSim.Score<TRow>(query, stored, dimension);
}
