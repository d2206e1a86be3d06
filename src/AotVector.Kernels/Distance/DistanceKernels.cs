using Kind = AotVector.Common.Model.Distance;

namespace AotVector.Kernels.Distance;

/// <summary>
/// Non-generic entry points for code that holds only the <see cref="Kind"/> enum (config, API mapping, tests).
/// Hot loops should instead be generic over <c>TMetric : struct, IDistanceMetric</c> and switch once, outside the loop.
/// </summary>
public static class DistanceKernels
{
    public static float Similarity(Kind distance, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => distance switch
    {
        Kind.Cosine => CosineMetric.Similarity(a, b),
        Kind.Euclid => EuclidMetric.Similarity(a, b),
        Kind.Dot => DotMetric.Similarity(a, b),
        Kind.Manhattan => ManhattanMetric.Similarity(a, b),
    };

    public static void Preprocess(Kind distance, Span<float> vector)
    {
        switch (distance)
        {
            case Kind.Cosine:
                CosineMetric.Preprocess(vector);
                break;
            case Kind.Euclid:
                EuclidMetric.Preprocess(vector);
                break;
            case Kind.Dot:
                DotMetric.Preprocess(vector);
                break;
            case Kind.Manhattan:
                ManhattanMetric.Preprocess(vector);
                break;
        }
    }

    public static float Postprocess(Kind distance, float score) => distance switch
    {
        Kind.Cosine => CosineMetric.Postprocess(score),
        Kind.Euclid => EuclidMetric.Postprocess(score),
        Kind.Dot => DotMetric.Postprocess(score),
        Kind.Manhattan => ManhattanMetric.Postprocess(score),
    };

    /// <summary>
    /// Order of <em>postprocessed</em> (user-visible) scores: true for Cosine and Dot, false for Euclid and
    /// Manhattan, where the score is a distance. Raw <see cref="Similarity"/> values are always greater-is-closer.
    /// </summary>
    public static bool IsLargeBetter(Kind distance) => distance switch
    {
        Kind.Cosine or Kind.Dot => true,
        Kind.Euclid or Kind.Manhattan => false,
    };

    /// <summary>
    /// Scores <paramref name="query"/> against the <c>N = block.Length / dim</c> vectors stored back to back in
    /// <paramref name="block"/> (e.g. a memory-mapped vector file), writing raw similarities to <c>scores[0..N)</c>.
    /// </summary>
    public static void SimilarityBatch<TMetric>(ReadOnlySpan<float> query, ReadOnlySpan<float> block, int dim, Span<float> scores)
        where TMetric : struct, IDistanceMetric
    {
        if (dim <= 0 || query.Length != dim || block.Length % dim != 0 || scores.Length < block.Length / dim)
        {
            ThrowHelper.ThrowBlockShape();
        }

        int count = block.Length / dim;
        for (int i = 0; i < count; i++)
        {
            scores[i] = TMetric.Similarity(query, block.Slice(i * dim, dim));
        }
    }

    /// <inheritdoc cref="SimilarityBatch{TMetric}(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>
    public static void SimilarityBatch(Kind distance, ReadOnlySpan<float> query, ReadOnlySpan<float> block, int dim, Span<float> scores)
    {
        switch (distance)
        {
            case Kind.Cosine:
                SimilarityBatch<CosineMetric>(query, block, dim, scores);
                break;
            case Kind.Euclid:
                SimilarityBatch<EuclidMetric>(query, block, dim, scores);
                break;
            case Kind.Dot:
                SimilarityBatch<DotMetric>(query, block, dim, scores);
                break;
            case Kind.Manhattan:
                SimilarityBatch<ManhattanMetric>(query, block, dim, scores);
                break;
        }
    }
}
