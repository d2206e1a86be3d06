using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>Ordered index: (key, offset) pairs in a sorted set, so ranges and equality are views over it.</summary>
internal abstract class SortedFieldIndex<TKey> : FieldIndex
    where TKey : IComparable<TKey>
{
    private readonly SortedSet<(TKey Key, uint Offset)> _entries = [];
    private readonly Dictionary<uint, TKey[]> _byOffset = [];

    protected SortedFieldIndex(string field, JsonPath path)
        : base(field, path)
    {
    }

    public override int Points => _byOffset.Count;

    /// <summary>Offsets with at least one value that did not convert to a key but may still satisfy a range.</summary>
    protected HashSet<uint> Others { get; } = [];

    public override void Remove(uint offset)
    {
        Others.Remove(offset);
        if (_byOffset.Remove(offset, out var keys))
        {
            foreach (var key in keys)
            {
                _entries.Remove((key, offset));
            }
        }
    }

    protected abstract bool TryConvert(PayloadValue value, out TKey key, out bool isOther);

    protected override void Add(uint offset, List<PayloadValue> values)
    {
        List<TKey>? keys = null;
        foreach (var value in values)
        {
            if (TryConvert(value, out var key, out var isOther))
            {
                keys ??= [];
                if (!keys.Contains(key))
                {
                    keys.Add(key);
                }
            }
            else if (isOther)
            {
                Others.Add(offset);
            }
        }

        if (keys is null)
        {
            return;
        }

        _byOffset[offset] = [.. keys];
        foreach (var key in keys)
        {
            _entries.Add((key, offset));
        }
    }

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
}
