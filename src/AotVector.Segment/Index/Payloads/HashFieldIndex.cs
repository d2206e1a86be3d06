namespace AotVector.Segment.Index.Payloads;

/// <summary>Exact-match index: key → offsets, plus the offsets holding values the key type cannot represent.</summary>
internal abstract class HashFieldIndex<TKey> : KeyedFieldIndex<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, HashSet<uint>> _postings;

    protected HashFieldIndex(string field, Common.Model.JsonPath path, IEqualityComparer<TKey>? comparer)
        : base(field, path)
    {
        _postings = new Dictionary<TKey, HashSet<uint>>(comparer);
    }

    protected override void AddEntry(TKey key, uint offset)
    {
        if (!_postings.TryGetValue(key, out var set))
        {
            set = [];
            _postings[key] = set;
        }

        set.Add(offset);
    }

    protected override void RemoveEntry(TKey key, uint offset)
    {
        if (_postings.TryGetValue(key, out var set) && set.Remove(offset) && set.Count == 0)
        {
            _postings.Remove(key);
        }
    }

    public override void ValueBlocks(int minPoints, List<PayloadBlock> into)
    {
        foreach (var (key, set) in _postings)
        {
            if (set.Count >= minPoints && BlockValue(key) is { } value)
            {
                var offsets = set.ToArray();
                Array.Sort(offsets);
                into.Add(new PayloadBlock(Field, value, offsets));
            }
        }
    }

    /// <summary>The payload value a key stands for in a <c>match.value</c>, or null when its blocks get no links.</summary>
    protected virtual Common.Model.PayloadValue? BlockValue(TKey key) => null;

    protected void AddPostings(TKey key, Candidates into)
    {
        if (_postings.TryGetValue(key, out var set))
        {
            into.AddAll(set);
        }
    }
}
