using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Collections;

/// <summary>
/// Reads that rank by something other than a vector: a payload field's values (<c>order_by</c>, on scroll and as a
/// query) and chance (<c>sample: random</c>). As in the reference, such points carry score 1 and version 0, and an
/// ordered scroll has no next page offset: the next page is asked for with <c>start_from</c> and a filter.
/// </summary>
internal sealed partial class Collection
{
    private Result<ScrollResult> ScrollOrdered(ScrollRequest request, OrderBy orderBy, int limit, CancellationToken ct)
    {
        if (request.Offset is not null)
        {
            return AvError.BadRequest("Cannot use an `offset` when using `order_by`. The alternative for paging is to use `order_by.start_from` and a filter to exclude the IDs that you've already seen for the `order_by.start_from` value");
        }

        if (!Ordered(request.Filter, orderBy, limit, ct).TryGet(out var ordered, out var error))
        {
            return error;
        }

        var records = ShardRouting.Retrieve(_placement, ordered.Select(o => o.Id).Distinct().ToArray(), request.WithPayload, request.WithVector);
        var byId = records.ToDictionary(r => r.Id);
        var page = new List<PointRecord>(ordered.Count);
        foreach (var entry in ordered)
        {
            // A point deleted between the ordered read and the load is left out.
            if (byId.TryGetValue(entry.Id, out var record))
            {
                page.Add(record with { OrderValue = entry.Value });
            }
        }

        return new ScrollResult(page, null);
    }

    private Result<IReadOnlyList<ScoredPoint>> QueryByPayloadOrChance(QueryRequest request, int wanted, int offset, CancellationToken ct)
    {
        List<OrderedPoint> entries;
        if (request.Query is OrderByQuery byField)
        {
            if (!Ordered(request.Filter, byField.OrderBy, wanted, ct).TryGet(out var ordered, out var error))
            {
                return error;
            }

            entries = ordered;
        }
        else
        {
            entries = [.. SampleIds(request.Filter, wanted, ct).Select(id => new OrderedPoint(default, id))];
            if (ct.IsCancellationRequested)
            {
                return CancelledRead;
            }
        }

        var page = entries.Skip(offset).ToList();
        var ordering = request.Query is OrderByQuery;
        Dictionary<PointId, PointRecord>? byId = null;
        if (request.WithPayload.Enable || request.WithVector.Enable)
        {
            byId = ShardRouting.Retrieve(_placement, page.Select(o => o.Id).Distinct().ToArray(), request.WithPayload, request.WithVector).ToDictionary(r => r.Id);
        }

        var result = new List<ScoredPoint>(page.Count);
        foreach (var entry in page)
        {
            PointRecord? record = null;
            if (byId is not null && !byId.TryGetValue(entry.Id, out record))
            {
                continue;
            }

            result.Add(new ScoredPoint(entry.Id, 0, 1f, record?.Payload, record?.Vectors) { OrderValue = ordering ? entry.Value : null });
        }

        return result;
    }

    /// <summary>Up to <paramref name="limit"/> matching points by <paramref name="orderBy"/>, over every shard.</summary>
    private Result<List<OrderedPoint>> Ordered(Filter? filter, OrderBy orderBy, int limit, CancellationToken ct)
    {
        if (!HasRangeIndex(orderBy.Key))
        {
            return NoRangeIndex(orderBy.Key);
        }

        var all = new List<OrderedPoint>();
        foreach (var shard in _placement.AllShards)
        {
            if (shard.ScrollOrdered(filter, orderBy, limit, ct) is not { } page)
            {
                return NoRangeIndex(orderBy.Key);
            }

            all.AddRange(page);
        }

        if (ct.IsCancellationRequested)
        {
            return CancelledRead;
        }

        var descending = orderBy.Direction == OrderDirection.Desc;
        all.Sort((a, b) => Segment.PointSegment.CompareOrdered((a.Value, a.Id), (b.Value, b.Id), descending));
        if (all.Count > limit)
        {
            all.RemoveRange(limit, all.Count - limit);
        }

        return all;
    }

    private bool HasRangeIndex(string key)
    {
        foreach (var shard in _placement.AllShards)
        {
            if (shard.PayloadSchema.TryGetValue(key, out var info) && info.DataType is PayloadSchemaType.Integer or PayloadSchemaType.Float or PayloadSchemaType.Datetime
                && info.Options?.Range != false)
            {
                return true;
            }
        }

        return false;
    }

    private static AvError NoRangeIndex(string key) => AvError.BadRequest(
        $"No range index for `order_by` key: `{key}`. Please create one to use `order_by`. Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Range conditions");

    /// <summary>
    /// A uniform random sample of up to <paramref name="limit"/> matching points, in random order: each shard samples
    /// its own matches uniformly, then the shards' samples are drawn from in proportion to how many matches each has
    /// left, which keeps every matching point of the collection equally likely.
    /// </summary>
    private List<PointId> SampleIds(Filter? filter, int limit, CancellationToken ct)
    {
        var samples = _placement.AllShards.Select(s => s.Sample(filter, limit, ct)).ToList();
        if (samples.Count == 1)
        {
            return [.. samples[0].Ids];
        }

        var remaining = samples.Select(s => s.Matching).ToArray();
        var taken = new int[samples.Count];
        var result = new List<PointId>(Math.Min(limit, 1024));
        while (result.Count < limit)
        {
            var total = remaining.Aggregate(0UL, (a, b) => a + b);
            if (total == 0)
            {
                break;
            }

            var pick = (ulong)Random.Shared.NextInt64((long)Math.Min(total, long.MaxValue));
            var i = 0;
            while (pick >= remaining[i])
            {
                pick -= remaining[i];
                i++;
            }

            if (taken[i] >= samples[i].Ids.Count)
            {
                remaining[i] = 0;
                continue;
            }

            result.Add(samples[i].Ids[taken[i]++]);
            remaining[i]--;
        }

        return result;
    }
}
