using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Collections;

/// <summary>
/// Splits work by the shard that holds each point (<see cref="IShardPlacement.ShardFor"/>): an operation or a
/// lookup by ids becomes one part per shard; one by filter, and a payload index change, goes to every shard. When
/// all ids land on one shard, as they always do in standalone mode, the operation goes there as it is.
/// </summary>
internal static class ShardRouting
{
    public static IReadOnlyList<(IShard Shard, UpdateOperation Part)> Route(IShardPlacement placement, UpdateOperation operation) => operation switch
    {
        UpsertPoints u => ByPoint(placement, operation, u.Points, p => p.Id, part => u with { Points = part }),
        UpdateVectors uv => ByPoint(placement, operation, uv.Points, p => p.Id, part => uv with { Points = part }),
        DeletePoints { Selector.Ids: { } ids } d => ByPoint(placement, operation, ids, id => id, part => d with { Selector = PointsSelector.ByIds(part) }),
        SetPayload { Selector.Ids: { } ids } sp => ByPoint(placement, operation, ids, id => id, part => sp with { Selector = PointsSelector.ByIds(part) }),
        OverwritePayload { Selector.Ids: { } ids } op => ByPoint(placement, operation, ids, id => id, part => op with { Selector = PointsSelector.ByIds(part) }),
        DeletePayloadKeys { Selector.Ids: { } ids } dk => ByPoint(placement, operation, ids, id => id, part => dk with { Selector = PointsSelector.ByIds(part) }),
        ClearPayload { Selector.Ids: { } ids } cp => ByPoint(placement, operation, ids, id => id, part => cp with { Selector = PointsSelector.ByIds(part) }),
        DeleteVectors { Selector.Ids: { } ids } dv => ByPoint(placement, operation, ids, id => id, part => dv with { Selector = PointsSelector.ByIds(part) }),
        _ => Everywhere(placement, operation),
    };

    /// <summary>
    /// Reads <paramref name="ids"/> from the shards that hold them and answers in request order (unknown ids left
    /// out, as one shard does).
    /// </summary>
    public static IReadOnlyList<PointRecord> Retrieve(IShardPlacement placement, IReadOnlyList<PointId> ids, WithPayload withPayload, WithVector withVector)
    {
        var groups = Group(placement, ids, id => id);
        if (groups.Count <= 1)
        {
            return groups.Count == 0 ? [] : groups[0].Shard.Retrieve(ids, withPayload, withVector);
        }

        var found = new Dictionary<PointId, PointRecord>(ids.Count);
        foreach (var (shard, part) in groups)
        {
            foreach (var record in shard.Retrieve(part, withPayload, withVector))
            {
                found[record.Id] = record;
            }
        }

        var ordered = new List<PointRecord>(found.Count);
        foreach (var id in ids)
        {
            if (found.TryGetValue(id, out var record))
            {
                ordered.Add(record);
            }
        }

        return ordered;
    }

    // Operations with no ids to route by (filters, index changes, an empty point list) reach every shard.
    private static (IShard, UpdateOperation)[] Everywhere(IShardPlacement placement, UpdateOperation operation) =>
        [.. placement.AllShards.Select(s => (s, operation))];

    private static IReadOnlyList<(IShard Shard, UpdateOperation Part)> ByPoint<T>(
        IShardPlacement placement, UpdateOperation operation, IReadOnlyList<T> items, Func<T, PointId> idOf, Func<IReadOnlyList<T>, UpdateOperation> part)
    {
        var groups = Group(placement, items, idOf);
        return groups.Count switch
        {
            0 => Everywhere(placement, operation),
            1 => [(groups[0].Shard, operation)],
            _ => [.. groups.Select(g => (g.Shard, part(g.Items)))],
        };
    }

    // Items grouped by the shard of their id, each group in the items' order; shards in order of first appearance.
    private static List<(IShard Shard, IReadOnlyList<T> Items)> Group<T>(IShardPlacement placement, IReadOnlyList<T> items, Func<T, PointId> idOf)
    {
        var groups = new List<(IShard Shard, IReadOnlyList<T> Items)>(1);
        if (items.Count == 0)
        {
            return groups;
        }

        // The common case, and the only one standalone: every id on one shard, and no copy of the items.
        var first = placement.ShardFor(idOf(items[0]));
        var oneShard = true;
        for (var i = 1; i < items.Count && oneShard; i++)
        {
            oneShard = ReferenceEquals(placement.ShardFor(idOf(items[i])), first);
        }

        if (oneShard)
        {
            groups.Add((first, items));
            return groups;
        }

        foreach (var item in items)
        {
            var shard = placement.ShardFor(idOf(item));
            var index = groups.FindIndex(g => ReferenceEquals(g.Shard, shard));
            if (index < 0)
            {
                groups.Add((shard, new List<T>()));
                index = groups.Count - 1;
            }

            ((List<T>)groups[index].Items).Add(item);
        }

        return groups;
    }
}
