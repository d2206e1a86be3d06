using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>
/// Ordered index: (key, offset) pairs in a sorted set, so ranges and equality are views over it. Range lookups read a
/// sorted array copy of the set instead (two binary searches, then a slice), rebuilt on the first lookup after a
/// write: a view over the set walks its whole range just to be enumerated, which made a wide range cost milliseconds.
/// </summary>
internal abstract class SortedFieldIndex<TKey> : KeyedFieldIndex<TKey>, IOrderingIndex
    where TKey : IComparable<TKey>
{
    private readonly SortedSet<(TKey Key, uint Offset)> _entries = [];
    private readonly object _gate = new();
    private Snapshot? _snapshot;

    protected SortedFieldIndex(string field, JsonPath path)
        : base(field, path)
    {
    }

    protected override void AddEntry(TKey key, uint offset)
    {
        _entries.Add((key, offset));
        _snapshot = null;
    }

    protected override void RemoveEntry(TKey key, uint offset)
    {
        _entries.Remove((key, offset));
        _snapshot = null;
    }

    /// <summary>Adds the offsets whose key lies in [<paramref name="low"/>, <paramref name="high"/>] and passes <paramref name="exact"/>.</summary>
    protected void AddRange(TKey low, TKey high, Func<TKey, bool> exact, Candidates into)
    {
        if (low.CompareTo(high) > 0)
        {
            return;
        }

        var snapshot = Sorted();
        var first = LowerBound(snapshot.Keys, low, inclusiveHigh: false);
        var end = LowerBound(snapshot.Keys, high, inclusiveHigh: true);
        if (into.Set is null)
        {
            // Counting: the keys in [low, high] bound the matches (the exact check only trims the ends).
            into.AddCount(end - first);
            return;
        }

        for (var i = first; i < end; i++)
        {
            if (exact(snapshot.Keys[i]))
            {
                into.Add(snapshot.Offsets[i]);
            }
        }
    }

    // The first index whose key is >= `bound` (or > `bound` with inclusiveHigh).
    private static int LowerBound(TKey[] keys, TKey bound, bool inclusiveHigh)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var c = keys[mid].CompareTo(bound);
            if (c < 0 || (inclusiveHigh && c == 0))
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

    // Queries run concurrently under the segment's read lock: the copy is built under a lock and published whole.
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

            var keys = new TKey[_entries.Count];
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

    /// <summary>The (key, offset) entries ordered by key, as two parallel arrays (not to be modified).</summary>
    protected (TKey[] Keys, uint[] Offsets) SortedEntries()
    {
        var snapshot = Sorted();
        return (snapshot.Keys, snapshot.Offsets);
    }

    private sealed record Snapshot(TKey[] Keys, uint[] Offsets);

    public IEnumerable<(OrderValue Value, uint Offset)> Ordered(bool descending, OrderValue? from = null)
    {
        // The sorted copy is ordered by (key, offset), so the start is two binary searches away, not a walk.
        var (keys, offsets) = SortedEntries();
        if (descending)
        {
            for (var i = (from is { } high ? FirstPast(keys, high, inclusive: true) : keys.Length) - 1; i >= 0; i--)
            {
                yield return (ToOrderValue(keys[i]), offsets[i]);
            }
        }
        else
        {
            for (var i = from is { } low ? FirstPast(keys, low, inclusive: false) : 0; i < keys.Length; i++)
            {
                yield return (ToOrderValue(keys[i]), offsets[i]);
            }
        }
    }

    // The first index whose value is >= `bound` (or > `bound` when inclusive), comparing as the order does.
    private int FirstPast(TKey[] keys, OrderValue bound, bool inclusive)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var c = ToOrderValue(keys[mid]).CompareTo(bound);
            if (c < 0 || (inclusive && c == 0))
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

    public void ValuesOf(uint offset, List<OrderValue> into)
    {
        if (TryGetKeys(offset, out var keys))
        {
            foreach (var key in keys)
            {
                into.Add(ToOrderValue(key));
            }
        }
    }

    /// <summary>How a key is reported and compared when points are ordered by this field.</summary>
    protected abstract OrderValue ToOrderValue(TKey key);
}
