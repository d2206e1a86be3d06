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
        if (LiveCopy(id) is not { } holder
            || !holder.Segment.TryGetPoint(id, withPayload.Enable, names, out var payload, out var vectors, out var version))
        {
            record = null!;
            return false;
        }

        record = new PointRecord(id, withPayload.Enable ? PayloadSelection.Apply(payload ?? new Payload(), withPayload) : null, withVector.Enable ? vectors ?? [] : null) { Version = version };
        return true;
    }

    public IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit, CancellationToken ct)
    {
        _lock.EnterReadLock();
        try
        {
            if (_segments.Count == 1)
            {
                return _segments[0].Segment.Scroll(filter, offset, limit, ct);
            }

            // Each segment's page is ascending; the shard's page is the smallest ids of their union.
            var merged = new SortedSet<PointId>();
            foreach (var s in _segments)
            {
                if (ct.IsCancellationRequested)
                {
                    break;
                }

                merged.UnionWith(s.Segment.Scroll(filter, offset, limit, ct));
            }

            return [.. merged.Take(limit)];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public ulong Count(Filter? filter, CancellationToken ct)
    {
        _lock.EnterReadLock();
        try
        {
            ulong total = 0;
            foreach (var s in _segments)
            {
                if (ct.IsCancellationRequested)
                {
                    break;
                }

                total += filter is null ? s.Segment.PointsCount : (ulong)s.Segment.Count(filter, ct);
            }

            return total;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public IReadOnlyList<SearchHit> Search(ShardSearch search, CancellationToken ct)
    {
        var q = search.Quantization;
        var acorn = search.Acorn is { Enable: true } a ? new AcornSearch(true, a.MaxSelectivity ?? AcornSearch.DefaultMaxSelectivity) : (AcornSearch?)null;
        var options = new SegmentSearchOptions(search.Exact, search.Ef, search.FullScanThresholdKb, new QuantizedSearch(q?.Ignore ?? false, q?.Rescore, q?.Oversampling ?? 1), acorn);
        return Gather(search.Limit, ct, segment => segment.Search(search.VectorName, search.Vector, search.Filter, search.Limit, options, ct));
    }

    public IReadOnlyList<SearchHit> SearchByExamples(ShardExampleSearch search, CancellationToken ct)
    {
        var scoring = search.Strategy switch
        {
            RecommendStrategy.SumScores => ExampleScoring.SumScores,
            RecommendStrategy.BestScore => ExampleScoring.BestScore,
            _ => throw new ArgumentException("Only best_score and sum_scores score by examples.", nameof(search)),
        };
        return Gather(search.Limit, ct, segment => segment.ScoreByExamples(search.VectorName, scoring, search.Positives, search.Negatives, search.Filter, search.Limit, ct));
    }

    public IReadOnlyList<SearchHit> SearchByContext(ShardContextSearch search, CancellationToken ct)
    {
        var scoring = search.Target is null ? ExampleScoring.Context : ExampleScoring.Discover;
        return Gather(search.Limit, ct, segment => segment.ScoreByExamples(search.VectorName, scoring, search.Positives, search.Negatives, search.Filter, search.Limit, ct, search.Target));
    }

    public IReadOnlyList<SearchHit> SearchSparseByContext(ShardSparseContextSearch search, CancellationToken ct)
    {
        var scoring = search.Target is null ? ExampleScoring.Context : ExampleScoring.Discover;
        return Gather(search.Limit, ct, segment => segment.ScoreSparseByExamples(search.VectorName, scoring, search.Positives, search.Negatives, search.Filter, search.Limit, ct, search.Target));
    }

    // The best `limit` hits over every segment that holds points, under the read lock; one segment's list as it is.
    private List<SearchHit> Gather(int limit, CancellationToken ct, Func<PointSegment, List<SearchHit>> search)
    {
        _lock.EnterReadLock();
        try
        {
            if (_segments.Count == 1)
            {
                return search(_segments[0].Segment);
            }

            var top = new TopHits(limit);
            foreach (var s in _segments)
            {
                if (ct.IsCancellationRequested)
                {
                    break;
                }

                if (s.Segment.PointsCount == 0)
                {
                    continue;
                }

                foreach (var hit in search(s.Segment))
                {
                    top.Add(hit);
                }
            }

            return top.ToSortedList();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public VectorData? GetVector(PointId id, string vectorName)
    {
        _lock.EnterReadLock();
        try
        {
            return LiveCopy(id) is { } holder
                && holder.Segment.TryGetPoint(id, false, [vectorName], out _, out var vectors, out _)
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
                foreach (var s in _segments)
                {
                    foreach (var (key, info) in s.Segment.FieldIndexes)
                    {
                        schema[key] = schema.TryGetValue(key, out var seen)
                            ? seen with { Points = seen.Points + info.Points }
                            : new PayloadSchemaInfo(ToSchemaType(info.Type), info.Points) { Text = s.Segment.TextIndexParams(key), Options = FieldIndexOptions.From(s.Segment.IndexParams(key)) };
                    }
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
