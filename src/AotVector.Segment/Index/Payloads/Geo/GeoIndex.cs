using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Filters;

namespace AotVector.Segment.Index.Payloads.Geo;

/// <summary>
/// Geo points (<c>{"lon", "lat"}</c>, one or several per point); answers <c>geo_radius</c>, <c>geo_bounding_box</c>
/// and <c>geo_polygon</c>. Each point is a Z-order key (<see cref="GeoCells"/>); a condition is bounded by lon/lat
/// rectangles (split at the antimeridian, widened to every longitude when a circle reaches a pole), covered by a few
/// aligned cells, and each cell is a slice of the sorted keys. Candidates are a superset: the caller checks each exactly.
/// Points whose coordinates lie off the globe are always candidates, since the filter still evaluates them.
/// </summary>
internal sealed class GeoIndex(string field, JsonPath path) : KeyedFieldIndex<ulong>(field, path)
{
    private readonly SortedSet<(ulong Key, uint Offset)> _entries = [];
    private readonly object _gate = new();
    private Snapshot? _snapshot;

    public override FieldIndexType Type => FieldIndexType.Geo;

    public override bool Collect(FieldCondition condition, Candidates candidates)
    {
        var rects = new List<GeoRect>(2);
        if (!GeoRect.TryBound(condition, rects))
        {
            return false;
        }

        var ranges = new List<(ulong Low, ulong High)>(GeoCells.MaxCoverCells * rects.Count);
        foreach (var rect in rects)
        {
            GeoCells.Cover(rect, ranges);
        }

        GeoCells.Merge(ranges);
        var snapshot = Sorted();
        foreach (var (low, high) in ranges)
        {
            var first = LowerBound(snapshot.Keys, low);
            var end = high == ulong.MaxValue ? snapshot.Keys.Length : LowerBound(snapshot.Keys, high + 1);
            if (candidates.Set is null)
            {
                candidates.AddCount(end - first);
                if (candidates.Full)
                {
                    return true;
                }

                continue;
            }

            for (var i = first; i < end; i++)
            {
                candidates.Add(snapshot.Offsets[i]);
            }
        }

        candidates.AddAll(Others);
        return true;
    }

    protected override bool TryConvert(PayloadValue value, out ulong key, out bool isOther)
    {
        key = 0;
        isOther = false;
        if (!GeoMath.TryGetPoint(value, out var point))
        {
            return false;
        }

        if (!(point.Lon >= -180 && point.Lon <= 180 && point.Lat >= -90 && point.Lat <= 90))
        {
            isOther = true;
            return false;
        }

        key = GeoCells.Key(point.Lon, point.Lat);
        return true;
    }

    protected override void AddEntry(ulong key, uint offset)
    {
        _entries.Add((key, offset));
        _snapshot = null;
    }

    protected override void RemoveEntry(ulong key, uint offset)
    {
        _entries.Remove((key, offset));
        _snapshot = null;
    }

    private static int LowerBound(ulong[] keys, ulong bound)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (keys[mid] < bound)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    // Queries run concurrently under the segment's read lock: the sorted copy is built under a lock and published whole.
    private Snapshot Sorted()
    {
        if (Volatile.Read(ref _snapshot) is { } ready)
        {
            return ready;
        }

        lock (_gate)
        {
            if (_snapshot is { } built)
            {
                return built;
            }

            var keys = new ulong[_entries.Count];
            var offsets = new uint[_entries.Count];
            var i = 0;
            foreach (var (key, offset) in _entries)
            {
                keys[i] = key;
                offsets[i++] = offset;
            }

            var snapshot = new Snapshot(keys, offsets);
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
    }

    private sealed record Snapshot(ulong[] Keys, uint[] Offsets);
}
