using AotVector.Common.Errors;
using AotVector.Engine.Api;

namespace AotVector.Engine;

/// <summary>
/// The refusals of a query tree, checked before anything runs so that a bad branch deep down costs no search: the
/// bounds first (depth, the branches' total limit), then each node from the root down, as the reference checks them.
/// Paths name the branch as both wires spell it ("prefetch[0].prefetch[1]").
/// </summary>
internal static class QueryTreeCheck
{
    /// <summary>The first problem of the request's tree, or null when it can run.</summary>
    public static AvError? Check(QueryRequest request)
    {
        var prefetches = request.Prefetch ?? [];
        ulong total = 0;
        if (Bounds(prefetches, "", 1, ref total) is { } tooBig)
        {
            return tooBig;
        }

        return Node(request.Query, request.Using, request.ScoreThreshold, prefetches, "");
    }

    private static AvError? Bounds(IReadOnlyList<Prefetch> prefetches, string parent, int depth, ref ulong total)
    {
        for (var i = 0; i < prefetches.Count; i++)
        {
            var path = Field(parent, i);
            if (depth > RequestRules.MaxPrefetchDepth)
            {
                return RequestRules.PrefetchDepth(depth + Depth(prefetches[i].Prefetches), path);
            }

            total += prefetches[i].Limit;
            if (total > RequestRules.MaxPrefetchLimitTotal)
            {
                return RequestRules.PrefetchLimitTotal(total, path);
            }

            if (Bounds(prefetches[i].Prefetches, path, depth + 1, ref total) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    // Levels of branches below (0 for none); only called past the bound, to report the tree's whole depth.
    private static int Depth(IReadOnlyList<Prefetch> prefetches)
    {
        var deepest = 0;
        foreach (var p in prefetches)
        {
            deepest = Math.Max(deepest, 1 + Depth(p.Prefetches));
        }

        return deepest;
    }

    private static AvError? Node(QueryInput? query, string? usingName, float? scoreThreshold, IReadOnlyList<Prefetch> prefetches, string path)
    {
        if (prefetches.Count > 0 && query is null)
        {
            return RequestRules.PrefetchWithoutQuery;
        }

        if (scoreThreshold is not null && query is null)
        {
            return RequestRules.ScoreThresholdWithoutQuery;
        }

        if (query is FormulaQuery formula)
        {
            if (prefetches.Count == 0)
            {
                return RequestRules.FormulaWithoutPrefetch;
            }

            if (FormulaParser.Parse(formula).TryGet(out _, out var refused) is false)
            {
                return refused;
            }
        }

        if (query is RelevanceFeedbackQuery feedback && RelevanceFeedbackQuery.ExponentProblem(feedback.Strategy.B) is { } exponent)
        {
            return AvError.Validation("[internal." + Join(path, "query.relevance_feedback.strategy.naive.b") + ": " + exponent + "]");
        }

        if (query is NearestQuery { Mmr: { } mmr } && RequestRules.Mmr(mmr) is var (field, problem))
        {
            return AvError.Validation("[" + Join(path, "query.mmr." + field) + ": " + problem + "]");
        }

        if (query is FusionQuery fusion)
        {
            if (!string.IsNullOrEmpty(usingName))
            {
                return RequestRules.FusionWithUsing;
            }

            if (prefetches.Count == 0)
            {
                return RequestRules.FusionWithoutPrefetch;
            }

            if (fusion.Method == FusionMethod.Rrf && fusion.K == 0)
            {
                return RequestRules.ZeroAt(Join(path, "query.rrf.k"));
            }

            if (fusion.Method == FusionMethod.Rrf && fusion.Weights is { } weights)
            {
                if (weights.Count != prefetches.Count)
                {
                    return RequestRules.RrfWeightCount(weights.Count, prefetches.Count);
                }

                if (weights.Any(w => !float.IsFinite(w)))
                {
                    return RequestRules.RrfWeightValue(Join(path, "query.rrf.weights"));
                }
            }
        }

        for (var i = 0; i < prefetches.Count; i++)
        {
            var p = prefetches[i];
            var at = Field(path, i);
            if (p.Limit == 0)
            {
                return RequestRules.ZeroAt(at + ".limit");
            }

            if (Node(p.Query, p.Using, p.ScoreThreshold, p.Prefetches, at) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string Field(string parent, int index) =>
        Join(parent, "prefetch[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");

    private static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;
}
