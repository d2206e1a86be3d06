using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>Exact-match index: key → offsets, plus the offsets holding values the key type cannot represent.</summary>
internal abstract class HashFieldIndex<TKey> : FieldIndex
    where TKey : notnull
{
    private readonly Dictionary<TKey, HashSet<uint>> _postings;
    private readonly Dictionary<uint, TKey[]> _byOffset = [];

    protected HashFieldIndex(string field, JsonPath path, IEqualityComparer<TKey>? comparer)
        : base(field, path)
    {
        _postings = new Dictionary<TKey, HashSet<uint>>(comparer);
    }

    public override int Points => _byOffset.Count;

    /// <summary>Offsets with at least one value that did not convert to a key.</summary>
    protected HashSet<uint> Others { get; } = [];

    public override void Remove(uint offset)
    {
        Others.Remove(offset);
        if (_byOffset.Remove(offset, out var keys))
        {
            foreach (var key in keys)
            {
                if (_postings.TryGetValue(key, out var set) && set.Remove(offset) && set.Count == 0)
                {
                    _postings.Remove(key);
                }
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
            if (!_postings.TryGetValue(key, out var set))
            {
                set = [];
                _postings[key] = set;
            }

            set.Add(offset);
        }
    }

    protected void AddPostings(TKey key, HashSet<uint> into)
    {
        if (_postings.TryGetValue(key, out var set))
        {
            into.UnionWith(set);
        }
    }
}
