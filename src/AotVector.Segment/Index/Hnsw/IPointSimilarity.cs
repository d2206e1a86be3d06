using AotVector.Common.Model;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// How the graph compares two points: one vector each (<see cref="DenseSimilarity{TMetric}"/>, and for float16 and
/// uint8 stores <see cref="HalfSimilarity{TMetric}"/> and <see cref="ByteSimilarity{TMetric}"/>), or several rows each
/// compared by MaxSim (<see cref="MaxSimSimilarity{TMetric}"/>). Static, so the graph, generic over a struct
/// implementing it, calls the kernel directly: the dense path inlines exactly as it did over the metric alone.
/// </summary>
/// <remarks>
/// Both sides are stored records: the bytes of <see cref="Datatype"/> values. A query is converted to the store's
/// datatype first (<see cref="Vectors.VectorCodec.Encode"/>), as the reference scores a float16 or uint8 store.
/// </remarks>
internal interface IPointSimilarity
{
    static abstract Distance Kind { get; }

    /// <summary>Whether a point is rows of the dimension back to back (any positive count) rather than one vector.</summary>
    static abstract bool IsMulti { get; }

    /// <summary>How the values of both records are stored.</summary>
    static abstract VectorDatatype Datatype { get; }

    /// <summary>Raw score of <paramref name="stored"/> for <paramref name="query"/>, greater is closer (not symmetric for MaxSim).</summary>
    static abstract float Similarity(ReadOnlySpan<byte> query, ReadOnlySpan<byte> stored, int dimension);
}
