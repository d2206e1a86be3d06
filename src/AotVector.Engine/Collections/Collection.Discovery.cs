using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Collections;

/// <summary>
/// Discovery and context queries: the target (discovery only) and each pair's vectors resolved like any query input
/// (ids looked up, from <c>lookup_from</c> when given, and left out of the results when they are this collection's),
/// then every matching point scored exactly by the reference's discovery or context score. Scores are returned as
/// computed: a discovery score's integer part is the context rank, its fraction the squashed target similarity; a
/// context score is at most 0.
/// </summary>
internal sealed partial class Collection
{
    private static (VectorInput? Target, IReadOnlyList<ContextPair> Pairs) ContextParts(QueryInput query) => query switch
    {
        DiscoverQuery discover => (discover.Target, discover.Context),
        ContextQuery context => (null, context.Pairs),
        _ => (null, []),
    };

    private Result<List<SearchHit>> SearchByContext(QueryInput query, string vectorName, Collection source, string sourceVector, VectorParams parameters, Filter? filter, int wanted, CancellationToken ct)
    {
        var excluded = new HashSet<PointId>();
        var (targetInput, pairs) = ContextParts(query);
        float[]? target = null;
        if (targetInput is not null && !Resolve(targetInput, source, sourceVector, parameters, excluded).TryGet(out target, out var targetError))
        {
            return targetError;
        }

        var positives = new List<float[]>(pairs.Count);
        var negatives = new List<float[]>(pairs.Count);
        foreach (var pair in pairs)
        {
            if (!Resolve(pair.Positive, source, sourceVector, parameters, excluded).TryGet(out var positive, out var error)
                || !Resolve(pair.Negative, source, sourceVector, parameters, excluded).TryGet(out var negative, out error))
            {
                return error;
            }

            positives.Add(positive);
            negatives.Add(negative);
        }

        var search = new ShardContextSearch(vectorName, target, positives, negatives, Exclude(filter, excluded, source), wanted);
        return Merge(wanted, ct, (shard, token) => shard.SearchByContext(search, token));
    }

    // The sparse form: dot product as the similarity; with the idf modifier every vector of the query is weighted,
    // as the reference weights every example.
    private Result<List<SearchHit>> SearchSparseByContext(QueryInput query, string vectorName, SparseVectorParams parameters, Collection source, string sourceVector, Filter? filter, int wanted, CancellationToken ct)
    {
        var excluded = new HashSet<PointId>();
        var idf = parameters.Modifier == SparseModifier.Idf;
        var (targetInput, pairs) = ContextParts(query);
        SparseVector? target = null;
        if (targetInput is not null)
        {
            if (!ResolveSparse(targetInput, vectorName, source, sourceVector, excluded).TryGet(out var t, out var targetError))
            {
                return targetError;
            }

            target = idf ? WithIdf(vectorName, t) : t;
        }

        var positives = new List<SparseVector>(pairs.Count);
        var negatives = new List<SparseVector>(pairs.Count);
        foreach (var pair in pairs)
        {
            if (!ResolveSparse(pair.Positive, vectorName, source, sourceVector, excluded).TryGet(out var positive, out var error)
                || !ResolveSparse(pair.Negative, vectorName, source, sourceVector, excluded).TryGet(out var negative, out error))
            {
                return error;
            }

            positives.Add(idf ? WithIdf(vectorName, positive) : positive);
            negatives.Add(idf ? WithIdf(vectorName, negative) : negative);
        }

        var search = new ShardSparseContextSearch(vectorName, target, positives, negatives, Exclude(filter, excluded, source), wanted);
        return Merge(wanted, ct, (shard, token) => shard.SearchSparseByContext(search, token));
    }
}
