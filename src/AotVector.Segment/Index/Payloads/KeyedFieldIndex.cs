using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>
/// The bookkeeping every keyed index shares: which keys each offset holds (so an update can remove exactly
/// those), and the offsets holding values the key type cannot represent. Subclasses only store and look up
/// (key, offset) entries.
/// </summary>
internal abstract class KeyedFieldIndex<TKey> : FieldIndex
    where TKey : notnull
{
    private readonly Dictionary<uint, TKey[]> _byOffset = [];

    protected KeyedFieldIndex(string field, JsonPath path)
        : base(field, path)
    {
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
                RemoveEntry(key, offset);
            }
        }
    }

    /// <summary>The distinct keys held for <paramref name="offset"/>, if any.</summary>
    protected bool TryGetKeys(uint offset, out TKey[] keys) => _byOffset.TryGetValue(offset, out keys!);

    public override ulong LayoutKey(uint offset)
    {
        ulong sum = 0;
        if (TryGetKeys(offset, out var keys))
        {
            foreach (var key in keys)
            {
                sum = unchecked(sum + LayoutValue(key));
            }
        }

        return sum;
    }

    /// <summary>The layout number of one key (see <see cref="LayoutKey"/>); 0 for a type that is never laid out by.</summary>
    protected virtual ulong LayoutValue(TKey key) => 0;

    protected abstract bool TryConvert(PayloadValue value, out TKey key, out bool isOther);

    protected abstract void AddEntry(TKey key, uint offset);

    protected abstract void RemoveEntry(TKey key, uint offset);

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
            AddEntry(key, offset);
        }
    }
}
