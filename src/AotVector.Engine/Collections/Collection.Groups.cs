using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Query;
using AotVector.Kernels.Distance;

namespace AotVector.Engine.Collections;

/// <summary>
/// Grouped queries, run as the reference runs them: the query is asked repeatedly for candidates (its own filter
/// plus "has a value at the key", minus the points already seen), first leaving out the groups already full, then
/// asking only for the best groups not yet full; each round wants groups × group size points, and each phase has a
/// bounded number of rounds. Candidates come back best first, so a group's hits are its best points and the groups
/// found first are the best ones; the rounds stop once the best groups are all full.
/// </summary>
internal sealed partial class Collection
{
    // The reference's budget: rounds that look for new groups, then rounds that fill the best ones.
    private const int CollectRounds = 5;
    private const int FillRounds = 5;

    public Result<IReadOnlyList<PointGroup>> QueryGroups(GroupsRequest request, Func<string, Result<Collection>> lookup, CancellationToken ct)
    {
        if (!JsonPath.TryParse(request.GroupBy, out var groupBy, out var pathError))
        {
            return AvError.BadRequest(pathError);
        }

        var source = request.Source;
        var order = GroupOrder(source.Query, source.Using);
        if (!order.TryGet(out var largeBetter, out var orderError))
        {
            return orderError;
        }

        var groups = new GroupAggregator(groupBy, (int)Math.Min(source.Limit, 1_000_000), (int)Math.Min(request.GroupSize, 1_000_000), largeBetter);
        var candidates = (uint)Math.Min((ulong)source.Limit * request.GroupSize, 1_000_000);
        var keyed = And(source.Filter, new Filter(MustNot: [new IsEmptyCondition(request.GroupBy)]));
        var shaped = source with
        {
            Limit = candidates,
            Offset = 0,
            WithPayload = new WithPayload(true, Include: [request.GroupBy]),
            WithVector = WithVector.None,
            Prefetch = source.Prefetch is { } prefetch ? [.. prefetch.Select(p => Widen(p, request.GroupSize))] : null,
        };

        var collecting = true;
        var roundsLeft = CollectRounds;
        while (true)
        {
            if (roundsLeft == 0)
            {
                if (!collecting)
                {
                    break;
                }

                collecting = false;
                roundsLeft = FillRounds;
                continue;
            }

            roundsLeft--;
            var filter = keyed;
            if (collecting)
            {
                // Full groups need no more points: ask for points with a value outside them.
                if (ValueConditions(request.GroupBy, groups.FullKeys(), except: true) is { Count: > 0 } except)
                {
                    filter = And(filter, new Filter(Must: except));
                }
            }
            else if (ValueConditions(request.GroupBy, groups.UnfilledBestKeys(), except: false) is { Count: > 0 } only)
            {
                // Any of them: the reference requires both when the keys are of both kinds, which only points holding
                // a string and an integer match, and its groups then stay short of what the data fills.
                filter = And(filter, new Filter(Should: only));
            }

            if (groups.SeenIds.Count > 0)
            {
                filter = And(filter, new Filter(MustNot: [new HasIdCondition(new HashSet<PointId>(groups.SeenIds))]));
            }

            var found = Query(shaped with { Filter = filter }, lookup, ct);
            if (!found.TryGet(out var points, out var error))
            {
                return error;
            }

            groups.Add(points);
            if (groups.BestAreFull)
            {
                break;
            }

            if (points.Count == 0)
            {
                if (!collecting)
                {
                    break;
                }

                collecting = false;
                roundsLeft = FillRounds;
            }
        }

        if (ct.IsCancellationRequested)
        {
            return CancelledRead;
        }

        var best = groups.Distill();
        var hydrated = Hydrate(best, source.WithPayload, source.WithVector);
        return request.WithLookup is { } with ? LookUp(hydrated, with, lookup) : hydrated;
    }

    /// <summary>
    /// Whether a larger score is better for the query's results, as the reference decides it for groups: distances
    /// (nearest, and the average-vector recommendation) by the vector's metric, no query (id order) smaller first,
    /// every other score larger first.
    /// </summary>
    private Result<bool> GroupOrder(QueryInput? query, string? usingName)
    {
        var name = usingName ?? VectorsConfig.DefaultName;
        switch (query)
        {
            case null:
                return false;
            case NearestQuery or RecommendQuery { Strategy: RecommendStrategy.AverageVector }:
                if (SparseParams(name) is not null)
                {
                    return true;
                }

                return Config.Params.Vectors.Find(name) is { } parameters ? DistanceKernels.IsLargeBetter(parameters.Distance) : UnknownVector(name);
            case OrderByQuery ordered:
                return ordered.OrderBy.Direction == OrderDirection.Desc;
            default:
                return true;
        }
    }

    // A branch asks for group-size times its limit, so that the groups can still fill from what it passes up.
    private static Prefetch Widen(Prefetch prefetch, uint groupSize) => prefetch with
    {
        Limit = (uint)Math.Min((ulong)prefetch.Limit * groupSize, uint.MaxValue),
        Prefetches = [.. prefetch.Prefetches.Select(p => Widen(p, groupSize))],
    };

    // One condition per kind of value (strings, integers), as the reference builds them.
    private static List<Condition> ValueConditions(string key, IReadOnlyCollection<PayloadValue> values, bool except)
    {
        var strings = values.Where(v => v.Kind == PayloadKind.String).Select(v => v.AsString).ToList();
        var integers = values.Where(v => v.Kind == PayloadKind.Integer).Select(v => v.AsInteger).ToList();
        var conditions = new List<Condition>(2);
        if (integers.Count > 0)
        {
            conditions.Add(new FieldCondition(key, except ? new MatchExcept(null, integers) : new MatchAny(null, integers)));
        }

        if (strings.Count > 0)
        {
            conditions.Add(new FieldCondition(key, except ? new MatchExcept(strings, null) : new MatchAny(strings, null)));
        }

        return conditions;
    }

    // The groups' hits with the payload and vectors the request asked for (the rounds fetched only the key).
    private List<PointGroup> Hydrate(List<PointGroup> groups, WithPayload withPayload, WithVector withVector)
    {
        if (!withPayload.Enable && !withVector.Enable)
        {
            return [.. groups.Select(g => g with { Hits = [.. g.Hits.Select(h => h with { Payload = null, Vectors = null })] })];
        }

        var ids = groups.SelectMany(g => g.Hits).Select(h => h.Id).Distinct().ToArray();
        var byId = ShardRouting.Retrieve(_placement, ids, withPayload, withVector).ToDictionary(r => r.Id);
        return [.. groups.Select(g => g with
        {
            Hits = [.. g.Hits.Select(h => byId.TryGetValue(h.Id, out var r) ? h with { Payload = r.Payload, Vectors = r.Vectors } : h with { Payload = null, Vectors = null })],
        })];
    }

    // Each group's id read as a point id in the lookup collection; ids that are not point ids find nothing.
    private static Result<IReadOnlyList<PointGroup>> LookUp(List<PointGroup> groups, GroupLookup with, Func<string, Result<Collection>> lookup)
    {
        var found = lookup(with.Collection);
        if (!found.TryGet(out var other, out var error))
        {
            return error.Kind == ErrorKind.NotFound ? AvError.NotFound($"Collection {with.Collection} not found") : error;
        }

        var ids = new List<PointId>(groups.Count);
        foreach (var group in groups)
        {
            if (AsPointId(group.Id) is { } id)
            {
                ids.Add(id);
            }
        }

        var records = other.Retrieve(new RetrieveRequest(ids, with.WithPayload, with.WithVector)).ToDictionary(r => r.Id);
        return groups.Select(g => AsPointId(g.Id) is { } id && records.TryGetValue(id, out var record) ? g with { Lookup = record } : g).ToList();
    }

    private static PointId? AsPointId(PayloadValue groupId) => groupId.Kind switch
    {
        PayloadKind.Integer when groupId.AsInteger >= 0 => PointId.FromNum((ulong)groupId.AsInteger),
        PayloadKind.String when PointId.TryParseUuid(groupId.AsString, out var uuid) => uuid,
        _ => null,
    };
}
