using System.Text;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Filters;
using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;
using CommunityToolkit.HighPerformance.Buffers;

namespace AotVector.Segment;

public sealed partial class PointSegment
{
    /// <summary>Vectors covered by a graph or a built sparse index, over all named vectors (Qdrant's indexed_vectors_count).</summary>
    public ulong IndexedVectorCount
    {
        get
        {
            ulong total = 0;
            foreach (var column in _columns.Values)
            {
                if (column.Graph is { } graph)
                {
                    for (uint offset = 0; offset < graph.Count && offset < _ids.Count; offset++)
                    {
                        if (column.Has(offset))
                        {
                            total++;
                        }
                    }
                }
            }

            // As the reference counts an indexed segment's sparse vectors: all of them are in its inverted index.
            foreach (var sparse in _sparse.Values)
            {
                if (sparse.Built is not null)
                {
                    total += sparse.PresentCount;
                }
            }

            return total;
        }
    }

    /// <summary>Offsets of <paramref name="vectorName"/> rewritten after its graph was built (tests).</summary>
    internal int StaleCount(string vectorName) => _columns[vectorName].Stale.Count;

    /// <summary>The m and ef_construct the graph of <paramref name="vectorName"/> was built with, or null without a graph.</summary>
    public (int M, int EfConstruct)? GraphParameters(string vectorName) =>
        _columns.TryGetValue(vectorName, out var column) && column.Graph is { } graph ? (graph.Parameters.M, graph.Parameters.EfConstruct) : null;

    /// <summary>Whether <see cref="PrepareIndexBuild"/> would return a job now (no side effects).</summary>
    public bool NeedsIndexBuild(string vectorName, IndexingPolicy policy) =>
        !_disposed && _columns.TryGetValue(vectorName, out var column) && (NeedsBuild(column, policy, out _) || NeedsQuantized(column, policy));

    /// <summary>
    /// The graph build the vector <paramref name="vectorName"/> wants under <paramref name="policy"/>, or null.
    /// Call under the owner's read lock; run the job with no lock; then <see cref="InstallIndex"/> under the write lock.
    /// </summary>
    public IndexBuildJob? PrepareIndexBuild(string vectorName, IndexingPolicy policy)
    {
        ThrowIfDisposed();
        if (!_columns.TryGetValue(vectorName, out var column))
        {
            return null;
        }

        var buildGraph = NeedsBuild(column, policy, out var stored);
        if (!buildGraph)
        {
            if (!NeedsQuantized(column, policy))
            {
                return null;
            }

            // Codes alone, for exactly the offsets the graph in service covers.
            stored = column.Graph!.Count;
        }

        var exclude = new bool[stored];
        for (uint offset = 0; offset < stored; offset++)
        {
            exclude[offset] = !column.Has(offset);
        }

        if (buildGraph)
        {
            column.BeginBuild(stored);
        }

        IVectorSource source = column.IsMulti ? column.PointSource(stored) : new VectorFileSource(column.File, stored);
        return new IndexBuildJob(column, source, exclude, BuildParameters(policy), GraphPath(column.Name), buildGraph, WantedQuantization(column, policy), QuantizedPath(column.Name))
        {
            PayloadBlocks = buildGraph ? LinkBlocks(column, policy, exclude) : [],
            PayloadParameters = new HnswParameters(Math.Max(2, policy.PayloadM), Math.Max(4, policy.EfConstruct)),
            FullScanThreshold = FullScanThresholdVectors(column, policy.FullScanThresholdKb),
        };
    }

    // The parameters a build under the policy uses; NeedsBuild compares a graph's own with these, so the two agree
    // and a graph just built never counts as mismatched.
    private static HnswParameters BuildParameters(IndexingPolicy policy) =>
        new(Math.Max(2, policy.M), Math.Max(4, policy.EfConstruct));

    // Past the size threshold, with vectors to index, and no graph yet, one that misses over a fifth of them, or one
    // built with another m or ef_construct than the policy's (Qdrant's config mismatch optimizer rebuilds those).
    private bool NeedsBuild(VectorColumn column, IndexingPolicy policy, out uint stored)
    {
        stored = Math.Min(column.StoredCount, _ids.Count);
        if (policy.M == 0 || policy.IndexingThresholdKb == 0 || column.PresentCount == 0)
        {
            return false;
        }

        // A multivector point is one node, but its size is all its rows, as the reference measures the threshold.
        var bytes = column.IsMulti ? column.LiveRowBytes() : (ulong)stored * (ulong)column.RecordBytes;
        if (bytes / 1024 < policy.IndexingThresholdKb)
        {
            return false;
        }

        if (column.Graph is not { } graph)
        {
            return true;
        }

        var covered = graph.Count;
        var uncovered = stored - Math.Min(stored, covered);
        var wanted = BuildParameters(policy);
        return uncovered > covered / 5 || column.Stale.Count > covered / 5
            || graph.Parameters.M != wanted.M || graph.Parameters.EfConstruct != wanted.EfConstruct;
    }

    /// <summary>Whether <paramref name="vectorName"/> has a graph that <paramref name="policy"/> disables (m 0).</summary>
    public bool HasUnwantedIndex(string vectorName, IndexingPolicy policy) =>
        !_disposed && _columns.TryGetValue(vectorName, out var column)
        && ((policy.M == 0 && column.Graph is not null) || (WantedQuantization(column, policy) is null && column.Quantized is not null));

    /// <summary>
    /// Drops what <paramref name="policy"/> no longer wants of <paramref name="vectorName"/>: the graph (and its codes)
    /// when m is 0, else the codes when quantization was turned off. Caller holds the owner's write lock.
    /// Returns whether anything was dropped.
    /// </summary>
    public bool DropIndex(string vectorName, IndexingPolicy policy)
    {
        ThrowIfDisposed();
        if (policy.M == 0)
        {
            return DropIndex(vectorName);
        }

        if (!_columns.TryGetValue(vectorName, out var column) || column.Quantized is null || WantedQuantization(column, policy) is not null)
        {
            return false;
        }

        File.Delete(QuantizedPath(column.Name));
        column.InstallQuantized(null);
        return true;
    }

    /// <summary>
    /// Deletes the graph of <paramref name="vectorName"/>, file first, so search on it is exact from now on
    /// (caller holds the owner's write lock, so no search is using the graph). Returns whether there was one.
    /// </summary>
    public bool DropIndex(string vectorName)
    {
        ThrowIfDisposed();
        if (!_columns.TryGetValue(vectorName, out var column) || column.Graph is null)
        {
            return false;
        }

        File.Delete(QuantizedPath(column.Name));
        File.Delete(GraphPath(column.Name));
        column.RemoveGraph();
        _rewriteState = true;
        return true;
    }

    /// <summary>Puts a finished graph in service (caller holds the write lock, so no search runs meanwhile).</summary>
    public void InstallIndex(IndexBuildJob job)
    {
        ThrowIfDisposed();
        if (!_columns.TryGetValue(job.VectorName, out var column) || !ReferenceEquals(column, job.Column)
            || (job.BuildsGraph ? job.Result is null : column.Graph?.Count != job.Count)
            || (job.BuildsQuantized && job.QuantizedResult is null))
        {
            job.Abandon();
            return;
        }

        if (job.Result is { } graph)
        {
            File.Move(job.TargetPath + ".tmp", job.TargetPath, overwrite: true);
            column.InstallGraph(graph);
            _rewriteState = true;
        }

        // Codes always cover exactly the graph's offsets: a new graph without codes retires the old ones.
        if (job.QuantizedResult is { } codes)
        {
            File.Move(job.QuantizedPath + ".tmp", job.QuantizedPath, overwrite: true);
            column.InstallQuantized(codes);
        }
        else
        {
            File.Delete(job.QuantizedPath);
            column.InstallQuantized(null);
        }
    }

    private string GraphPath(string vectorName) =>
        Path.Combine(_directory, "hnsw-" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(vectorName)) + ".bin");

    /// <summary>Opens saved graphs; a damaged or mismatched one is dropped and will be rebuilt.</summary>
    private void LoadGraphs(IReadOnlyDictionary<string, List<uint>> stale)
    {
        foreach (var leftover in Directory.EnumerateFiles(_directory, "quant-*.tmp"))
        {
            File.Delete(leftover); // a build the process did not live to install
        }

        foreach (var column in _columns.Values)
        {
            var path = GraphPath(column.Name);
            if (!File.Exists(path))
            {
                File.Delete(QuantizedPath(column.Name)); // codes are only ever used with their graph
                continue;
            }

            IVectorSource source = column.IsMulti ? column.PointSource(column.StoredCount) : new VectorFileSource(column.File, column.StoredCount);
            var opened = HnswIndex.Open(path, column.Distance, source, column.IsMulti);
            if (opened.TryGet(out var graph, out _) && graph.Dimension == column.Dimension)
            {
                column.AdoptGraph(graph, stale.TryGetValue(column.Name, out var offsets) ? offsets : []);
                LoadQuantized(column);
            }
            else
            {
                opened.Value?.Dispose();
                File.Delete(path);
                File.Delete(QuantizedPath(column.Name));
            }
        }
    }

    /// <summary>
    /// Search by <paramref name="plan"/>: the graph (plus an exact pass over what the graph does not cover), or an
    /// exact scan of the matches when they are few. Null when the plan is a full scan (the caller's exact search).
    /// </summary>
    private List<SearchHit>? TryGraphSearch<TSimilarity>(VectorColumn column, ReadOnlySpan<float> query, Filter? filter, FilterPlan plan, int limit, SegmentSearchOptions options, CancellationToken ct)
        where TSimilarity : struct, IPointSimilarity
    {
        if (options.Exact || plan.Kind == SearchPlan.FullScan || column.Graph is not { } graph)
        {
            return null;
        }

        switch (plan.Kind)
        {
            case SearchPlan.Graph:
                return GraphSearch<TSimilarity, SearchableFilter>(column, graph, query, limit, options, new SearchableFilter(column, null, _ids.Count), false, ct);
            case SearchPlan.IndexedScan or SearchPlan.FilteredScan:
                var matching = MatchingOffsets(column, filter!, plan.Predicate!, plan.Kind, ct);
                return SearchCodes(column, graph, options) is { } codes
                    ? ScanQuantized<TSimilarity>(column, codes, query, matching, limit, options, ct)
                    : ScanPoints<TSimilarity>(column, query, matching, null, limit, ct);
            default:
                // ACORN scores at most m0 nodes per hop, so a selective filter loses recall at the plain ef: widen it.
                if (plan.Kind == SearchPlan.GraphAcorn)
                {
                    options = options with { Ef = AcornEf(options.Ef ?? graph.Parameters.EfConstruct, plan.Selectivity) };
                }

                return GraphSearch<TSimilarity, CheckedFilter>(column, graph, query, limit, options,
                    new CheckedFilter(column, plan.Predicate!, _ids.Count), plan.Kind == SearchPlan.GraphAcorn, ct, plan.Kind == SearchPlan.GraphLinked);
        }
    }

    // Offsets an exact scan hints ahead of the one it scores.
    private const int ScanReadAhead = 6;

    // Scores the given offsets that are live, have the vector and match `predicate` (null: already known to match).
    private List<SearchHit> ScanPoints<TSimilarity>(VectorColumn column, ReadOnlySpan<float> query, IEnumerable<uint> offsets, OffsetPredicate? predicate, int limit, CancellationToken ct)
        where TSimilarity : struct, IPointSimilarity
    {
        var top = new TopHits(limit);
        var probe = new CancellationProbe(ct);

        // A list of matches (an exact scan's) is read ahead: the vectors are scattered, so each one is a run of cache
        // misses, and hinting a few offsets ahead overlaps them.
        var ahead = TSimilarity.IsMulti ? null : offsets as List<uint>;
        var lines = Math.Min(16, (column.RecordBytes + 63) / 64);
        var position = 0;
        var encoded = column.EncodeQuery(query);
        foreach (var offset in offsets)
        {
            if (probe.Stop())
            {
                break;
            }

            if (ahead is not null && position + ScanReadAhead < ahead.Count && ahead[position + ScanReadAhead] is var next && column.Has(next))
            {
                AotVector.Kernels.Prefetch.Lines(column.GetRecord(next), lines);
            }

            position++;

            if (!column.Has(offset) || _ids.IsDeleted(offset) || (predicate is not null && !predicate.Matches(offset)))
            {
                continue;
            }

            top.Add(new SearchHit(_ids.IdAt(offset), TSimilarity.Similarity(encoded, TSimilarity.IsMulti ? column.GetRowRecords(offset) : column.GetRecord(offset), column.Dimension), _ids.VersionAt(offset)));
        }

        return top.ToSortedList();
    }

    // The graph's top hits under the filter, then an exact pass over the offsets the graph does not cover that pass the same filter.
    private List<SearchHit> GraphSearch<TSimilarity, TFilter>(VectorColumn column, IHnswIndex graph, ReadOnlySpan<float> query, int limit, SegmentSearchOptions options, TFilter filter, bool acorn, CancellationToken ct, bool linked = false)
        where TSimilarity : struct, IPointSimilarity
        where TFilter : struct, IOffsetFilter
    {
        var codes = SearchCodes(column, graph, options);
        var wanted = codes is null ? limit : options.Quantization.Candidates(limit);
        var ef = Math.Max(options.Ef ?? graph.Parameters.EfConstruct, wanted);
        var top = new TopHits(limit);
        var seen = new HashSet<uint>();
        using (var found = SpanOwner<ScoredOffset>.Allocate(wanted))
        {
            var n = codes is null
                ? graph.Search(query, limit, ef, filter, default, found.Span, ct, acorn, linked)
                : codes.SearchGraph(graph, QuantizationInput.Query(column.Datatype, column.Distance, codes is BinaryQuantizedVectors, query), wanted, ef, filter, found.Span, ct, acorn, linked);
            var hits = new List<SearchHit>(n);
            foreach (var hit in found.Span[..n])
            {
                // A stale offset's codes are as old as its links: the exact pass below scores it from its vector.
                if ((codes is null || !column.IsStale(hit.Offset)) && seen.Add(hit.Offset))
                {
                    hits.Add(new SearchHit(_ids.IdAt(hit.Offset), hit.Score, _ids.VersionAt(hit.Offset)));
                }
            }

            foreach (var hit in codes is null ? hits : Rescored<TSimilarity>(column, query, hits, limit, options.Quantization.Rescore ?? codes.RescoreByDefault))
            {
                top.Add(hit);
            }
        }

        var uncovered = Uncovered(column, graph.Count, filter);
        var tail = TSimilarity.IsMulti ? null : ScanCodesFor(column, options);
        foreach (var hit in tail is null ? ScanPoints<TSimilarity>(column, query, uncovered, null, limit, ct) : ScanByCodes<TSimilarity>(column, tail, query, uncovered, limit, ct))
        {
            if (_ids.TryGetOffset(hit.Id, out var offset) && seen.Add(offset))
            {
                top.Add(hit);
            }
        }

        return top.ToSortedList();
    }

    // Stale offsets and the tail past the graph that the filter lets through.
    private IEnumerable<uint> Uncovered<TFilter>(VectorColumn column, uint covered, TFilter filter)
        where TFilter : struct, IOffsetFilter
    {
        foreach (var offset in column.Stale)
        {
            if (filter.Matches(offset))
            {
                yield return offset;
            }
        }

        for (var offset = covered; offset < _ids.Count; offset++)
        {
            if (filter.Matches(offset))
            {
                yield return offset;
            }
        }
    }

    /// <summary>
    /// What the graph may return: offsets that exist in this segment now (a graph saved before a crash can be
    /// ahead of the replayed state), still have the vector, and match the filter mask if any.
    /// </summary>
    private readonly struct SearchableFilter(VectorColumn column, bool[]? mask, uint count) : IOffsetFilter
    {
        public bool Matches(uint offset) =>
            offset < count && column.Has(offset) && (mask is null || (offset < (uint)mask.Length && mask[offset]));
    }

    /// <summary>As <see cref="SearchableFilter"/>, checking the compiled filter on the points the traversal reaches.</summary>
    private readonly struct CheckedFilter(VectorColumn column, OffsetPredicate predicate, uint count) : IOffsetFilter
    {
        public bool Matches(uint offset) =>
            offset < count && column.Has(offset) && predicate.Matches(offset);
    }
}
