using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Entry points that pick the metric once, outside the hot loops: build a graph over a vector source, or open a saved one.
/// </summary>
/// <remarks>File format: see <see cref="HnswFormat"/>. A segment keeps one index per named vector, e.g. <c>hnsw-{name}.bin</c>.</remarks>
internal static class HnswIndex
{
    /// <summary>
    /// Builds the graph over offsets <c>[0, vectors.Count)</c> (already preprocessed for <paramref name="distance"/>),
    /// leaving out offsets flagged in <paramref name="exclude"/>, on up to <paramref name="threads"/> threads
    /// (Qdrant's <c>max_indexing_threads</c>; 0 means all cores).
    /// </summary>
    public static IHnswIndex Build(Distance distance, IVectorSource vectors, HnswParameters parameters, int threads = 0, bool[]? exclude = null, CancellationToken cancellationToken = default)
    {
        if (!parameters.IsValid)
        {
            ThrowHelper.ThrowArgument("Invalid HNSW parameters.", nameof(parameters));
        }

        threads = threads <= 0 ? Environment.ProcessorCount : threads;
        return distance switch
        {
            Distance.Cosine => HnswGraph<CosineMetric>.Build(vectors, parameters, threads, exclude, cancellationToken),
            Distance.Euclid => HnswGraph<EuclidMetric>.Build(vectors, parameters, threads, exclude, cancellationToken),
            Distance.Dot => HnswGraph<DotMetric>.Build(vectors, parameters, threads, exclude, cancellationToken),
            Distance.Manhattan => HnswGraph<ManhattanMetric>.Build(vectors, parameters, threads, exclude, cancellationToken),
        };
    }

    /// <summary>
    /// Opens a graph saved with <see cref="IHnswIndex.Save"/> without rebuilding it. Fails with NotFound when the file
    /// is missing, DataLoss when it is damaged, Internal when it belongs to another distance or dimension.
    /// </summary>
    public static Result<IHnswIndex> Open(string path, Distance distance, IVectorSource vectors) => distance switch
    {
        Distance.Cosine => Widen(HnswGraph<CosineMetric>.Open(path, vectors)),
        Distance.Euclid => Widen(HnswGraph<EuclidMetric>.Open(path, vectors)),
        Distance.Dot => Widen(HnswGraph<DotMetric>.Open(path, vectors)),
        Distance.Manhattan => Widen(HnswGraph<ManhattanMetric>.Open(path, vectors)),
    };

    private static Result<IHnswIndex> Widen<TMetric>(Result<HnswGraph<TMetric>> result)
        where TMetric : struct, IDistanceMetric
        => result.TryGet(out var graph, out var error) ? graph : error;
}
