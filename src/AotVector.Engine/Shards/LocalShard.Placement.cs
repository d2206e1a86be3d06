using AotVector.Segment;

namespace AotVector.Engine.Shards;

/// <summary>
/// Memory placement of sealed segments (vectors, graphs, quantized codes) as the collection's config says: applied
/// after a restart, a build, a merge or a config change, one segment's named vector per optimizer pass.
/// </summary>
internal sealed partial class LocalShard
{
    // Placement is not an optimization of the reference's kind (nothing is rebuilt): it is neither logged as one nor
    // reported as the optimizer's work. Each step places one segment's vector, which then needs nothing more, so the
    // loop ends; the bound only guards against a segment that would never settle.
    private void PlaceAll(OptimizerPolicy policy)
    {
        int bound;
        _lock.EnterReadLock();
        try
        {
            bound = 1 + (_segments.Count * Math.Max(1, _vectors.All.Count()));
        }
        finally
        {
            _lock.ExitReadLock();
        }

        for (var i = 0; i < bound && PlaceNext(policy); i++)
        {
        }
    }

    private bool PlaceNext(OptimizerPolicy policy)
    {
        ShardSegment? target = null;
        string? vectorName = null;
        _lock.EnterReadLock();
        try
        {
            if (_disposed)
            {
                return false;
            }

            foreach (var s in _segments)
            {
                if (s.Appendable || s.Frozen)
                {
                    continue;
                }

                foreach (var (name, _) in _vectors.All)
                {
                    if (s.Segment.NeedsPlacement(name, SealedPolicy(policy, name)))
                    {
                        (target, vectorName) = (s, name);
                        break;
                    }
                }

                if (target is not null)
                {
                    break;
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        if (target is null || vectorName is null)
        {
            return false;
        }

        lock (_writers)
        {
            _lock.EnterWriteLock();
            try
            {
                if (_disposed || !_segments.Contains(target) || target.Frozen)
                {
                    return false;
                }

                target.Segment.ApplyPlacement(vectorName, SealedPolicy(policy, vectorName));
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }

        return true;
    }

    /// <summary>Per sealed segment: the placement last applied to <paramref name="vectorName"/>'s vectors, graph and codes (null: none yet).</summary>
    internal IReadOnlyList<(string Segment, MemoryPlacement? Vectors, MemoryPlacement? Graph, MemoryPlacement? Codes)> VectorPlacements(string vectorName)
    {
        _lock.EnterReadLock();
        try
        {
            return _disposed ? [] : [.. _segments.Where(s => !s.Appendable).Select(s =>
            {
                var placed = s.Segment.PlacementOf(vectorName);
                return (s.Name, placed.Vectors, placed.Graph, placed.Codes);
            })];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
