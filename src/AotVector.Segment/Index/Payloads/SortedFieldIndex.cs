using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>Ordered index: (key, offset) pairs in a sorted set, so ranges and equality are views over it.</summary>
internal abstract class SortedFieldIndex<TKey> : KeyedFieldIndex<TKey>, IOrderingIndex
    where TKey : IComparable<TKey>
{
    private readonly SortedSet<(TKey Key, uint Offset)> _entries = [];

    protected SortedFieldIndex(string field, JsonPath path)
        : base(field, path)
    {
    }

    protected override void AddEntry(TKey key, uint offset) => _entries.Add((key, offset));

    protected override void RemoveEntry(TKey key, uint offset) => _entries.Remove((key, offset));

    /// <summary>Adds the offsets whose key lies in [<paramref name="low"/>, <paramref name="high"/>] and passes <paramref name="exact"/>.</summary>
    protected void AddRange(TKey low, TKey high, Func<TKey, bool> exact, HashSet<uint> into)
    {
        if (low.CompareTo(high) > 0)
        {
            return;
        }

        foreach (var (key, offset) in _entries.GetViewBetween((low, 0u), (high, uint.MaxValue)))
        {
            if (exact(key))
            {
                into.Add(offset);
            }
        }
    }

    public IEnumerable<(OrderValue Value, uint Offset)> Ordered(bool descending)
    {
        foreach (var (key, offset) in descending ? _entries.Reverse() : _entries)
        {
            yield return (ToOrderValue(key), offset);
        }
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
