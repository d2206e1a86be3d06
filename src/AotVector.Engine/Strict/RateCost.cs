using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Strict;

/// <summary>
/// What a read costs the read rate limiter, as the reference prices it: a search costs its query vectors (a dense
/// vector 1, a multivector its rows, a sparse vector one per 64 dimensions) plus its filter's conditions; a scroll,
/// count or facet costs 1 plus its filter's conditions; a retrieve, its ids.
/// </summary>
internal static class RateCost
{
    private const ulong Base = 1;
    private const int SparseDimsPerUnit = 64;

    public static ulong Filtered(Filter? filter) => Base + Conditions(filter);

    public static ulong Query(QueryRequest r)
    {
        if (r.Prefetch is { Count: > 0 } prefetches)
        {
            ulong total = 0;
            foreach (var p in prefetches)
            {
                total += Prefetch(p, Conditions(r.Filter));
            }

            return total;
        }

        return Node(r.Query, Conditions(r.Filter));
    }

    // A branch's filter holds together with its parents': the search that runs carries all of them.
    private static ulong Prefetch(Prefetch p, ulong inherited)
    {
        var conditions = inherited + Conditions(p.Filter);
        if (p.Prefetches.Count == 0)
        {
            return Node(p.Query, conditions);
        }

        ulong total = 0;
        foreach (var inner in p.Prefetches)
        {
            total += Prefetch(inner, conditions);
        }

        return total;
    }

    private static ulong Node(QueryInput? query, ulong conditions) => query switch
    {
        NearestQuery n => Vector(n.Target) + conditions,
        RecommendQuery { Strategy: RecommendStrategy.AverageVector } => 1 + conditions,
        RecommendQuery r => r.Positive.Concat(r.Negative).Aggregate(0UL, (sum, v) => sum + Vector(v)) + conditions,
        DiscoverQuery d => Vector(d.Target) + Pairs(d.Context) + conditions,
        ContextQuery c => Pairs(c.Pairs) + conditions,
        RelevanceFeedbackQuery f => Vector(f.Target) + f.Feedback.Aggregate(0UL, (sum, item) => sum + Vector(item.Example)) + conditions,
        _ => Base + conditions,
    };

    private static ulong Pairs(IReadOnlyList<ContextPair> pairs) =>
        pairs.Aggregate(0UL, (sum, p) => sum + Vector(p.Positive) + Vector(p.Negative));

    private static ulong Vector(VectorInput input) => input switch
    {
        SparseVectorInput s => (ulong)((s.Vector.Indices.Length + SparseDimsPerUnit - 1) / SparseDimsPerUnit),
        MultiDenseVectorInput m => (ulong)m.Vector.Count,
        _ => 1,
    };

    private static ulong Conditions(Filter? filter) => filter is null ? 0 : FilterSize.Conditions(filter);
}
