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
    private List<SearchHit> SearchMulti(VectorColumn column, ReadOnlySpan<float> query, Filter? filter, int limit, SegmentSearchOptions options, CancellationToken ct) =>
        column.Distance switch
        {
            Distance.Cosine => SearchMulti<CosineMetric>(column, query, filter, limit, options, ct),
            Distance.Euclid => SearchMulti<EuclidMetric>(column, query, filter, limit, options, ct),
            Distance.Dot => SearchMulti<DotMetric>(column, query, filter, limit, options, ct),
            Distance.Manhattan => SearchMulti<ManhattanMetric>(column, query, filter, limit, options, ct),
        };

    private List<SearchHit> SearchMulti<TMetric>(VectorColumn column, ReadOnlySpan<float> query, Filter? filter, int limit, SegmentSearchOptions options, CancellationToken ct)
        where TMetric : struct, IDistanceMetric
    {
        var plan = Plan(column, filter, options);
        if (TryGraphSearch<MaxSimSimilarity<TMetric>>(column, query, filter, plan, limit, options, ct) is { } viaGraph)
        {
            return viaGraph;
        }

        var offsets = filter is null ? _ids.LiveOffsets() : MatchingOffsets(column, filter, plan.Predicate!, plan.Kind, ct);
        return ScanPoints<MaxSimSimilarity<TMetric>>(column, query, offsets, null, limit, ct);
    }

    // Recommend over a multivector: each example (rows back to back) is compared with a candidate by MaxSim, then the
    // strategy's rule as for dense examples.
    private List<SearchHit> ScoreMultiByExamples(VectorColumn column, ExampleScoring scoring, IReadOnlyList<float[]> positives, IReadOnlyList<float[]> negatives, float[]? target, Filter? filter, int limit, CancellationToken ct)
    {
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
                var score = ExampleRule.Score(scoring, target, positives, negatives, example => MaxSim.Score(column.Distance, example, column.GetRows(offset), column.Dimension));
                top.Add(new SearchHit(_ids.IdAt(offset), score, _ids.VersionAt(offset)));
            }
        }

        return top.ToSortedList();
    }
}
