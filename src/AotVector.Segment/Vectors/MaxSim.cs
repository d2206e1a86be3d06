using AotVector.Kernels.Distance;

namespace AotVector.Segment.Vectors;

/// <summary>
/// The MaxSim comparator of multivectors: for each query row the best raw similarity among the stored rows, summed
/// over the query rows. Raw means as the metric ranks (Euclid and Manhattan are negated distances), so the sum is
/// postprocessed once at the end like a dense score, as the reference does (sqrt(|sum|) for Euclid, |sum| for
/// Manhattan); the ranking is the same either way.
/// </summary>
public static class MaxSim
{
    /// <summary>MaxSim of <paramref name="query"/> against <paramref name="stored"/>, both rows of <paramref name="dimension"/> back to back and preprocessed.</summary>
    public static float Score<TMetric>(ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dimension)
        where TMetric : struct, IDistanceMetric
    {
        var sum = 0f;
        for (var q = 0; q + dimension <= query.Length; q += dimension)
        {
            var row = query.Slice(q, dimension);
            var best = float.NegativeInfinity;
            for (var s = 0; s + dimension <= stored.Length; s += dimension)
            {
                var similarity = TMetric.Similarity(row, stored.Slice(s, dimension));
                if (similarity > best)
                {
                    best = similarity;
                }
            }

            sum += best;
        }

        return sum;
    }

    /// <summary><see cref="Score{TMetric}"/> for a distance chosen at run time.</summary>
    public static float Score(Common.Model.Distance distance, ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dimension) => distance switch
    {
        Common.Model.Distance.Cosine => Score<CosineMetric>(query, stored, dimension),
        Common.Model.Distance.Euclid => Score<EuclidMetric>(query, stored, dimension),
        Common.Model.Distance.Dot => Score<DotMetric>(query, stored, dimension),
        Common.Model.Distance.Manhattan => Score<ManhattanMetric>(query, stored, dimension),
    };
}
