using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Ports;
using AotVector.Segment;

namespace AotVector.Engine.Shards;

internal sealed partial class LocalShard
{
    public IReadOnlyList<PointRecord> Retrieve(IReadOnlyList<PointId> ids, WithPayload withPayload, WithVector withVector)
    {
        var result = new List<PointRecord>(ids.Count);
        _lock.EnterReadLock();
        try
        {
            foreach (var id in ids)
            {
                if (TryRead(id, withPayload, withVector, out var record))
                {
                    result.Add(record);
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return result;
    }

    private bool TryRead(PointId id, WithPayload withPayload, WithVector withVector, out PointRecord record)
    {
        var names = withVector.Enable ? withVector.Names : [];
        if (!_segment.TryGetPoint(id, withPayload.Enable, names, out var payload, out var vectors, out _))
        {
            record = null!;
            return false;
        }

        record = new PointRecord(id, withPayload.Enable ? PayloadSelection.Apply(payload ?? new Payload(), withPayload) : null, withVector.Enable ? vectors ?? [] : null);
        return true;
    }

    public IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit)
    {
        _lock.EnterReadLock();
        try
        {
            return _segment.Scroll(filter, offset, limit);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public ulong Count(Filter? filter)
    {
        _lock.EnterReadLock();
        try
        {
            return filter is null ? _segment.PointsCount : (ulong)_segment.Count(filter);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public IReadOnlyList<SearchHit> Search(string vectorName, float[] query, Filter? filter, int limit, SegmentSearchOptions options)
    {
        _lock.EnterReadLock();
        try
        {
            return _segment.Search(vectorName, query, filter, limit, null, options);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public IReadOnlyList<SearchHit> ScoreAll(string vectorName, Filter? filter, Func<float[], float> score, int limit)
    {
        var top = new TopHits(limit);
        _lock.EnterReadLock();
        try
        {
            string[] names = [vectorName];
            foreach (var id in _segment.Select(filter))
            {
                if (_segment.TryGetPoint(id, false, names, out _, out var vectors, out var version)
                    && vectors is not null && vectors.TryGetValue(vectorName, out var v))
                {
                    top.Add(new SearchHit(id, score(v), version));
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return top.ToSortedList();
    }

    public float[]? GetVector(PointId id, string vectorName)
    {
        _lock.EnterReadLock();
        try
        {
            return _segment.TryGetPoint(id, false, [vectorName], out _, out var vectors, out _)
                && vectors is not null && vectors.TryGetValue(vectorName, out var v) ? v : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public IReadOnlyDictionary<string, PayloadSchemaInfo> PayloadSchema
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                var schema = new Dictionary<string, PayloadSchemaInfo>(StringComparer.Ordinal);
                foreach (var (key, info) in _segment.FieldIndexes)
                {
                    schema[key] = new PayloadSchemaInfo(ToSchemaType(info.Type), info.Points);
                }

                return schema;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }
}
