using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;

namespace AotVector.Segment;

public sealed partial class PointSegment
{
    // Vectors scored per batch-kernel call in unfiltered search.
    private const int SearchBlock = 256;

    public bool Contains(PointId id) => _ids.TryGetOffset(id, out _);

    /// <summary>
    /// Reads a live point. <paramref name="payload"/> is a copy (empty when the point has none) when
    /// <paramref name="withPayload"/>, else null. <paramref name="vectors"/> holds copies of the stored
    /// (preprocessed) vectors the point has, limited to <paramref name="vectorNames"/> (null = all).
    /// </summary>
    public bool TryGetPoint(PointId id, bool withPayload, IReadOnlyList<string>? vectorNames, out Payload? payload, out Dictionary<string, float[]>? vectors, out ulong version)
    {
        if (!_ids.TryGetOffset(id, out var offset))
        {
            payload = null;
            vectors = null;
            version = 0;
            return false;
        }

        version = _ids.VersionAt(offset);
        payload = withPayload ? _payloads[(int)offset]?.DeepClone() ?? new Payload() : null;
        vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var column in _columns.Values)
        {
            if (column.Has(offset) && (vectorNames is null || vectorNames.Contains(column.Name)))
            {
                vectors[column.Name] = column.Get(offset).ToArray();
            }
        }

        return true;
    }

    /// <summary>Ids of the live points matching <paramref name="filter"/> (null = all), ascending.</summary>
    public IEnumerable<PointId> Select(Filter? filter)
    {
        if (filter is null)
        {
            return [.. _ids.LiveIds()];
        }

        var matcher = new OffsetMatcher(this);
        var result = new List<PointId>();
        if (TryGetCandidates(filter, out var candidates))
        {
            foreach (var offset in candidates)
            {
                if (!_ids.IsDeleted(offset) && matcher.Matches(filter, offset))
                {
                    result.Add(_ids.IdAt(offset));
                }
            }

            result.Sort();
            return result;
        }

        foreach (var id in _ids.LiveIds())
        {
            _ids.TryGetOffset(id, out var offset);
            if (matcher.Matches(filter, offset))
            {
                result.Add(id);
            }
        }

        return result;
    }

    /// <summary>Number of live points matching <paramref name="filter"/> (null = all).</summary>
    public int Count(Filter? filter)
    {
        if (filter is null)
        {
            return _ids.LiveCount;
        }

        var matcher = new OffsetMatcher(this);
        var count = 0;
        foreach (var offset in CandidateOffsets(filter))
        {
            if (matcher.Matches(filter, offset))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Up to <paramref name="limit"/> matching ids in ascending order, starting at <paramref name="fromInclusive"/>.</summary>
    public List<PointId> Scroll(Filter? filter, PointId? fromInclusive, int limit)
    {
        var result = new List<PointId>(Math.Clamp(limit, 0, 1024));
        if (limit <= 0)
        {
            return result;
        }

        if (filter is not null && TryGetCandidates(filter, out var candidates))
        {
            // An indexed filter is usually selective: collect its matches and page over them.
            var candidateMatcher = new OffsetMatcher(this);
            var matches = new List<PointId>();
            foreach (var offset in candidates)
            {
                var id = _ids.IdAt(offset);
                if (!_ids.IsDeleted(offset) && (fromInclusive is not { } from || id >= from) && candidateMatcher.Matches(filter, offset))
                {
                    matches.Add(id);
                }
            }

            matches.Sort();
            result.AddRange(matches.Take(limit));
            return result;
        }

        var matcher = filter is null ? null : new OffsetMatcher(this);
        foreach (var id in _ids.LiveIds(fromInclusive))
        {
            if (matcher is not null)
            {
                _ids.TryGetOffset(id, out var offset);
                if (!matcher.Matches(filter!, offset))
                {
                    continue;
                }
            }

            result.Add(id);
            if (result.Count == limit)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>
    /// Exact nearest neighbours of <paramref name="query"/> (a copy is preprocessed for the metric) among live points
    /// that have the vector and match <paramref name="filter"/>: at most <paramref name="limit"/> hits by raw similarity,
    /// best first, ties to the smaller id. <paramref name="scoreThreshold"/> is a raw similarity: hits below it are dropped.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown vector name or wrong query length.</exception>
    public List<SearchHit> Search(string vectorName, ReadOnlySpan<float> query, Filter? filter, int limit, float? scoreThreshold, SegmentSearchOptions? options = null)
    {
        ThrowIfDisposed();
        if (!_columns.TryGetValue(vectorName, out var column))
        {
            ThrowHelper.ThrowArgument($"Segment has no vector named \"{vectorName}\".", nameof(vectorName));
            return [];
        }

        if (query.Length != column.Dimension)
        {
            ThrowHelper.ThrowArgument($"Query has {query.Length} dimensions; vector \"{vectorName}\" has {column.Dimension}.", nameof(query));
        }

        var top = new TopHits(limit);
        if (limit <= 0 || column.PresentCount == 0)
        {
            return [];
        }

        var q = query.ToArray();
        DistanceKernels.Preprocess(column.Distance, q);
        var threshold = scoreThreshold ?? float.NegativeInfinity;
        if (TryGraphSearch(column, q, filter, limit, threshold, options ?? new SegmentSearchOptions()) is { } viaGraph)
        {
            return viaGraph;
        }

        if (filter is null)
        {
            var end = Math.Min(_ids.Count, column.StoredCount);
            var scores = new float[SearchBlock];
            for (uint start = 0; start < end; start += SearchBlock)
            {
                var count = (int)Math.Min(SearchBlock, end - start);
                DistanceKernels.SimilarityBatch(column.Distance, q, column.GetBlock(start, count), column.Dimension, scores);
                for (var i = 0; i < count; i++)
                {
                    var offset = start + (uint)i;
                    if (column.Has(offset) && scores[i] >= threshold)
                    {
                        top.Add(new SearchHit(_ids.IdAt(offset), scores[i], _ids.VersionAt(offset)));
                    }
                }
            }

            return top.ToSortedList();
        }

        var matcher = new OffsetMatcher(this);
        foreach (var offset in CandidateOffsets(filter))
        {
            if (!column.Has(offset) || !matcher.Matches(filter, offset))
            {
                continue;
            }

            var score = DistanceKernels.Similarity(column.Distance, q, column.Get(offset));
            if (score >= threshold)
            {
                top.Add(new SearchHit(_ids.IdAt(offset), score, _ids.VersionAt(offset)));
            }
        }

        return top.ToSortedList();
    }

    // Live offsets worth checking against the filter: index or has_id candidates when a must-clause allows, else all.
    private IEnumerable<uint> CandidateOffsets(Filter filter)
    {
        if (!TryGetCandidates(filter, out var candidates))
        {
            return _ids.LiveOffsets();
        }

        var live = new List<uint>(candidates.Count);
        foreach (var offset in candidates)
        {
            if (!_ids.IsDeleted(offset))
            {
                live.Add(offset);
            }
        }

        live.Sort();
        return live;
    }

    // The smallest superset of the matching offsets that a must-clause gives (payload index or has_id).
    private bool TryGetCandidates(Filter filter, out HashSet<uint> candidates)
    {
        var found = _indexes.TryGetCandidates(filter, out candidates);
        if (filter.Must is not { } must)
        {
            return found;
        }

        foreach (var condition in must)
        {
            if (condition is HasIdCondition hasId && (!found || hasId.Ids.Count < candidates.Count))
            {
                var set = new HashSet<uint>(hasId.Ids.Count);
                foreach (var id in hasId.Ids)
                {
                    if (_ids.TryGetOffset(id, out var offset))
                    {
                        set.Add(offset);
                    }
                }

                candidates = set;
                found = true;
            }
        }

        return found;
    }
}
