using AotVector.Engine.Api;

namespace AotVector.Engine.Shards;

internal sealed partial class LocalShard
{
    /// <summary>Per segment: role, live and deleted points, stored vectors (all names) and graph-covered ones.</summary>
    internal IReadOnlyList<SegmentReport> SegmentReports()
    {
        _lock.EnterReadLock();
        try
        {
            if (_disposed)
            {
                return [];
            }

            var reports = new List<SegmentReport>(_segments.Count);
            foreach (var s in _segments)
            {
                ulong vectors = 0;
                foreach (var (name, _) in _vectors.All)
                {
                    vectors += s.Segment.VectorCount(name);
                }

                reports.Add(new SegmentReport(s.Name, s.Appendable, s.Segment.PointsCount, vectors, s.Segment.IndexedVectorCount, s.Segment.DeletedCount));
            }

            return reports;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Per segment: whether its payloads are in a file read on demand (on_disk_payload) or on the heap.</summary>
    internal IReadOnlyList<(string Segment, bool Appendable, bool OnDiskPayload)> PayloadPlacements()
    {
        _lock.EnterReadLock();
        try
        {
            return _disposed ? [] : [.. _segments.Select(s => (s.Name, s.Appendable, s.Segment.OnDiskPayload))];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Stored vectors per vector name over all segments.</summary>
    internal void CountVectors(Dictionary<string, ulong> byName)
    {
        _lock.EnterReadLock();
        try
        {
            if (_disposed)
            {
                return;
            }

            foreach (var (name, _) in _vectors.All)
            {
                ulong count = 0;
                foreach (var s in _segments)
                {
                    count += s.Segment.VectorCount(name);
                }

                byName[name] = byName.GetValueOrDefault(name) + count;
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
