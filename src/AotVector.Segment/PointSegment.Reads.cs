using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;

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
    public bool TryGetPoint(PointId id, bool withPayload, IReadOnlyList<string>? vectorNames, out Payload? payload, out Dictionary<string, VectorData>? vectors, out ulong version)
    {
        if (!_ids.TryGetOffset(id, out var offset))
        {
            payload = null;
            vectors = null;
            version = 0;
            return false;
        }

        version = _ids.VersionAt(offset);
        payload = withPayload ? (_payloads.GetReturnsCopy ? _payloads.Get(offset) : _payloads.Get(offset)?.DeepClone()) ?? new Payload() : null;
        vectors = new Dictionary<string, VectorData>(StringComparer.Ordinal);
        foreach (var column in _columns.Values)
        {
            if (column.Has(offset) && (vectorNames is null || vectorNames.Contains(column.Name)))
            {
                vectors[column.Name] = column.Read(offset);
            }
        }

        ReadSparse(offset, vectorNames, vectors);

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

    /// <summary>
    /// Number of live points matching <paramref name="filter"/> (null = all). A cancelled <paramref name="ct"/> stops
    /// the count early, as it stops <see cref="Search"/>.
    /// </summary>
    public int Count(Filter? filter, CancellationToken ct = default)
    {
        if (filter is null)
        {
            return _ids.LiveCount;
        }

        var matcher = new OffsetMatcher(this);
        var count = 0;
        var probe = new CancellationProbe(ct);
        foreach (var offset in CandidateOffsets(filter))
        {
            if (probe.Stop())
            {
                break;
            }

            if (matcher.Matches(filter, offset))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> matching ids in ascending order, starting at <paramref name="fromInclusive"/>.
    /// A cancelled <paramref name="ct"/> stops the scan early, as it stops <see cref="Search"/>.
    /// </summary>
    public List<PointId> Scroll(Filter? filter, PointId? fromInclusive, int limit, CancellationToken ct = default)
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
            var candidateProbe = new CancellationProbe(ct);
            foreach (var offset in candidates)
            {
                if (candidateProbe.Stop())
                {
                    break;
                }

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
        var probe = new CancellationProbe(ct);
        foreach (var id in _ids.LiveIds(fromInclusive))
        {
            if (probe.Stop())
            {
                break;
            }

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
    /// Nearest neighbours of <paramref name="query"/> among live points that have the vector and match
    /// <paramref name="filter"/>: at most <paramref name="limit"/> hits by raw similarity, best first, ties to the smaller
    /// id. The query must be preprocessed for the vector's metric as stored vectors are (see
    /// <see cref="DistanceKernels.Preprocess"/>); it is read in place, never copied. Once <paramref name="ct"/> is
    /// cancelled the search stops at its next check and returns what it found so far: a caller that passes a token
    /// looks at it afterwards and discards such a partial answer.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown vector name or wrong query length.</exception>
    public List<SearchHit> Search(string vectorName, ReadOnlySpan<float> query, Filter? filter, int limit, SegmentSearchOptions? options = null, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        var column = ColumnFor(vectorName, query.Length);
        if (limit <= 0 || column.PresentCount == 0)
        {
            return [];
        }

        var o = options ?? new SegmentSearchOptions();
        if (column.IsMulti)
        {
            return SearchMulti(column, query, filter, limit, o, ct);
        }

        return (column.Distance, column.Datatype) switch
        {
            (Distance.Cosine, VectorDatatype.Float32) => Search<DenseSimilarity<CosineMetric>>(column, query, filter, limit, o, ct),
            (Distance.Euclid, VectorDatatype.Float32) => Search<DenseSimilarity<EuclidMetric>>(column, query, filter, limit, o, ct),
            (Distance.Dot, VectorDatatype.Float32) => Search<DenseSimilarity<DotMetric>>(column, query, filter, limit, o, ct),
            (Distance.Manhattan, VectorDatatype.Float32) => Search<DenseSimilarity<ManhattanMetric>>(column, query, filter, limit, o, ct),
            (Distance.Cosine, VectorDatatype.Float16) => Search<HalfSimilarity<CosineMetric>>(column, query, filter, limit, o, ct),
            (Distance.Euclid, VectorDatatype.Float16) => Search<HalfSimilarity<EuclidMetric>>(column, query, filter, limit, o, ct),
            (Distance.Dot, VectorDatatype.Float16) => Search<HalfSimilarity<DotMetric>>(column, query, filter, limit, o, ct),
            (Distance.Manhattan, VectorDatatype.Float16) => Search<HalfSimilarity<ManhattanMetric>>(column, query, filter, limit, o, ct),
            (Distance.Cosine, _) => Search<ByteSimilarity<CosineMetric>>(column, query, filter, limit, o, ct),
            (Distance.Euclid, _) => Search<ByteSimilarity<EuclidMetric>>(column, query, filter, limit, o, ct),
            (Distance.Dot, _) => Search<ByteSimilarity<DotMetric>>(column, query, filter, limit, o, ct),
            (Distance.Manhattan, _) => Search<ByteSimilarity<ManhattanMetric>>(column, query, filter, limit, o, ct),
        };
    }

    /// <summary>
    /// Scores every live point that has the vector and matches <paramref name="filter"/> against example vectors
    /// (preprocessed as stored vectors are): Qdrant's best_score and sum_scores recommend strategies, and discovery
    /// and context search (pairs by index, plus the discovery <paramref name="target"/>), scored exactly. At most
    /// <paramref name="limit"/> hits, best first; <paramref name="ct"/> as in <see cref="Search"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown vector name, an example of the wrong length, or unpaired context.</exception>
    public List<SearchHit> ScoreByExamples(string vectorName, ExampleScoring scoring, IReadOnlyList<float[]> positives, IReadOnlyList<float[]> negatives, Filter? filter, int limit, CancellationToken ct = default, float[]? target = null)
    {
        ThrowIfDisposed();
        if (!_columns.TryGetValue(vectorName, out var column))
        {
            ThrowHelper.ThrowArgument($"Segment has no vector named \"{vectorName}\".", nameof(vectorName));
            return [];
        }

        foreach (var example in positives.Concat(negatives))
        {
            ColumnFor(vectorName, example.Length);
        }

        if (target is not null)
        {
            ColumnFor(vectorName, target.Length);
        }

        if (scoring is ExampleScoring.Discover or ExampleScoring.Context && positives.Count != negatives.Count)
        {
            ThrowHelper.ThrowArgument("Context pairs need as many negatives as positives.", nameof(negatives));
        }

        if (limit <= 0 || column.PresentCount == 0)
        {
            return [];
        }

        if (column.IsMulti)
        {
            return ScoreMultiByExamples(column, scoring, positives, negatives, target, filter, limit, ct);
        }

        var examples = new Examples(scoring, Encoded(column, positives), Encoded(column, negatives), target is null ? null : column.EncodeQuery(target).ToArray(), column.Dimension);
        return (column.Distance, column.Datatype) switch
        {
            (Distance.Cosine, VectorDatatype.Float32) => ScoreByExamples<DenseSimilarity<CosineMetric>>(column, examples, filter, limit, ct),
            (Distance.Euclid, VectorDatatype.Float32) => ScoreByExamples<DenseSimilarity<EuclidMetric>>(column, examples, filter, limit, ct),
            (Distance.Dot, VectorDatatype.Float32) => ScoreByExamples<DenseSimilarity<DotMetric>>(column, examples, filter, limit, ct),
            (Distance.Manhattan, VectorDatatype.Float32) => ScoreByExamples<DenseSimilarity<ManhattanMetric>>(column, examples, filter, limit, ct),
            (Distance.Cosine, VectorDatatype.Float16) => ScoreByExamples<HalfSimilarity<CosineMetric>>(column, examples, filter, limit, ct),
            (Distance.Euclid, VectorDatatype.Float16) => ScoreByExamples<HalfSimilarity<EuclidMetric>>(column, examples, filter, limit, ct),
            (Distance.Dot, VectorDatatype.Float16) => ScoreByExamples<HalfSimilarity<DotMetric>>(column, examples, filter, limit, ct),
            (Distance.Manhattan, VectorDatatype.Float16) => ScoreByExamples<HalfSimilarity<ManhattanMetric>>(column, examples, filter, limit, ct),
            (Distance.Cosine, _) => ScoreByExamples<ByteSimilarity<CosineMetric>>(column, examples, filter, limit, ct),
            (Distance.Euclid, _) => ScoreByExamples<ByteSimilarity<EuclidMetric>>(column, examples, filter, limit, ct),
            (Distance.Dot, _) => ScoreByExamples<ByteSimilarity<DotMetric>>(column, examples, filter, limit, ct),
            (Distance.Manhattan, _) => ScoreByExamples<ByteSimilarity<ManhattanMetric>>(column, examples, filter, limit, ct),
        };
    }

    // Example vectors as records of the column's datatype, compared as a query is.
    private static byte[][] Encoded(VectorColumn column, IReadOnlyList<float[]> examples)
    {
        var encoded = new byte[examples.Count][];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = column.EncodeQuery(examples[i]).ToArray();
        }

        return encoded;
    }

    private VectorColumn ColumnFor(string vectorName, int queryLength)
    {
        if (!_columns.TryGetValue(vectorName, out var column))
        {
            ThrowHelper.ThrowArgument($"Segment has no vector named \"{vectorName}\".", nameof(vectorName));
        }

        if (column!.IsMulti ? queryLength == 0 || queryLength % column.Dimension != 0 : queryLength != column.Dimension)
        {
            ThrowHelper.ThrowArgument($"Query has {queryLength} dimensions; vector \"{vectorName}\" has {column.Dimension}.", "query");
        }

        return column;
    }

    // One instantiation per metric and datatype, so every similarity in the scans below inlines.
    private List<SearchHit> Search<TSimilarity>(VectorColumn column, ReadOnlySpan<float> query, Filter? filter, int limit, SegmentSearchOptions options, CancellationToken ct)
        where TSimilarity : struct, IPointSimilarity
    {
        var plan = Plan(column, filter, options);
        if (TryGraphSearch<TSimilarity>(column, query, filter, plan, limit, options, ct) is { } viaGraph)
        {
            return viaGraph;
        }

        var scanCodes = ScanCodesFor(column, options);
        if (filter is null && scanCodes is not null)
        {
            return ScanAllByCodes<TSimilarity>(column, scanCodes, query, limit, ct);
        }

        var top = new TopHits(limit);
        if (filter is null)
        {
            var encoded = column.EncodeQuery(query);
            var recordBytes = column.RecordBytes;
            var end = Math.Min(_ids.Count, column.StoredCount);
            for (uint start = 0; start < end && !ct.IsCancellationRequested; start += SearchBlock)
            {
                var count = (int)Math.Min(SearchBlock, end - start);
                var block = column.GetRecords(start, count);
                for (var i = 0; i < count; i++)
                {
                    var offset = start + (uint)i;
                    if (column.Has(offset))
                    {
                        var score = TSimilarity.Similarity(encoded, block.Slice(i * recordBytes, recordBytes), column.Dimension);
                        top.Add(new SearchHit(_ids.IdAt(offset), score, _ids.VersionAt(offset)));
                    }
                }
            }

            return top.ToSortedList();
        }

        var matching = MatchingOffsets(column, filter, plan.Predicate!, plan.Kind, ct);
        return scanCodes is not null && !TSimilarity.IsMulti
            ? ScanByCodes<TSimilarity>(column, scanCodes, query, matching, limit, ct)
            : ScanPoints<TSimilarity>(column, query, matching, null, limit, ct);
    }

    private List<SearchHit> ScoreByExamples<TSimilarity>(VectorColumn column, Examples examples, Filter? filter, int limit, CancellationToken ct)
        where TSimilarity : struct, IPointSimilarity
    {
        var top = new TopHits(limit);
        var matcher = filter is null ? null : new OffsetMatcher(this);
        var probe = new CancellationProbe(ct);
        foreach (var offset in filter is null ? _ids.LiveOffsets() : CandidateOffsets(filter))
        {
            if (probe.Stop())
            {
                break;
            }

            if (column.Has(offset) && (matcher is null || matcher.Matches(filter!, offset)))
            {
                top.Add(new SearchHit(_ids.IdAt(offset), examples.Score<TSimilarity>(column.GetRecord(offset)), _ids.VersionAt(offset)));
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
