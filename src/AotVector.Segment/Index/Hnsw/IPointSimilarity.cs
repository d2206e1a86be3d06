using AotVector.Common.Model;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// How the graph compares two points: one vector each (<see cref="DenseSimilarity{TMetric}"/>), or several rows each
/// compared by MaxSim (<see cref="MaxSimSimilarity{TMetric}"/>). Static, so the graph, generic over a struct
/// implementing it, calls the kernel directly: the dense path inlines exactly as it did over the metric alone.
/// </summary>
internal interface IPointSimilarity
{
    static abstract Distance Kind { get; }

    /// <summary>Whether a point is rows of the dimension back to back (any positive count) rather than one vector.</summary>
    static abstract bool IsMulti { get; }

    /// <summary>Raw score of <paramref name="stored"/> for <paramref name="query"/>, greater is closer (not symmetric for MaxSim).</summary>
    static abstract float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dimension);
}
