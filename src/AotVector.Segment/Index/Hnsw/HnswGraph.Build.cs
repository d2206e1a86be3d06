using AotVector.Kernels;
using AotVector.Kernels.Distance;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>Construction: INSERT (Algorithm 1) with SELECT-NEIGHBORS-HEURISTIC (Algorithm 4), in parallel.</summary>
internal sealed partial class HnswGraph<TSimilarity>
{
    private const int LockStripeBits = 12;
    private const int LockStripes = 1 << LockStripeBits;
    private const int MaxLevelCap = 30;

    // Writers of a node's link records hold its stripe; searches read links without locks (a torn read
    // only ever yields valid offsets, so at worst a slightly different walk). Stripes are picked by a
    // multiplicative hash: threads insert neighbouring offsets at the same time, and "node % stripes" put
    // their locks side by side in memory (the same cache line bouncing between cores).
    private Lock[]? _stripes;
    private readonly Lock _entryLock = new();

    /// <summary>
    /// Builds the graph over offsets <c>[0, vectors.Count)</c>, skipping those flagged in <paramref name="exclude"/>
    /// (e.g. points without this vector). Layers come from a RNG seeded with <see cref="HnswParameters.Seed"/>; with
    /// one thread the graph is fully deterministic, with more the insertion interleaving varies.
    /// </summary>
    internal static HnswGraph<TSimilarity> Build(IVectorSource vectors, HnswParameters parameters, int threads, bool[]? exclude, CancellationToken cancellationToken)
    {
        int count = checked((int)vectors.Count);
        var levels = AssignLevels(count, parameters);
        var upper = new uint[]?[count];
        int strideUpper = 1 + parameters.M;
        for (int i = 0; i < count; i++)
        {
            if (levels[i] > 0)
            {
                upper[i] = new uint[levels[i] * strideUpper];
            }
        }

        var graph = new HnswGraph<TSimilarity>(vectors, parameters, count, levels, upper, new uint[(long)count * (1 + parameters.M0)], file: null);
        graph._stripes = new Lock[LockStripes];
        for (int i = 0; i < LockStripes; i++)
        {
            graph._stripes[i] = new Lock();
        }

        // The first included node becomes the entry point; the rest are handed out in order from a shared counter,
        // so the insertion order stays close to sequential whatever the thread count.
        int first = 0;
        while (first < count && exclude is not null && first < exclude.Length && exclude[first])
        {
            first++;
        }

        if (first < count)
        {
            graph.InsertNode((uint)first, graph._pool.Rent());
            int next = first;
            threads = Math.Clamp(threads, 1, Environment.ProcessorCount);

            void Work()
            {
                var context = graph._pool.Rent();
                int node;
                while ((node = Interlocked.Increment(ref next)) < count)
                {
                    if (exclude is not null && node < exclude.Length && exclude[node])
                    {
                        continue;
                    }

                    if ((node & 255) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    graph.InsertNode((uint)node, context);
                }

                graph._pool.Return(context);
            }

            // Dedicated threads rather than Parallel.For: with two iterations on a loaded pool, the calling thread
            // often drained the shared counter alone before the pool worker started.
            var workers = new Thread[threads - 1];
            Exception? failure = null;
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i] = new Thread(() =>
                {
                    try
                    {
                        Work();
                    }
                    catch (Exception exception)
                    {
                        Interlocked.CompareExchange(ref failure, exception, null);
                        Volatile.Write(ref next, count);
                    }
                })
                {
                    IsBackground = true,
                    Name = "hnsw-build",
                };
                workers[i].Start();
            }

            try
            {
                Work();
            }
            finally
            {
                // Also on failure here: stop the workers (they see the counter past the end) before rethrowing.
                Volatile.Write(ref next, count);
                foreach (var worker in workers)
                {
                    worker.Join();
                }
            }

            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }

        graph._stripes = null;
        return graph;
    }

    /// <summary>Layer of each node: floor(-ln(U) / ln(M)), U uniform in (0, 1], from the seeded RNG, in offset order.</summary>
    private static byte[] AssignLevels(int count, HnswParameters parameters)
    {
        var random = new Random(parameters.Seed);
        double scale = 1.0 / Math.Log(parameters.M);
        var levels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            double level = -Math.Log(1.0 - random.NextDouble()) * scale;
            levels[i] = (byte)Math.Min((int)level, MaxLevelCap);
        }

        return levels;
    }

    private void InsertNode(uint node, SearchContext context)
    {
        if (_vectors.TryGetContiguous(out var all))
        {
            var view = new ContiguousVectors(all, Vectors.VectorCodec.RecordBytes(TSimilarity.Datatype, Dimension));
            Insert(ref view, node, context);
        }
        else
        {
            var view = new SourceVectors(_vectors);
            Insert(ref view, node, context);
        }
    }

    /// <summary>INSERT (Algorithm 1): descend greedily to the node's top layer, then link it on every layer below.</summary>
    private void Insert<TView>(ref TView vectors, uint node, SearchContext context)
        where TView : IVectorView, allows ref struct
    {
        int level = _levels[node];

        // Lock-free on the common path: only the first node and the rare node above the top layer take the lock.
        long top = Volatile.Read(ref _top);
        if ((int)(top >> 32) < 0)
        {
            lock (_entryLock)
            {
                top = _top;
                if ((int)(top >> 32) < 0)
                {
                    Volatile.Write(ref _top, Pack(node, level));
                    return;
                }
            }
        }

        uint entry = (uint)top;
        int maxLevel = (int)(top >> 32);

        var query = vectors.Get(node);
        var scorer = new FloatScorer<TView>(vectors, query, _dimension);
        uint current = entry;
        float currentScore = scorer.Score(current);
        for (int layer = maxLevel; layer > level; layer--)
        {
            var links = new UpperLinks(_upper, layer, _strideUpper);
            Greedy(ref scorer, ref links, ref current, ref currentScore);
        }

        var none = default(AcceptAllFilter);
        for (int layer = Math.Min(level, maxLevel); layer >= 0; layer--)
        {
            if (layer == 0)
            {
                var links = new Level0Links(Level0Table);
                SearchLayer(ref scorer, ref links, current, currentScore, Parameters.EfConstruct, ref none, default, context);
            }
            else
            {
                var links = new UpperLinks(_upper, layer, _strideUpper);
                SearchLayer(ref scorer, ref links, current, currentScore, Parameters.EfConstruct, ref none, default, context);
            }

            var sorted = DrainSorted(context, node);
            if (sorted.IsEmpty)
            {
                continue;
            }

            // As in hnswlib, a new node takes M neighbours on every layer; layer 0 lists may grow to M0 through back-links.
            int selectedCount = SelectNeighbors(ref vectors, sorted, Parameters.M, _dimension, context.Selected);
            var selected = context.Selected.AsSpan(0, selectedCount);
            // Every back-link touches a random neighbour's record: ask for them all before the first lock.
            foreach (var neighbor in selected)
            {
                Prefetch.Lines<uint>(LinkRecord(neighbor.Offset, layer), 3);
            }

            SetLinks(node, layer, selected);
            foreach (var neighbor in selected)
            {
                AddLink(ref vectors, neighbor.Offset, node, neighbor.Score, layer, context);
            }

            current = sorted[0].Offset;
            currentScore = sorted[0].Score;
        }

        if (level > maxLevel)
        {
            lock (_entryLock)
            {
                if (level > (int)(_top >> 32))
                {
                    Volatile.Write(ref _top, Pack(node, level));
                }
            }
        }
    }

    /// <summary>The search results best first, without <paramref name="self"/> (reachable once another thread linked it).</summary>
    private static ReadOnlySpan<ScoredOffset> DrainSorted(SearchContext context, uint self)
    {
        var heap = context.Results;
        if (context.Sorted.Length < heap.Count)
        {
            context.Sorted = new ScoredOffset[heap.Count * 2];
        }

        var sorted = context.Sorted;
        int end = heap.Count;
        int write = end;
        while (heap.Count > 0)
        {
            var hit = heap.Pop();
            if (hit.Offset != self)
            {
                sorted[--write] = hit;
            }
        }

        return sorted.AsSpan(write, end - write);
    }

    /// <summary>
    /// SELECT-NEIGHBORS-HEURISTIC (Algorithm 4, without extending or keeping pruned candidates, as in hnswlib):
    /// walking the candidates best first, keep one only if it is closer to the base than to every one kept so far,
    /// which spreads links across directions instead of clustering them.
    /// </summary>
    private static int SelectNeighbors<TView>(ref TView vectors, ReadOnlySpan<ScoredOffset> sorted, int m, int dimension, Span<ScoredOffset> selected)
        where TView : IVectorView, allows ref struct
    {
        if (sorted.Length <= m)
        {
            sorted.CopyTo(selected);
            return sorted.Length;
        }

        int count = 0;
        foreach (var candidate in sorted)
        {
            if (count == m)
            {
                break;
            }

            var vector = vectors.Get(candidate.Offset);
            bool keep = true;
            for (int j = 0; j < count; j++)
            {
                if (TSimilarity.Similarity(vector, vectors.Get(selected[j].Offset), dimension) > candidate.Score)
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                selected[count++] = candidate;
            }
        }

        return count;
    }

    private Lock StripeOf(uint node) => _stripes![(int)((node * 2654435761u) >> (32 - LockStripeBits))];

    private Span<uint> LinkRecord(uint node, int layer) => layer == 0
        ? _level0.AsSpan((int)node * _stride0, _stride0)
        : _upper[node].AsSpan((layer - 1) * _strideUpper, _strideUpper);

    /// <summary>Writes the new node's own links, keeping any back-links other threads already added.</summary>
    private void SetLinks(uint node, int layer, ReadOnlySpan<ScoredOffset> selected)
    {
        lock (StripeOf(node))
        {
            var record = LinkRecord(node, layer);
            int capacity = record.Length - 1;
            int existing = (int)record[0];
            Span<uint> kept = stackalloc uint[existing];
            record.Slice(1, existing).CopyTo(kept);

            int count = 0;
            foreach (var neighbor in selected)
            {
                record[1 + count++] = neighbor.Offset;
            }

            foreach (uint other in kept)
            {
                if (count < capacity && !record.Slice(1, count).Contains(other))
                {
                    record[1 + count++] = other;
                }
            }

            Volatile.Write(ref record[0], (uint)count);
        }
    }

    /// <summary>Adds the back-link <paramref name="target"/> → <paramref name="node"/>, re-running the heuristic when the list is full.</summary>
    private void AddLink<TView>(ref TView vectors, uint target, uint node, float score, int layer, SearchContext context)
        where TView : IVectorView, allows ref struct
    {
        lock (StripeOf(target))
        {
            var record = LinkRecord(target, layer);
            int capacity = record.Length - 1;
            int count = (int)record[0];
            var links = record.Slice(1, count);
            if (links.Contains(node))
            {
                return;
            }

            if (count < capacity)
            {
                record[1 + count] = node;
                Volatile.Write(ref record[0], (uint)(count + 1));
                return;
            }

            // Full: score the target's links against it, add the new node, keep the heuristic's choice.
            var candidates = context.Pruning.AsSpan(0, count + 1);
            var targetVector = vectors.Get(target);
            // The target's links are random nodes: ask for all their vectors before scoring the first.
            for (int i = 0; i < count; i++)
            {
                Prefetch.Lines(vectors.Get(links[i]), VectorPrefetchLines);
            }

            for (int i = 0; i < count; i++)
            {
                candidates[i] = new ScoredOffset(links[i], TSimilarity.Similarity(targetVector, vectors.Get(links[i]), _dimension));
            }

            candidates[count] = new ScoredOffset(node, score);
            SortBestFirst(candidates);

            var selected = context.PruneSelected;
            int kept = SelectNeighbors(ref vectors, candidates, capacity, _dimension, selected);
            for (int i = 0; i < kept; i++)
            {
                record[1 + i] = selected[i].Offset;
            }

            Volatile.Write(ref record[0], (uint)kept);
        }
    }

    /// <summary>Insertion sort by score, descending: the lists are at most M0 + 1 long and mostly ordered already.</summary>
    private static void SortBestFirst(Span<ScoredOffset> items)
    {
        for (int i = 1; i < items.Length; i++)
        {
            var item = items[i];
            int j = i - 1;
            while (j >= 0 && items[j].Score < item.Score)
            {
                items[j + 1] = items[j];
                j--;
            }

            items[j + 1] = item;
        }
    }
}
