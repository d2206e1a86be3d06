using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Collections;

/// <summary>
/// Queries with prefetch branches, run as the reference plans them: filters flow down to the leaves (each leaf searches
/// under its own filter and every filter above it), a leaf is an ordinary query over the collection, and a node with
/// branches either fuses their result lists or ranks the union of their points with its own vector query. Points given
/// by id anywhere in the tree are left out of every result, as the reference does, unless they were looked up in
/// another collection. The tree is checked first (<see cref="QueryTreeCheck"/>), so a node here is well formed.
/// </summary>
internal sealed partial class Collection
{
    private Result<IReadOnlyList<ScoredPoint>> QueryTree(QueryRequest request, Func<string, Result<Collection>> lookup, CancellationToken ct)
    {
        var limit = (int)Math.Min(request.Limit, 1_000_000);
        var offset = (int)Math.Min(request.Offset, 1_000_000);

        var referenced = new HashSet<PointId>();
        Referenced(request.Query, request.LookupFrom, referenced);
        foreach (var p in request.Prefetch!)
        {
            Referenced(p, referenced);
        }

        var filter = referenced.Count == 0 ? request.Filter : And(request.Filter, new Filter(MustNot: [new HasIdCondition(referenced)]));
        var ranked = _placement.AllShards.Count > 1 && _whole is null
            ? ShardedNode(request.Prefetch!, request.Query!, request.Using, request.Params, request.ScoreThreshold, request.LookupFrom, limit + offset, filter, lookup, ct)
            : Node(request.Prefetch!, request.Query!, request.Using, request.Params, request.ScoreThreshold, request.LookupFrom, limit + offset, filter, lookup, ct);
        if (!ranked.TryGet(out var points, out var error))
        {
            return error;
        }

        var window = points.Skip(offset).Take(limit).ToList();
        var page = window.Select(p => new SearchHit(p.Id, p.Score, p.Version)).ToList();
        if (!Load(page, request, postprocess: null).TryGet(out var loaded, out error))
        {
            return error;
        }

        return Result<IReadOnlyList<ScoredPoint>>.Ok(WithOrderValues(window, loaded));
    }

    // An order_by node's values survive the final load; Load keeps the page's order and only drops deleted points.
    private static IReadOnlyList<ScoredPoint> WithOrderValues(List<ScoredPoint> ranked, IReadOnlyList<ScoredPoint> loaded)
    {
        if (!ranked.Any(p => p.OrderValue is not null))
        {
            return loaded;
        }

        var result = new List<ScoredPoint>(loaded.Count);
        var next = 0;
        foreach (var point in loaded)
        {
            while (next < ranked.Count && ranked[next].Id != point.Id)
            {
                next++;
            }

            result.Add(next < ranked.Count ? point with { OrderValue = ranked[next++].OrderValue } : point);
        }

        return result;
    }

    // The ranked points of a node with branches: its query over what the branches found.
    private Result<IReadOnlyList<ScoredPoint>> Node(
        IReadOnlyList<Prefetch> prefetches,
        QueryInput query,
        string? usingName,
        SearchParams? parameters,
        float? scoreThreshold,
        LookupLocation? lookupFrom,
        int limit,
        Filter? filter,
        Func<string, Result<Collection>> lookup,
        CancellationToken ct)
    {
        var sources = new List<IReadOnlyList<ScoredPoint>>(prefetches.Count);
        foreach (var p in prefetches)
        {
            var found = Branch(p, filter, lookup, ct);
            if (!found.TryGet(out var points, out var error))
            {
                return error;
            }

            sources.Add(points);
        }

        if (ct.IsCancellationRequested)
        {
            return CancelledRead;
        }

        if (query is FusionQuery fusion)
        {
            return Fuse(fusion, sources, scoreThreshold, limit);
        }

        if (query is FormulaQuery formula)
        {
            return RescoreWithFormula(formula, sources, scoreThreshold, limit, ct);
        }

        // MMR ranks the nearest of the branches' points: those candidates first, then their re-ranking.
        var mmr = query is NearestQuery { Mmr: { } m } ? m : null;
        if (mmr is not null)
        {
            query = ((NearestQuery)query) with { Mmr = null };
        }

        var ranked = Rescore(sources, query, usingName, parameters, scoreThreshold, lookupFrom, mmr is null ? limit : MmrCandidates(mmr, limit), lookup, ct);
        if (mmr is null || !ranked.TryGet(out var candidates, out var rankError))
        {
            return ranked;
        }

        return MmrRerank((NearestQuery)query, mmr, usingName, lookupFrom, candidates, limit, lookup).TryGet(out var chosen, out rankError)
            ? chosen
            : rankError;
    }

    // The union of the branches' points ranked by a vector query.
    private Result<IReadOnlyList<ScoredPoint>> Rescore(
        List<IReadOnlyList<ScoredPoint>> sources,
        QueryInput query,
        string? usingName,
        SearchParams? parameters,
        float? scoreThreshold,
        LookupLocation? lookupFrom,
        int limit,
        Func<string, Result<Collection>> lookup,
        CancellationToken ct)
    {

        var candidates = new HashSet<PointId>();
        foreach (var list in sources)
        {
            foreach (var point in list)
            {
                candidates.Add(point.Id);
            }
        }

        if (candidates.Count == 0)
        {
            return Array.Empty<ScoredPoint>();
        }

        // The filters above already chose the candidates; scoring them is exact, as a has_id filter this selective
        // makes the reference scan them rather than walk the graph.
        var rescore = new QueryRequest(
            query,
            usingName,
            new Filter(Must: [new HasIdCondition(candidates)]),
            (uint)limit,
            0,
            scoreThreshold,
            (parameters ?? new SearchParams()) with { Exact = true },
            WithPayload.None,
            WithVector.None,
            lookupFrom);
        return Query(rescore, lookup, ct);
    }

    private static List<ScoredPoint> Fuse(FusionQuery fusion, IReadOnlyList<IReadOnlyList<ScoredPoint>> sources, float? scoreThreshold, int limit)
    {
        var fused = Fusion.Fuse(fusion, sources);

        // Fused scores are larger-better and kept while at least the threshold, as the reference's take_while.
        var kept = scoreThreshold is { } threshold ? fused.TakeWhile(p => p.Score >= threshold) : fused;
        return kept.Take(limit).ToList();
    }

    /// <summary>
    /// The root of a query tree over several shards, split as the reference splits it: every shard runs the tree below
    /// the root on its own points (so a fusion or a rescoring inside a prefetch ranks that shard's candidates), and the
    /// shards' lists are merged by score. A fusion at the root fuses, once, each branch's lists merged over all shards.
    /// </summary>
    private Result<IReadOnlyList<ScoredPoint>> ShardedNode(
        IReadOnlyList<Prefetch> prefetches,
        QueryInput query,
        string? usingName,
        SearchParams? parameters,
        float? scoreThreshold,
        LookupLocation? lookupFrom,
        int limit,
        Filter? filter,
        Func<string, Result<Collection>> lookup,
        CancellationToken ct)
    {
        var views = _placement.AllShards.Select(shard => new Collection(this, shard)).ToArray();
        var perShard = new List<IReadOnlyList<ScoredPoint>>(views.Length);
        if (query is FusionQuery fusion)
        {
            var sources = new List<IReadOnlyList<ScoredPoint>>(prefetches.Count);
            foreach (var p in prefetches)
            {
                perShard.Clear();
                foreach (var view in views)
                {
                    if (!view.Branch(p, filter, lookup, ct).TryGet(out var points, out var error))
                    {
                        return error;
                    }

                    perShard.Add(points);
                }

                sources.Add(MergeRanked(perShard, LargerIsBetter(p.Query, p.Using), (int)Math.Min(p.Limit, 1_000_000)));
            }

            return ct.IsCancellationRequested ? CancelledRead : Fuse(fusion, sources, scoreThreshold, limit);
        }

        // MMR needs all the shards' candidates: each shard finds its nearest, the re-ranking runs once over their merge.
        var mmr = query is NearestQuery { Mmr: { } m } ? m : null;
        var perShardQuery = mmr is null ? query : ((NearestQuery)query) with { Mmr = null };
        var perShardLimit = mmr is null ? limit : MmrCandidates(mmr, limit);
        foreach (var view in views)
        {
            if (!view.Node(prefetches, perShardQuery, usingName, parameters, scoreThreshold, lookupFrom, perShardLimit, filter, lookup, ct).TryGet(out var points, out var error))
            {
                return error;
            }

            perShard.Add(points);
        }

        if (ct.IsCancellationRequested)
        {
            return CancelledRead;
        }

        var merged = MergeRanked(perShard, LargerIsBetter(perShardQuery, usingName), perShardLimit);
        if (mmr is null)
        {
            return merged;
        }

        return MmrRerank((NearestQuery)perShardQuery, mmr, usingName, lookupFrom, merged, limit, lookup).TryGet(out var chosen, out var mmrError)
            ? chosen
            : mmrError;
    }

    // The best `limit` of several shards' ranked lists: by score in the query's order, ties to the smaller id, as
    // one shard ranks them; a point listed twice is kept once.
    private static List<ScoredPoint> MergeRanked(List<IReadOnlyList<ScoredPoint>> lists, bool largerIsBetter, int limit)
    {
        var seen = new HashSet<PointId>();
        var all = new List<ScoredPoint>();
        foreach (var list in lists)
        {
            foreach (var point in list)
            {
                if (seen.Add(point.Id))
                {
                    all.Add(point);
                }
            }
        }

        all.Sort((a, b) =>
        {
            var byScore = largerIsBetter ? b.Score.CompareTo(a.Score) : a.Score.CompareTo(b.Score);
            return byScore != 0 ? byScore : a.Id.CompareTo(b.Id);
        });
        return all.Count > limit ? all.GetRange(0, limit) : all;
    }

    // The order of a node's scores as Query returns them: distances (Euclid, Manhattan) rank smaller first.
    private bool LargerIsBetter(QueryInput? query, string? usingName)
    {
        if (query is FusionQuery or FormulaQuery or RelevanceFeedbackQuery or RecommendQuery { Strategy: not RecommendStrategy.AverageVector } or null)
        {
            return true;
        }

        var name = usingName ?? VectorsConfig.DefaultName;
        return SparseParams(name) is not null || Config.Params.Vectors.Find(name) is not { } p || Kernels.Distance.DistanceKernels.IsLargeBetter(p.Distance);
    }

    private Result<IReadOnlyList<ScoredPoint>> Branch(Prefetch prefetch, Filter? inherited, Func<string, Result<Collection>> lookup, CancellationToken ct)
    {
        var filter = And(inherited, prefetch.Filter);
        if (prefetch.Prefetches.Count > 0)
        {
            return Node(prefetch.Prefetches, prefetch.Query!, prefetch.Using, prefetch.Params, prefetch.ScoreThreshold, prefetch.LookupFrom, (int)Math.Min(prefetch.Limit, 1_000_000), filter, lookup, ct);
        }

        var leaf = new QueryRequest(
            prefetch.Query,
            prefetch.Using,
            filter,
            prefetch.Limit,
            0,
            prefetch.ScoreThreshold,
            prefetch.Params,
            WithPayload.None,
            WithVector.None,
            prefetch.LookupFrom);
        return Query(leaf, lookup, ct);
    }

    // Ids whose vectors a node's query reads from this collection (the reference leaves them out of every result).
    private void Referenced(Prefetch prefetch, HashSet<PointId> into)
    {
        Referenced(prefetch.Query, prefetch.LookupFrom, into);
        foreach (var p in prefetch.Prefetches)
        {
            Referenced(p, into);
        }
    }

    private void Referenced(QueryInput? query, LookupLocation? lookupFrom, HashSet<PointId> into)
    {
        if (lookupFrom is { } from && from.Collection != Name)
        {
            return;
        }

        IEnumerable<VectorInput> inputs = query switch
        {
            NearestQuery nearest => [nearest.Target],
            RecommendQuery reco => reco.Positive.Concat(reco.Negative),
            DiscoverQuery discover => discover.Context.SelectMany(p => new[] { p.Positive, p.Negative }).Prepend(discover.Target),
            ContextQuery context => context.Pairs.SelectMany(p => new[] { p.Positive, p.Negative }),
            RelevanceFeedbackQuery feedback => feedback.Feedback.Select(f => f.Example).Prepend(feedback.Target),
            _ => [],
        };
        foreach (var input in inputs)
        {
            if (input is PointIdInput byId)
            {
                into.Add(byId.Id);
            }
        }
    }

    private static Filter? And(Filter? outer, Filter? inner) =>
        outer is null ? inner
        : inner is null ? outer
        : new Filter(Must: [new FilterCondition(outer), new FilterCondition(inner)]);
}
