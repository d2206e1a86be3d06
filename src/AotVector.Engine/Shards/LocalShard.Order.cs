using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Ports;
using AotVector.Segment;

namespace AotVector.Engine.Shards;

internal sealed partial class LocalShard
{
    public IReadOnlyList<OrderedPoint>? ScrollOrdered(Filter? filter, OrderBy orderBy, int limit, CancellationToken ct)
    {
        var descending = orderBy.Direction == OrderDirection.Desc;
        _lock.EnterReadLock();
        try
        {
            // A point lives in one segment, so each segment's best `limit` together hold the shard's.
            var all = new List<(OrderValue Value, PointId Id)>();
            foreach (var s in _segments)
            {
                if (ct.IsCancellationRequested)
                {
                    break;
                }

                if (!s.Segment.TryReadOrdered(orderBy.Key, descending, orderBy.StartFrom, filter, limit, ct, out var page))
                {
                    return null;
                }

                all.AddRange(page);
            }

            all.Sort((a, b) => PointSegment.CompareOrdered(a, b, descending));
            return all.Take(limit).Select(e => new OrderedPoint(e.Value, e.Id)).ToList();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public ShardSample Sample(Filter? filter, int limit, CancellationToken ct)
    {
        var sample = new ReservoirSample(limit, Random.Shared);
        _lock.EnterReadLock();
        try
        {
            foreach (var s in _segments)
            {
                if (ct.IsCancellationRequested)
                {
                    break;
                }

                s.Segment.Sample(filter, sample, ct);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return new ShardSample(sample.Shuffled(), sample.Seen);
    }
}
