using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Vectors;
using AotVector.Storage.Files;

namespace AotVector.Segment;

/// <summary>
/// Sparse vectors: a <see cref="SparseColumn"/> per name, created at the first write of that name (a segment takes
/// any sparse name; the collection checks names against its config) and found again at open by its file; the
/// optimizer gives a sealed segment's columns their built inverted index files like graphs (see SparseColumn).
/// </summary>
public sealed partial class PointSegment
{
    private readonly Dictionary<string, SparseColumn> _sparse = new(StringComparer.Ordinal);

    /// <summary>Names of the sparse vectors this segment has stored.</summary>
    public IReadOnlyCollection<string> SparseVectorNames => _sparse.Keys;

    /// <summary>Number of live points with the sparse vector <paramref name="name"/>.</summary>
    public ulong SparseVectorCount(string name) => _sparse.TryGetValue(name, out var column) ? column.PresentCount : 0;

    /// <summary>Number of live points whose sparse vector <paramref name="name"/> has at least one non-zero: the
    /// document count of the idf modifier (the reference does not count empty vectors).</summary>
    public ulong SparseDocumentCount(string name) => _sparse.TryGetValue(name, out var column) ? column.NonEmptyCount : 0;

    /// <summary>Number of live points whose sparse vector <paramref name="name"/> has a weight at <paramref name="dimension"/>.</summary>
    public ulong SparseDocumentFrequency(string name, uint dimension) =>
        _sparse.TryGetValue(name, out var column) ? (ulong)column.DocumentFrequency(dimension) : 0;

    /// <summary>Live postings in the inverted indexes of <paramref name="name"/> (one per stored non-zero).</summary>
    public long SparsePostingCount(string name) => _sparse.TryGetValue(name, out var column) ? column.PostingCount : 0;

    /// <summary>Bytes of the stored sparse vectors' indices and values over all names (part of <see cref="VectorBytes"/>).</summary>
    public ulong SparseBytes => _sparse.Values.Aggregate(0UL, (sum, column) => sum + column.DataBytes);

    /// <summary>
    /// The built index of <paramref name="name"/>: offsets it covers, of those the ones rewritten since, and its file's
    /// size; null while the in-memory index serves alone.
    /// </summary>
    public (uint Covered, int Stale, long FileBytes)? SparseIndexInfo(string name) =>
        _sparse.TryGetValue(name, out var column) && column.Built is { } built ? (built.CoveredCount, column.StaleCount, built.FileBytes) : null;

    /// <summary>Sparse index files that could not be reopened at open, by vector name, and why (the in-memory index
    /// serves until the optimizer writes new ones).</summary>
    public IReadOnlyList<(string VectorName, string Problem)> SparseIndexProblems =>
        [.. _sparse.Values.Where(c => c.OpenProblem is not null).Select(c => (c.Name, c.OpenProblem!))];

    /// <summary>
    /// Exact dot-product search over the sparse vector <paramref name="vectorName"/>: every live point that has it,
    /// shares at least one dimension with <paramref name="query"/> and matches <paramref name="filter"/>. At most
    /// <paramref name="limit"/> hits, best first, ties to the smaller id. The query's weights are used as given
    /// (the caller applies any idf modifier); an unknown name finds nothing. As the reference does, a filter whose
    /// matching points are estimated (upper bound) below <paramref name="fullScanThreshold"/> has them scored one by
    /// one instead of walking the query's posting lists.
    /// </summary>
    public List<SearchHit> SearchSparse(string vectorName, SparseVector query, Filter? filter, int limit, CancellationToken ct = default, ulong fullScanThreshold = DefaultSparseFullScanThreshold)
    {
        ThrowIfDisposed();
        if (limit <= 0 || query.Indices.Length == 0 || !_sparse.TryGetValue(vectorName, out var column) || column.PresentCount == 0)
        {
            return [];
        }

        var top = new TopHits(limit);
        var matcher = filter is null ? null : new OffsetMatcher(this);

        // The estimate's upper bound: an indexed filter's candidates, else every live point, at most those with the vector.
        HashSet<uint>? candidates = null;
        if (filter is not null
            && Math.Min(TryGetCandidates(filter, out candidates) ? (ulong)candidates.Count : (ulong)_ids.LiveCount, column.PresentCount) < fullScanThreshold)
        {
            var probe = new CancellationProbe(ct);
            foreach (var offset in candidates ?? (IEnumerable<uint>)_ids.LiveOffsets())
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
        column.Accumulate(query.Indices, query.Values, scores, touched, order);
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
    /// any <see cref="ExampleScoring"/> rule with dot product as the similarity (0 for no shared dimension).
    /// </summary>
    public List<SearchHit> ScoreSparseByExamples(string vectorName, ExampleScoring scoring, IReadOnlyList<SparseVector> positives, IReadOnlyList<SparseVector> negatives, Filter? filter, int limit, CancellationToken ct = default, SparseVector? target = null)
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

            // No shared dimension is a similarity of 0, as the reference scores sparse examples.
            var score = ExampleRule.Score(scoring, target, positives, negatives, example => SparseDot(example, stored) ?? 0f);
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

    /// <summary>The reference's default full-scan threshold of a sparse index, in points.</summary>
    public const ulong DefaultSparseFullScanThreshold = 5000;

    /// <summary>Whether <see cref="PrepareSparseIndexBuild"/> would return a job now (no side effects).</summary>
    public bool NeedsSparseIndexBuild(string vectorName, SparseIndexPolicy policy)
    {
        if (_disposed || policy.IndexingThresholdKb == 0 || !_sparse.TryGetValue(vectorName, out var column) || column.PresentCount == 0
            || column.DataBytes / 1024 < policy.IndexingThresholdKb)
        {
            return false;
        }

        if (column.Built is not { } built)
        {
            return true;
        }

        // Rebuilt once what the built index does not hold grows past a fifth of what it does, as for graphs.
        var holds = built.PostingCount;
        return column.Overlay.PostingCount > holds / 5 || column.StaleCount > built.CoveredCount / 5
            || built.OnDisk != policy.OnDisk || built.ValueType != policy.ValueType;
    }

    /// <summary>
    /// The index build the sparse vector <paramref name="vectorName"/> wants under <paramref name="policy"/>, or null.
    /// Call under the owner's read lock; run the job with no lock; then <see cref="InstallSparseIndex"/> under the write lock.
    /// </summary>
    public SparseIndexBuildJob? PrepareSparseIndexBuild(string vectorName, SparseIndexPolicy policy)
    {
        ThrowIfDisposed();
        if (!NeedsSparseIndexBuild(vectorName, policy))
        {
            return null;
        }

        var column = _sparse[vectorName];
        return new SparseIndexBuildJob(column, column.BeginBuild(), policy);
    }

    /// <summary>Puts a finished sparse index in service (caller holds the write lock, so no search runs meanwhile).</summary>
    public void InstallSparseIndex(SparseIndexBuildJob job)
    {
        ThrowIfDisposed();
        if (job.Result is not { } built || !_sparse.TryGetValue(job.VectorName, out var column) || !ReferenceEquals(column, job.Column))
        {
            job.Abandon();
            return;
        }

        // The mapping stays valid across the rename: it holds the file, not its name.
        File.Move(job.TempPath, column.IndexPath, overwrite: true);
        AtomicFile.FlushDirectory(_directory);
        column.InstallBuilt(built, job.Snapshot);
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

    // At open, after the ids are restored: every sparse file of the directory (and no half-written index file of
    // a build a crash cut short).
    private void OpenSparse()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, "postings-*.tmp"))
        {
            File.Delete(path);
        }

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
        foreach (var path in Directory.EnumerateFiles(directory, "sparse-*.bin").Concat(Directory.EnumerateFiles(directory, "postings-*")))
        {
            File.Delete(path);
        }
    }

    private void DisposeSparse()
    {
        foreach (var column in _sparse.Values)
        {
            column.Dispose();
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
