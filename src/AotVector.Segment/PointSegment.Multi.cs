using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

/// <remarks>
/// Multivector search: through the vector's graph when it has one (a node per point, compared by MaxSim), else
/// exactly: every live point that has the vector and matches the filter is scored by MaxSim against the query's rows.
/// A query for a multivector name is its rows back to back (a single row is a dense query).
/// </remarks>
public sealed partial class PointSegment
{
    // One instantiation per metric and datatype: rows are compared by the single-vector kernel of the store's datatype.
    private List<SearchHit> SearchMulti(VectorColumn column, ReadOnlySpan<float> query, Filter? filter, int limit, SegmentSearchOptions options, CancellationToken ct) =>
        (column.Distance, column.Datatype) switch
        {
            (Distance.Cosine, VectorDatatype.Float16) => SearchMulti<HalfSimilarity<CosineMetric>>(column, query, filter, limit, options, ct),
            (Distance.Euclid, VectorDatatype.Float16) => SearchMulti<HalfSimilarity<EuclidMetric>>(column, query, filter, limit, options, ct),
            (Distance.Dot, VectorDatatype.Float16) => SearchMulti<HalfSimilarity<DotMetric>>(column, query, filter, limit, options, ct),
            (Distance.Manhattan, VectorDatatype.Float16) => SearchMulti<HalfSimilarity<ManhattanMetric>>(column, query, filter, limit, options, ct),
            (Distance.Cosine, VectorDatatype.Uint8) => SearchMulti<ByteSimilarity<CosineMetric>>(column, query, filter, limit, options, ct),
            (Distance.Euclid, VectorDatatype.Uint8) => SearchMulti<ByteSimilarity<EuclidMetric>>(column, query, filter, limit, options, ct),
            (Distance.Dot, VectorDatatype.Uint8) => SearchMulti<ByteSimilarity<DotMetric>>(column, query, filter, limit, options, ct),
            (Distance.Manhattan, VectorDatatype.Uint8) => SearchMulti<ByteSimilarity<ManhattanMetric>>(column, query, filter, limit, options, ct),
            (Distance.Cosine, _) => SearchMulti<DenseSimilarity<CosineMetric>>(column, query, filter, limit, options, ct),
            (Distance.Euclid, _) => SearchMulti<DenseSimilarity<EuclidMetric>>(column, query, filter, limit, options, ct),
            (Distance.Dot, _) => SearchMulti<DenseSimilarity<DotMetric>>(column, query, filter, limit, options, ct),
            (Distance.Manhattan, _) => SearchMulti<DenseSimilarity<ManhattanMetric>>(column, query, filter, limit, options, ct),
        };

    private List<SearchHit> SearchMulti<TRow>(VectorColumn column, ReadOnlySpan<float> query, Filter? filter, int limit, SegmentSearchOptions options, CancellationToken ct)
        where TRow : struct, IPointSimilarity
    {
        var plan = Plan(column, filter, options);
        if (TryGraphSearch<MaxSimSimilarity<TRow>>(column, query, filter, plan, limit, options, ct) is { } viaGraph)
        {
            return viaGraph;
        }

        var offsets = filter is null ? _ids.LiveOffsets() : MatchingOffsets(column, filter, plan.Predicate!, plan.Kind, ct);
        return ScanPoints<MaxSimSimilarity<TRow>>(column, query, offsets, null, limit, ct);
    }

    // Recommend over a multivector: each example (rows back to back, converted to the datatype as a query is) is compared with a candidate by MaxSim, then the
    // strategy's rule as for dense examples.
    private List<SearchHit> ScoreMultiByExamples(VectorColumn column, ExampleScoring scoring, IReadOnlyList<float[]> positives, IReadOnlyList<float[]> negatives, float[]? target, Filter? filter, int limit, CancellationToken ct)
    {
        var encodedPositives = Encoded(column, positives);
        var encodedNegatives = Encoded(column, negatives);
        var encodedTarget = target is null ? null : column.EncodeQuery(target).ToArray();
        var top = new TopHits(limit);
        var matcher = filter is null ? null : new OffsetMatcher(this);
        var probe = new CancellationProbe(ct);
        foreach (var offset in filter is null ? _ids.LiveOffsets() : CandidateOffsets(filter))
        {
            if (probe.Stop())
            {
                break;
            }

            if (column.Has(offset) && (matcher is null || matcher.Matches(filter!, offset)))
            {
                var score = ExampleRule.Score(scoring, encodedTarget, encodedPositives, encodedNegatives, example => MaxSim.Score(column.Distance, column.Datatype, example, column.GetRowRecords(offset), column.Dimension));
                top.Add(new SearchHit(_ids.IdAt(offset), score, _ids.VersionAt(offset)));
            }
        }

        return top.ToSortedList();
    }
}
