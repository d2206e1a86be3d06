using System.Runtime.CompilerServices;
using AotVector.Common.Model;
using AotVector.Kernels;
using AotVector.Kernels.Distance;
using AotVector.Segment.Vectors;
using AotVector.Storage.Files;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// The HNSW graph (Malkov and Yashunin, "Efficient and robust approximate nearest neighbor search using
/// Hierarchical Navigable Small World graphs"), specialised per point similarity (a metric over one vector per point,
/// or MaxSim over a multivector's rows) so every distance call inlines.
/// </summary>
/// <remarks>
/// <para>Nodes are the dense offsets <c>[0, Count)</c> of the vector source, one per point whatever its row count. Layer 0 is one flat link table
/// (<see cref="Level0Links"/>); the upper layers exist only for the few nodes that reach them (<see cref="UpperLinks"/>).</para>
/// <para>Split by concern: search here, insertion in <c>HnswGraph.Build.cs</c>, the file in <c>HnswGraph.Persistence.cs</c>.</para>
/// </remarks>
internal sealed partial class HnswGraph<TSimilarity> : IHnswIndex
    where TSimilarity : struct, IPointSimilarity
{
    private readonly IVectorSource _vectors;
    private readonly int _dimension;
    private readonly int _count;
    private readonly int _stride0;
    private readonly int _strideUpper;
    private readonly byte[] _levels;
    private readonly uint[]?[] _upper;
    private readonly SearchContextPool _pool;

    // Layer 0 lives in exactly one of these: the array while building, the mapped file after Open.
    private readonly uint[]? _level0;
    private readonly MappedFile? _file;

    // Entry point (low 32 bits) and top layer (high 32 bits) in one word, so a concurrent insert reads a
    // consistent pair with one load instead of a lock.
    private long _top;
    private bool _disposed;

    private HnswGraph(IVectorSource vectors, HnswParameters parameters, int count, byte[] levels, uint[]?[] upper, uint[]? level0, MappedFile? file)
    {
        _vectors = vectors;
        _dimension = vectors.Dimension;
        Parameters = parameters;
        _count = count;
        _stride0 = 1 + parameters.M0;
        _strideUpper = 1 + parameters.M;
        _levels = levels;
        _upper = upper;
        _level0 = level0;
        _file = file;
        _top = Pack(0, -1);
        _pool = new SearchContextPool(count, parameters.M0);
    }

    public Distance Distance => TSimilarity.Kind;

    public int Dimension => _vectors.Dimension;

    public uint Count => (uint)_count;

    public HnswParameters Parameters { get; }

    /// <summary>The top layer (-1 when no node was inserted).</summary>
    internal int MaxLevel => (int)(Volatile.Read(ref _top) >> 32);

    /// <summary>True when layer 0 is read in place from the mapped file (every opened graph), false while it is an array.</summary>
    internal bool IsLevel0Mapped => _level0 is null;

    private U32RowTable Level0Table => _level0 is not null
        ? new U32RowTable(_level0, _stride0)
        : _file!.GetRows(HnswFormat.HeaderSize, _count, _stride0);

    private long Level0Bytes => (long)_count * _stride0 * sizeof(uint);

    public int Search<TFilter>(ReadOnlySpan<float> query, int k, int ef, TFilter filter, ReadOnlySpan<bool> deleted, Span<ScoredOffset> results, CancellationToken ct = default, bool acorn = false, bool linked = false)
        where TFilter : struct, IOffsetFilter
    {
        if (_disposed)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(HnswGraph<TSimilarity>));
        }

        if (TSimilarity.IsMulti ? query.Length == 0 || query.Length % Dimension != 0 : query.Length != Dimension)
        {
            ThrowHelper.ThrowArgument("Query length differs from the index dimension.", nameof(query));
        }

        if (results.Length < k)
        {
            ThrowHelper.ThrowArgument("Results span is shorter than k.", nameof(results));
        }

        if (k <= 0 || MaxLevel < 0)
        {
            return 0;
        }

        ef = Math.Max(ef, k);
        var context = _pool.Rent();
        try
        {
            var aligned = context.EncodedQuery(query, TSimilarity.Datatype);
            return _vectors.TryGetContiguous(out var all)
                ? Search(new ContiguousVectors(all, Vectors.VectorCodec.RecordBytes(TSimilarity.Datatype, Dimension)), aligned, k, ef, ref filter, deleted, results, context, acorn, linked, ct)
                : Search(new SourceVectors(_vectors), aligned, k, ef, ref filter, deleted, results, context, acorn, linked, ct);
        }
        finally
        {
            _pool.Return(context);
        }
    }

    public int Search<TScorer, TFilter>(ref TScorer scorer, uint covered, int k, int ef, TFilter filter, ReadOnlySpan<bool> deleted, Span<ScoredOffset> results, CancellationToken ct = default, bool acorn = false, bool linked = false)
        where TScorer : IQueryScorer, allows ref struct
        where TFilter : struct, IOffsetFilter
    {
        if (_disposed)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(HnswGraph<TSimilarity>));
        }

        if (TSimilarity.IsMulti || covered < Count)
        {
            ThrowHelper.ThrowArgument("The codes do not cover this graph's vectors.", nameof(covered));
        }

        if (results.Length < k)
        {
            ThrowHelper.ThrowArgument("Results span is shorter than k.", nameof(results));
        }

        if (k <= 0 || MaxLevel < 0)
        {
            return 0;
        }

        var context = _pool.Rent();
        try
        {
            return Walk(ref scorer, k, Math.Max(ef, k), ref filter, deleted, results, context, acorn, linked, ct);
        }
        finally
        {
            _pool.Return(context);
        }
    }

    bool IHnswIndex.IsMapped => IsLevel0Mapped;

    void IHnswIndex.Advise(bool resident)
    {
        if (_file is null || _disposed)
        {
            return;
        }

        if (resident)
        {
            _file.PrefaultRead(0, _file.Capacity);
        }
        else
        {
            _file.ReleaseResident();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _file?.Dispose();
    }

    private int Search<TView, TFilter>(TView vectors, ReadOnlySpan<byte> query, int k, int ef, ref TFilter filter, ReadOnlySpan<bool> deleted, Span<ScoredOffset> results, SearchContext context, bool acorn, bool linked, CancellationToken ct)
        where TView : IVectorView, allows ref struct
        where TFilter : struct, IOffsetFilter
    {
        var scorer = new FloatScorer<TView>(vectors, query, _dimension);
        return Walk(ref scorer, k, ef, ref filter, deleted, results, context, acorn, linked, ct);
    }

    /// <summary>
    /// The search with every node scored by <paramref name="scorer"/> (float32 vectors or quantized codes of the
    /// same offsets): down the upper layers greedily, then SEARCH-LAYER on layer 0 with breadth <paramref name="ef"/>.
    /// </summary>
    private int Walk<TScorer, TFilter>(ref TScorer scorer, int k, int ef, ref TFilter filter, ReadOnlySpan<bool> deleted, Span<ScoredOffset> results, SearchContext context, bool acorn, bool linked, CancellationToken ct)
        where TScorer : IQueryScorer, allows ref struct
        where TFilter : struct, IOffsetFilter
    {
        long top = Volatile.Read(ref _top);
        uint current = (uint)top;
        float currentScore = scorer.Score(current);
        for (int level = (int)(top >> 32); level > 0; level--)
        {
            var links = new UpperLinks(_upper, level, _strideUpper);
            Greedy(ref scorer, ref links, ref current, ref currentScore);
        }

        var level0 = new Level0Links(Level0Table);
        if (acorn)
        {
            SearchLayerAcorn(ref scorer, ref level0, current, currentScore, ef, ref filter, deleted, context, ct);
        }
        else if (linked && _payloadLinks is { } extra)
        {
            SearchLayerLinked(ref scorer, ref level0, extra, current, currentScore, ef, ref filter, deleted, context, ct);
        }
        else
        {
            SearchLayer(ref scorer, ref level0, current, currentScore, ef, ref filter, deleted, context, ct);
        }

        var heap = context.Results;
        int take = Math.Min(k, heap.Count);
        while (heap.Count > take)
        {
            heap.Pop();
        }

        for (int i = take - 1; i >= 0; i--)
        {
            results[i] = heap.Pop();
        }

        return take;
    }

    /// <summary>Descends one upper layer: move to the closest neighbour until none is closer (SEARCH-LAYER with ef = 1).</summary>
    private static void Greedy<TScorer, TLinks>(ref TScorer scorer, ref TLinks links, ref uint current, ref float currentScore)
        where TScorer : IQueryScorer, allows ref struct
        where TLinks : ILinks, allows ref struct
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (uint neighbor in links.Neighbors(current))
            {
                float score = scorer.Score(neighbor);
                if (score > currentScore)
                {
                    currentScore = score;
                    current = neighbor;
                    changed = true;
                }
            }
        }
    }

    /// <summary>
    /// SEARCH-LAYER (the paper's Algorithm 2) from one entry point, leaving the best <paramref name="ef"/> collectable
    /// nodes in <c>context.Results</c>. With a filter or deletions, rejected nodes are still expanded (so the walk
    /// can cross them) but not collected, and the walk stops only once <paramref name="ef"/> hits are collected.
    /// A cancelled <paramref name="ct"/> (read every <see cref="CancellationCheckInterval"/> expansions) ends the walk early.
    /// </summary>
    private void SearchLayer<TScorer, TLinks, TFilter>(ref TScorer scorer, ref TLinks links, uint entry, float entryScore, int ef, ref TFilter filter, ReadOnlySpan<bool> deleted, SearchContext context, CancellationToken ct = default)
        where TScorer : IQueryScorer, allows ref struct
        where TLinks : ILinks, allows ref struct
        where TFilter : struct, IOffsetFilter
    {
        // A JIT-time constant for the unfiltered instantiation, so its loop carries no filter code.
        bool filtering = typeof(TFilter) != typeof(AcceptAllFilter) || !deleted.IsEmpty;

        var visited = context.Visited;
        var candidates = context.Candidates;
        var results = context.Results;
        visited.Reset(_count);
        candidates.Clear();
        results.Clear();

        visited.TryVisit(entry);
        float lowerBound = float.NegativeInfinity;
        if (!filtering || IsCollectable(entry, ref filter, deleted))
        {
            results.Push(entryScore, entry);
            lowerBound = entryScore;
        }

        candidates.Push(-entryScore, entry);
        int expanded = 0;
        while (candidates.Count > 0)
        {
            var closest = candidates.Top;
            if (-closest.Score < lowerBound && (results.Count == ef || !filtering))
            {
                break;
            }

            if ((expanded++ & (CancellationCheckInterval - 1)) == 0 && ct.IsCancellationRequested)
            {
                break;
            }

            candidates.Pop();
            var neighbors = links.Neighbors(closest.Offset);

            // Claim the unvisited neighbours first and ask for all their vectors at once, so the cache misses
            // overlap instead of being paid one distance at a time (hnswlib prefetches one step ahead instead).
            var fresh = context.Fresh;
            if (neighbors.Length > fresh.Length)
            {
                neighbors = neighbors[..fresh.Length];
            }

            int freshCount = 0;
            foreach (uint neighbor in neighbors)
            {
                if (visited.TryVisit(neighbor))
                {
                    scorer.Prefetch(neighbor);
                    fresh[freshCount++] = neighbor;
                }
            }

            // The closest unexpanded node is usually the next one popped: start loading its links now.
            if (candidates.Count > 0)
            {
                links.PrefetchNeighbors(candidates.Top.Offset);
            }

            for (int j = 0; j < freshCount; j++)
            {
                uint neighbor = fresh[j];
                float score = scorer.Score(neighbor);
                if (results.Count < ef || score > lowerBound)
                {
                    candidates.Push(-score, neighbor);
                    if (!filtering || IsCollectable(neighbor, ref filter, deleted))
                    {
                        if (results.Count < ef)
                        {
                            results.Push(score, neighbor);
                        }
                        else
                        {
                            results.ReplaceTop(score, neighbor);
                        }

                        lowerBound = results.Top.Score;
                    }
                }
            }

            // New hits may have displaced the top hinted above: hint the one that will really be expanded next.
            if (candidates.Count > 0)
            {
                links.PrefetchNeighbors(candidates.Top.Offset);
            }
        }
    }

    /// <summary>
    /// ACORN-1 (Patel et al., "ACORN: Performant and Predicate-Agnostic Search Over Vector Embeddings and Structured
    /// Data") on layer 0: a node's matching neighbours are scored; its non-matching ones are not, but their own
    /// neighbours are looked at instead (two hops), so a restrictive filter still finds a connected path while only
    /// matching nodes cost a distance. At most M0 nodes are taken per hop from each expanded node, so nodes with many
    /// links do not flood the candidates. Collects as <see cref="SearchLayer"/> does.
    /// </summary>
    private void SearchLayerAcorn<TScorer, TLinks, TFilter>(ref TScorer scorer, ref TLinks links, uint entry, float entryScore, int ef, ref TFilter filter, ReadOnlySpan<bool> deleted, SearchContext context, CancellationToken ct)
        where TScorer : IQueryScorer, allows ref struct
        where TLinks : ILinks, allows ref struct
        where TFilter : struct, IOffsetFilter
    {
        var visited = context.Visited;
        var explored = context.TwoHopVisited;
        var candidates = context.Candidates;
        var results = context.Results;
        visited.Reset(_count);
        explored.Reset(_count);
        candidates.Clear();
        results.Clear();

        visited.TryVisit(entry);
        float lowerBound = float.NegativeInfinity;
        if (IsCollectable(entry, ref filter, deleted))
        {
            results.Push(entryScore, entry);
            lowerBound = entryScore;
        }

        candidates.Push(-entryScore, entry);
        var hopLimit = Parameters.M0;
        var toScore = context.TwoHopScore(hopLimit);
        var toExplore = context.Fresh;
        int expanded = 0;
        while (candidates.Count > 0)
        {
            var closest = candidates.Top;
            if (-closest.Score < lowerBound && results.Count == ef)
            {
                break;
            }

            if ((expanded++ & (CancellationCheckInterval - 1)) == 0 && ct.IsCancellationRequested)
            {
                break;
            }

            candidates.Pop();
            int scoreCount = 0, exploreCount = 0;
            foreach (uint hop1 in links.Neighbors(closest.Offset))
            {
                if (!visited.TryVisit(hop1))
                {
                    continue;
                }

                if (IsCollectable(hop1, ref filter, deleted))
                {
                    toScore[scoreCount++] = hop1;
                    if (scoreCount >= hopLimit)
                    {
                        break;
                    }
                }
                else if (exploreCount < toExplore.Length)
                {
                    toExplore[exploreCount++] = hop1;
                }
            }

            for (int e = 0; e < exploreCount; e++)
            {
                int limit = scoreCount + hopLimit;
                foreach (uint hop2 in links.Neighbors(toExplore[e]))
                {
                    if (visited.Contains(hop2) || !explored.TryVisit(hop2))
                    {
                        continue;
                    }

                    if (IsCollectable(hop2, ref filter, deleted))
                    {
                        visited.TryVisit(hop2);
                        toScore[scoreCount++] = hop2;
                        if (scoreCount >= limit)
                        {
                            break;
                        }
                    }
                }
            }

            for (int j = 0; j < scoreCount; j++)
            {
                scorer.Prefetch(toScore[j]);
            }

            for (int j = 0; j < scoreCount; j++)
            {
                uint node = toScore[j];
                float score = scorer.Score(node);
                if (results.Count < ef || score > lowerBound)
                {
                    candidates.Push(-score, node);
                    if (results.Count < ef)
                    {
                        results.Push(score, node);
                    }
                    else
                    {
                        results.ReplaceTop(score, node);
                    }

                    lowerBound = results.Top.Score;
                }
            }
        }
    }

    // Cache lines hinted per fresh neighbour's vector: a whole 128-d float vector. Hinting only the first two lines
    // leaves the rest to demand misses; hinting much more than eight at high dimensions costs more than it saves
    // (perf/results/design-measurements.md).
    private const int VectorPrefetchLines = 8;

    // Expansions between looks at the cancellation token (a power of two), read at the first expansion and then after
    // every few thousand distances: a typical search reads it once or twice, and a long filtered walk still stops soon
    // after its caller went away.
    private const int CancellationCheckInterval = 256;

    /// <summary>A query against the stored vectors of a view, both records of the store's datatype, by the graph's point similarity.</summary>
    private readonly ref struct FloatScorer<TView> : IQueryScorer
        where TView : IVectorView, allows ref struct
    {
        private readonly TView _vectors;
        private readonly ReadOnlySpan<byte> _query;
        private readonly int _dimension;

        public FloatScorer(TView vectors, ReadOnlySpan<byte> query, int dimension)
        {
            _vectors = vectors;
            _query = query;
            _dimension = dimension;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Score(uint offset) => TSimilarity.Similarity(_query, _vectors.Get(offset), _dimension);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Prefetch(uint offset) => AotVector.Kernels.Prefetch.Lines(_vectors.Get(offset), VectorPrefetchLines);
    }

    private static long Pack(uint entry, int maxLevel) => ((long)maxLevel << 32) | entry;

    private static bool IsCollectable<TFilter>(uint node, ref TFilter filter, ReadOnlySpan<bool> deleted)
        where TFilter : struct, IOffsetFilter
        => (node >= (uint)deleted.Length || !deleted[(int)node]) && filter.Matches(node);
}
