using System.Runtime.InteropServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;

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
        => Score<DenseSimilarity<TMetric>>(MemoryMarshal.AsBytes(query), MemoryMarshal.AsBytes(stored), dimension);

    /// <summary>
    /// MaxSim of <paramref name="query"/> against <paramref name="stored"/>: records of <typeparamref name="TRow"/>'s
    /// datatype, rows of <paramref name="dimension"/> back to back, each pair compared by <typeparamref name="TRow"/>.
    /// </summary>
    internal static float Score<TRow>(ReadOnlySpan<byte> query, ReadOnlySpan<byte> stored, int dimension)
        where TRow : struct, IPointSimilarity
    {
        var rowBytes = dimension * Storage.Vectors.VectorFile.ElementSize(TRow.Datatype);
        var sum = 0f;
        for (var q = 0; q + rowBytes <= query.Length; q += rowBytes)
        {
            var row = query.Slice(q, rowBytes);
            var best = float.NegativeInfinity;
            for (var s = 0; s + rowBytes <= stored.Length; s += rowBytes)
            {
                var similarity = TRow.Similarity(row, stored.Slice(s, rowBytes), dimension);
                if (similarity > best)
                {
                    best = similarity;
                }
            }

            sum += best;
        }

        return sum;
    }

    /// <summary><see cref="Score{TMetric}(ReadOnlySpan{float}, ReadOnlySpan{float}, int)"/> for a distance chosen at run time.</summary>
    public static float Score(Distance distance, ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dimension) => distance switch
    {
        Distance.Cosine => Score<CosineMetric>(query, stored, dimension),
        Distance.Euclid => Score<EuclidMetric>(query, stored, dimension),
        Distance.Dot => Score<DotMetric>(query, stored, dimension),
        Distance.Manhattan => Score<ManhattanMetric>(query, stored, dimension),
    };

    /// <summary>MaxSim of records of <paramref name="datatype"/> (as <see cref="Score{TRow}"/>), for a distance and datatype chosen at run time.</summary>
    internal static float Score(Distance distance, VectorDatatype datatype, ReadOnlySpan<byte> query, ReadOnlySpan<byte> stored, int dimension) => (distance, datatype) switch
    {
        (Distance.Cosine, VectorDatatype.Float16) => Score<HalfSimilarity<CosineMetric>>(query, stored, dimension),
        (Distance.Euclid, VectorDatatype.Float16) => Score<HalfSimilarity<EuclidMetric>>(query, stored, dimension),
        (Distance.Dot, VectorDatatype.Float16) => Score<HalfSimilarity<DotMetric>>(query, stored, dimension),
        (Distance.Manhattan, VectorDatatype.Float16) => Score<HalfSimilarity<ManhattanMetric>>(query, stored, dimension),
        (Distance.Cosine, VectorDatatype.Uint8) => Score<ByteSimilarity<CosineMetric>>(query, stored, dimension),
        (Distance.Euclid, VectorDatatype.Uint8) => Score<ByteSimilarity<EuclidMetric>>(query, stored, dimension),
        (Distance.Dot, VectorDatatype.Uint8) => Score<ByteSimilarity<DotMetric>>(query, stored, dimension),
        (Distance.Manhattan, VectorDatatype.Uint8) => Score<ByteSimilarity<ManhattanMetric>>(query, stored, dimension),
        (Distance.Cosine, _) => Score<DenseSimilarity<CosineMetric>>(query, stored, dimension),
        (Distance.Euclid, _) => Score<DenseSimilarity<EuclidMetric>>(query, stored, dimension),
        (Distance.Dot, _) => Score<DenseSimilarity<DotMetric>>(query, stored, dimension),
        (Distance.Manhattan, _) => Score<DenseSimilarity<ManhattanMetric>>(query, stored, dimension),
    };
}
