using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Entry points that pick the metric once, outside the hot loops: build a graph over a vector source, or open a saved one.
/// </summary>
/// <remarks>
/// File format: see <see cref="HnswFormat"/>. A segment keeps one index per named vector, e.g. <c>hnsw-{name}.bin</c>.
/// With <c>multi</c> the source's points are multivectors (<see cref="MultiVectorSource"/>) compared by MaxSim.
/// </remarks>
internal static class HnswIndex
{
    /// <summary>
    /// Builds the graph over offsets <c>[0, vectors.Count)</c> (already preprocessed for <paramref name="distance"/>),
    /// leaving out offsets flagged in <paramref name="exclude"/>, on up to <paramref name="threads"/> threads
    /// (Qdrant's <c>max_indexing_threads</c>; 0 means all cores).
    /// </summary>
    public static IHnswIndex Build(Distance distance, IVectorSource vectors, HnswParameters parameters, int threads = 0, bool[]? exclude = null, CancellationToken cancellationToken = default)
        => Build(distance, multi: false, vectors, parameters, threads, exclude, cancellationToken);

    /// <summary><see cref="Build(Distance, IVectorSource, HnswParameters, int, bool[], CancellationToken)"/>, over multivectors when <paramref name="multi"/>.</summary>
    /// <remarks>The source's <see cref="IVectorSource.Datatype"/> picks the kernels: float32, float16 or uint8 records.</remarks>
    public static IHnswIndex Build(Distance distance, bool multi, IVectorSource vectors, HnswParameters parameters, int threads = 0, bool[]? exclude = null, CancellationToken cancellationToken = default)
    {
        if (!parameters.IsValid)
        {
            ThrowHelper.ThrowArgument("Invalid HNSW parameters.", nameof(parameters));
        }

        threads = threads <= 0 ? Environment.ProcessorCount : threads;
        if (vectors.Datatype != VectorDatatype.Float32)
        {
            return (distance, vectors.Datatype, multi) switch
            {
                (Distance.Cosine, VectorDatatype.Float16, true) => HnswGraph<MaxSimSimilarity<HalfSimilarity<CosineMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Euclid, VectorDatatype.Float16, true) => HnswGraph<MaxSimSimilarity<HalfSimilarity<EuclidMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Dot, VectorDatatype.Float16, true) => HnswGraph<MaxSimSimilarity<HalfSimilarity<DotMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Manhattan, VectorDatatype.Float16, true) => HnswGraph<MaxSimSimilarity<HalfSimilarity<ManhattanMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Cosine, _, true) => HnswGraph<MaxSimSimilarity<ByteSimilarity<CosineMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Euclid, _, true) => HnswGraph<MaxSimSimilarity<ByteSimilarity<EuclidMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Dot, _, true) => HnswGraph<MaxSimSimilarity<ByteSimilarity<DotMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Manhattan, _, true) => HnswGraph<MaxSimSimilarity<ByteSimilarity<ManhattanMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Cosine, VectorDatatype.Float16, _) => HnswGraph<HalfSimilarity<CosineMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Euclid, VectorDatatype.Float16, _) => HnswGraph<HalfSimilarity<EuclidMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Dot, VectorDatatype.Float16, _) => HnswGraph<HalfSimilarity<DotMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Manhattan, VectorDatatype.Float16, _) => HnswGraph<HalfSimilarity<ManhattanMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Cosine, _, _) => HnswGraph<ByteSimilarity<CosineMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Euclid, _, _) => HnswGraph<ByteSimilarity<EuclidMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Dot, _, _) => HnswGraph<ByteSimilarity<DotMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
                (Distance.Manhattan, _, _) => HnswGraph<ByteSimilarity<ManhattanMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
            };
        }

        return (distance, multi) switch
        {
            (Distance.Cosine, false) => HnswGraph<DenseSimilarity<CosineMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
            (Distance.Euclid, false) => HnswGraph<DenseSimilarity<EuclidMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
            (Distance.Dot, false) => HnswGraph<DenseSimilarity<DotMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
            (Distance.Manhattan, false) => HnswGraph<DenseSimilarity<ManhattanMetric>>.Build(vectors, parameters, threads, exclude, cancellationToken),
            (Distance.Cosine, true) => HnswGraph<MaxSimSimilarity<DenseSimilarity<CosineMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
            (Distance.Euclid, true) => HnswGraph<MaxSimSimilarity<DenseSimilarity<EuclidMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
            (Distance.Dot, true) => HnswGraph<MaxSimSimilarity<DenseSimilarity<DotMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
            (Distance.Manhattan, true) => HnswGraph<MaxSimSimilarity<DenseSimilarity<ManhattanMetric>>>.Build(vectors, parameters, threads, exclude, cancellationToken),
        };
    }

    /// <summary>
    /// Opens a graph saved with <see cref="IHnswIndex.Save"/> without rebuilding it. Fails with NotFound when the file
    /// is missing, DataLoss when it is damaged, Internal when it belongs to another distance, dimension or kind of point.
    /// </summary>
    public static Result<IHnswIndex> Open(string path, Distance distance, IVectorSource vectors, bool multi = false) => (distance, multi, vectors.Datatype) switch
    {
        (Distance.Cosine, false, VectorDatatype.Float16) => Widen(HnswGraph<HalfSimilarity<CosineMetric>>.Open(path, vectors)),
        (Distance.Euclid, false, VectorDatatype.Float16) => Widen(HnswGraph<HalfSimilarity<EuclidMetric>>.Open(path, vectors)),
        (Distance.Dot, false, VectorDatatype.Float16) => Widen(HnswGraph<HalfSimilarity<DotMetric>>.Open(path, vectors)),
        (Distance.Manhattan, false, VectorDatatype.Float16) => Widen(HnswGraph<HalfSimilarity<ManhattanMetric>>.Open(path, vectors)),
        (Distance.Cosine, false, VectorDatatype.Uint8) => Widen(HnswGraph<ByteSimilarity<CosineMetric>>.Open(path, vectors)),
        (Distance.Euclid, false, VectorDatatype.Uint8) => Widen(HnswGraph<ByteSimilarity<EuclidMetric>>.Open(path, vectors)),
        (Distance.Dot, false, VectorDatatype.Uint8) => Widen(HnswGraph<ByteSimilarity<DotMetric>>.Open(path, vectors)),
        (Distance.Manhattan, false, VectorDatatype.Uint8) => Widen(HnswGraph<ByteSimilarity<ManhattanMetric>>.Open(path, vectors)),
        (Distance.Cosine, true, VectorDatatype.Float16) => Widen(HnswGraph<MaxSimSimilarity<HalfSimilarity<CosineMetric>>>.Open(path, vectors)),
        (Distance.Euclid, true, VectorDatatype.Float16) => Widen(HnswGraph<MaxSimSimilarity<HalfSimilarity<EuclidMetric>>>.Open(path, vectors)),
        (Distance.Dot, true, VectorDatatype.Float16) => Widen(HnswGraph<MaxSimSimilarity<HalfSimilarity<DotMetric>>>.Open(path, vectors)),
        (Distance.Manhattan, true, VectorDatatype.Float16) => Widen(HnswGraph<MaxSimSimilarity<HalfSimilarity<ManhattanMetric>>>.Open(path, vectors)),
        (Distance.Cosine, true, VectorDatatype.Uint8) => Widen(HnswGraph<MaxSimSimilarity<ByteSimilarity<CosineMetric>>>.Open(path, vectors)),
        (Distance.Euclid, true, VectorDatatype.Uint8) => Widen(HnswGraph<MaxSimSimilarity<ByteSimilarity<EuclidMetric>>>.Open(path, vectors)),
        (Distance.Dot, true, VectorDatatype.Uint8) => Widen(HnswGraph<MaxSimSimilarity<ByteSimilarity<DotMetric>>>.Open(path, vectors)),
        (Distance.Manhattan, true, VectorDatatype.Uint8) => Widen(HnswGraph<MaxSimSimilarity<ByteSimilarity<ManhattanMetric>>>.Open(path, vectors)),
        (Distance.Cosine, false, _) => Widen(HnswGraph<DenseSimilarity<CosineMetric>>.Open(path, vectors)),
        (Distance.Euclid, false, _) => Widen(HnswGraph<DenseSimilarity<EuclidMetric>>.Open(path, vectors)),
        (Distance.Dot, false, _) => Widen(HnswGraph<DenseSimilarity<DotMetric>>.Open(path, vectors)),
        (Distance.Manhattan, false, _) => Widen(HnswGraph<DenseSimilarity<ManhattanMetric>>.Open(path, vectors)),
        (Distance.Cosine, true, _) => Widen(HnswGraph<MaxSimSimilarity<DenseSimilarity<CosineMetric>>>.Open(path, vectors)),
        (Distance.Euclid, true, _) => Widen(HnswGraph<MaxSimSimilarity<DenseSimilarity<EuclidMetric>>>.Open(path, vectors)),
        (Distance.Dot, true, _) => Widen(HnswGraph<MaxSimSimilarity<DenseSimilarity<DotMetric>>>.Open(path, vectors)),
        (Distance.Manhattan, true, _) => Widen(HnswGraph<MaxSimSimilarity<DenseSimilarity<ManhattanMetric>>>.Open(path, vectors)),
    };

    private static Result<IHnswIndex> Widen<TSimilarity>(Result<HnswGraph<TSimilarity>> result)
        where TSimilarity : struct, IPointSimilarity
        => result.TryGet(out var graph, out var error) ? graph : error;
}
