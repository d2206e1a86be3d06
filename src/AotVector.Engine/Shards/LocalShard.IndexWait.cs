namespace AotVector.Engine.Shards;

internal sealed partial class LocalShard
{
    /// <summary>
    /// The segments that are past the indexing threshold and still lack a graph for some vector: the appendable one
    /// once it is due to be sealed for indexing (it keeps its name when sealed, so its wait goes on), and every sealed
    /// one the optimizer has still to give its first graph. Searches scan such a segment exactly.
    /// </summary>
    internal IReadOnlyList<(string Segment, ulong Points)> SegmentsAwaitingIndex(OptimizerPolicy policy)
    {
        _lock.EnterReadLock();
        try
        {
            if (_disposed)
            {
                return [];
            }

            var waiting = new List<(string, ulong)>();
            foreach (var s in _segments)
            {
                // The appendable segment's test is the planner's for sealing it to be indexed.
                var due = !s.Appendable || s.Segment.PointsCount > 0 && policy.IndexingThresholdKb > 0 && s.Segment.VectorBytes / 1024 >= policy.IndexingThresholdKb;
                if (due && WantsGraph(s, policy))
                {
                    waiting.Add((s.Name, s.Segment.PointsCount));
                }
            }

            return waiting;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    // Some vector of the segment has no graph and the policy wants one (a graph that is merely outdated still serves).
    private bool WantsGraph(ShardSegment s, OptimizerPolicy policy)
    {
        foreach (var (name, _) in _vectors.All)
        {
            if (s.Segment.GraphParameters(name) is null && s.Segment.NeedsIndexBuild(name, SealedPolicy(policy, name)))
            {
                return true;
            }
        }

        return false;
    }
}
