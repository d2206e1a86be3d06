using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

/// <summary>
/// Sparse vectors: a <see cref="SparseColumn"/> per name, created at the first write of that name (a segment takes
/// any sparse name; the collection checks names against its config) and found again at open by its file.
/// </summary>
public sealed partial class PointSegment
{
    private readonly Dictionary<string, SparseColumn> _sparse = new(StringComparer.Ordinal);

    /// <summary>Names of the sparse vectors this segment has stored.</summary>
    public IReadOnlyCollection<string> SparseVectorNames => _sparse.Keys;

    /// <summary>Number of live points with the sparse vector <paramref name="name"/>.</summary>
    public ulong SparseVectorCount(string name) => _sparse.TryGetValue(name, out var column) ? column.PresentCount : 0;

    /// <summary>Number of live points whose sparse vector <paramref name="name"/> has a weight at <paramref name="dimension"/>.</summary>
    public ulong SparseDocumentFrequency(string name, uint dimension) =>
        _sparse.TryGetValue(name, out var column) ? (ulong)column.Index.DocumentFrequency(dimension) : 0;

    /// <summary>Postings in the inverted index of <paramref name="name"/> (one per stored non-zero).</summary>
    public long SparsePostingCount(string name) => _sparse.TryGetValue(name, out var column) ? column.Index.PostingCount : 0;

    /// <summary>
    /// Exact dot-product search over the sparse vector <paramref name="vectorName"/>: every live point that has it,
    /// shares at least one dimension with <paramref name="query"/> and matches <paramref name="filter"/>. At most
    /// <paramref name="limit"/> hits, best first, ties to the smaller id. The query's weights are used as given
    /// (the caller applies any idf modifier); an unknown name finds nothing.
    /// </summary>
    public List<SearchHit> SearchSparse(string vectorName, SparseVector query, Filter? filter, int limit, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        if (limit <= 0 || query.Indices.Length == 0 || !_sparse.TryGetValue(vectorName, out var column) || column.PresentCount == 0)
        {
            return [];
        }

        var top = new TopHits(limit);
        var matcher = filter is null ? null : new OffsetMatcher(this);

        // A selective indexed filter: score its few candidates directly instead of walking whole posting lists.
        if (filter is not null && TryGetCandidates(filter, out var candidates) && (ulong)candidates.Count * 4 < column.PresentCount)
        {
            var probe = new CancellationProbe(ct);
            foreach (var offset in candidates)
            {
                if (probe.Stop())
                {
                    break;
                }

                if (column.Get(offset) is { } stored && !_ids.IsDeleted(offset) && SparseDot(query, stored) is { } score && matcher!.Matches(filter, offset))
                {
                    top.Add(new SearchHit(_ids.IdAt(offset), score, _ids.VersionAt(offset)));
                }
            }

            return top.ToSortedList();
        }

        var count = (int)_ids.Count;
        var scores = new float[count];
        var touched = new bool[count];
        var order = new List<uint>();
        column.Index.Accumulate(query.Indices, query.Values, scores, touched, order);
        var check = new CancellationProbe(ct);
        foreach (var offset in order)
        {
            if (check.Stop())
            {
                break;
            }

            if (!_ids.IsDeleted(offset) && (matcher is null || matcher.Matches(filter!, offset)))
            {
                top.Add(new SearchHit(_ids.IdAt(offset), scores[offset], _ids.VersionAt(offset)));
            }
        }

        return top.ToSortedList();
    }

    /// <summary>
    /// Scores every live point that has the sparse vector and matches <paramref name="filter"/> against examples, by
    /// the best_score or sum_scores rule with dot product as the similarity (0 for no shared dimension).
    /// </summary>
    public List<SearchHit> ScoreSparseByExamples(string vectorName, ExampleScoring scoring, IReadOnlyList<SparseVector> positives, IReadOnlyList<SparseVector> negatives, Filter? filter, int limit, CancellationToken ct = default)
    {
        ThrowIfDisposed();
        if (limit <= 0 || !_sparse.TryGetValue(vectorName, out var column) || column.PresentCount == 0)
        {
            return [];
        }

        var top = new TopHits(limit);
        var matcher = filter is null ? null : new OffsetMatcher(this);
        var probe = new CancellationProbe(ct);
        foreach (var offset in filter is null ? _ids.LiveOffsets() : CandidateOffsets(filter))
        {
            if (probe.Stop())
            {
                break;
            }

            if (column.Get(offset) is not { } stored || (matcher is not null && !matcher.Matches(filter!, offset)))
            {
                continue;
            }

            float score;
            if (scoring == ExampleScoring.SumScores)
            {
                score = 0f;
                foreach (var p in positives)
                {
                    score += SparseDot(p, stored) ?? 0f;
                }

                foreach (var n in negatives)
                {
                    score -= SparseDot(n, stored) ?? 0f;
                }
            }
            else
            {
                var bestPositive = float.NegativeInfinity;
                foreach (var p in positives)
                {
                    bestPositive = Math.Max(bestPositive, SparseDot(p, stored) ?? 0f);
                }

                var bestNegative = float.NegativeInfinity;
                foreach (var n in negatives)
                {
                    bestNegative = Math.Max(bestNegative, SparseDot(n, stored) ?? 0f);
                }

                score = bestPositive > bestNegative ? bestPositive : -(bestNegative * bestNegative);
            }

            top.Add(new SearchHit(_ids.IdAt(offset), score, _ids.VersionAt(offset)));
        }

        return top.ToSortedList();
    }

    /// <summary>Dot product of two sparse vectors, or null when they share no dimension.</summary>
    public static float? SparseDot(SparseVector query, SparseVector stored)
    {
        var shared = false;
        var sum = 0f;
        for (var i = 0; i < query.Indices.Length; i++)
        {
            var at = Array.BinarySearch(stored.Indices, query.Indices[i]);
            if (at >= 0)
            {
                shared = true;
                sum += query.Values[i] * stored.Values[at];
            }
        }

        return shared ? sum : null;
    }

    // Upsert: the given sparse vectors replace the point's, the others become absent.
    private void UpsertSparse(uint offset, IReadOnlyDictionary<string, VectorData> vectors)
    {
        foreach (var column in _sparse.Values)
        {
            if (!vectors.ContainsKey(column.Name))
            {
                column.Set(offset, null);
            }
        }

        UpdateSparse(offset, vectors);
    }

    private void UpdateSparse(uint offset, IReadOnlyDictionary<string, VectorData> vectors)
    {
        foreach (var (name, data) in vectors)
        {
            if (data is SparseVector sparse)
            {
                SparseColumnFor(name).Set(offset, sparse);
            }
        }
    }

    private void DeleteSparse(uint offset, IEnumerable<string>? names)
    {
        foreach (var column in _sparse.Values)
        {
            if (names is null || names.Contains(column.Name))
            {
                column.Set(offset, null);
            }
        }
    }

    private bool HasSparse(string name, uint offset) => _sparse.TryGetValue(name, out var column) && column.Has(offset);

    private void ReadSparse(uint offset, IReadOnlyList<string>? names, Dictionary<string, VectorData> into)
    {
        foreach (var column in _sparse.Values)
        {
            if (column.Get(offset) is { } vector && (names is null || names.Contains(column.Name)))
            {
                into[column.Name] = new SparseVector((uint[])vector.Indices.Clone(), (float[])vector.Values.Clone());
            }
        }
    }

    private void CopySparseFrom(PointSegment source, uint from, uint offset)
    {
        foreach (var column in source._sparse.Values)
        {
            if (column.Get(from) is { } vector)
            {
                SparseColumnFor(column.Name).Set(offset, vector);
            }
        }
    }

    private void FlushSparse()
    {
        foreach (var column in _sparse.Values)
        {
            column.Flush();
        }
    }

    // At open, after the ids are restored: every sparse file of the directory.
    private void OpenSparse()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, "sparse-*.bin"))
        {
            var hex = Path.GetFileNameWithoutExtension(path)["sparse-".Length..];
            var name = System.Text.Encoding.UTF8.GetString(Convert.FromHexString(hex));
            _sparse[name] = SparseColumn.Open(path, name, _ids.Count, offset => !_ids.IsDeleted(offset));
        }
    }

    // A create that crashed before its first state file may have left sparse files behind.
    private static void RemoveSparseFiles(string directory)
    {
        foreach (var path in Directory.EnumerateFiles(directory, "sparse-*.bin"))
        {
            File.Delete(path);
        }
    }

    private SparseColumn SparseColumnFor(string name)
    {
        if (!_sparse.TryGetValue(name, out var column))
        {
            column = SparseColumn.Create(_directory, name);
            _sparse[name] = column;
        }

        return column;
    }
}
