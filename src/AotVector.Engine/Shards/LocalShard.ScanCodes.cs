namespace AotVector.Engine.Shards;

/// <summary>
/// Int8 scan codes for points not indexed yet: while a collection builds graphs (m above 0 and an indexing
/// threshold), its segments keep codes of the points no graph covers, written with each upsert, so searches scan
/// the appendable segment and sealed segments waiting for their graphs by codes and rescore the best with float32.
/// Codes live in memory only and are rebuilt from the vectors after a restart; a collection that never indexes
/// scans in float32 and keeps no codes.
/// </summary>
internal sealed partial class LocalShard
{
    // Whether the policy gives this vector graphs, so its unindexed points are transient and worth codes.
    private static bool WantsScanCodes(OptimizerPolicy policy, string vectorName)
    {
        var indexing = policy.IndexingFor(vectorName);
        return indexing.M > 0 && policy.IndexingThresholdKb > 0;
    }

    /// <summary>Turns scan codes on or off on every segment as the policy says; the write lock only when something changes.</summary>
    private void ApplyScanCodes(OptimizerPolicy policy)
    {
        _lock.EnterReadLock();
        try
        {
            if (_disposed || !_segments.Any(s => NeedsScanCodesChange(s, policy)))
            {
                return;
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        lock (_writers)
        {
            _lock.EnterWriteLock();
            try
            {
                if (!_disposed)
                {
                    foreach (var s in _segments)
                    {
                        SetScanCodes(s, policy);
                    }
                }
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
    }

    private bool NeedsScanCodesChange(ShardSegment s, OptimizerPolicy policy)
    {
        foreach (var (name, _) in _vectors.All)
        {
            if (s.Segment.ScanCodesState(name).Enabled != WantsScanCodes(policy, name) && s.Segment.CanKeepScanCodes(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Per segment: its name, role, and whether the unnamed vector keeps scan codes (tests).</summary>
    internal IReadOnlyList<(string Name, bool Appendable, bool Codes)> DescribeScanCodes(string vectorName = "")
    {
        _lock.EnterReadLock();
        try
        {
            return [.. _segments.Select(s => (s.Name, s.Appendable, s.Segment.ScanCodesState(vectorName).Enabled))];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    // Caller holds the write lock (or the segment is not in the list yet).
    private void SetScanCodes(ShardSegment s, OptimizerPolicy policy)
    {
        foreach (var (name, _) in _vectors.All)
        {
            s.Segment.SetScanCodes(name, WantsScanCodes(policy, name));
        }
    }
}
