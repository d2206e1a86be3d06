using AotVector.Common.Filtering;
using AotVector.Common.FullText;
using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>The field indexes of one segment, kept in step with every payload write, and the planner's index lookup.</summary>
internal sealed class PayloadIndexSet
{
    private readonly Dictionary<string, FieldIndex> _indexes = new(StringComparer.Ordinal);

    public int Count => _indexes.Count;

    public IEnumerable<FieldIndex> Indexes => _indexes.Values;

    public bool TryGet(string field, out FieldIndex index) => _indexes.TryGetValue(field, out index!);

    /// <summary>Adds (or replaces) the index on <paramref name="field"/> and fills it from <paramref name="livePayloads"/>.</summary>
    public void Create(string field, JsonPath path, FieldIndexType type, TextIndexParams? text, FieldIndexParams? parameters, IEnumerable<(uint Offset, Payload? Payload)> livePayloads)
    {
        var index = FieldIndex.Create(field, path, type, text, parameters);
        foreach (var (offset, payload) in livePayloads)
        {
            index.Update(offset, payload);
        }

        _indexes[field] = index;
    }

    public bool Delete(string field) => _indexes.Remove(field);

    /// <summary>The text index on <paramref name="field"/>, or null when the field has none.</summary>
    public TextIndex? Text(string field) => _indexes.TryGetValue(field, out var index) ? index as TextIndex : null;

    public void Update(uint offset, Payload? payload)
    {
        foreach (var index in _indexes.Values)
        {
            index.Update(offset, payload);
        }
    }

    public void Remove(uint offset)
    {
        foreach (var index in _indexes.Values)
        {
            index.Remove(offset);
        }
    }

    /// <summary>
    /// The smallest candidate set any indexed <c>must</c> condition of <paramref name="filter"/> yields: a superset of
    /// the matching offsets (may include deleted ones). False when no must-condition is indexed.
    /// </summary>
    public bool TryGetCandidates(Filter filter, out HashSet<uint> candidates)
    {
        candidates = null!;
        if (_indexes.Count == 0 || filter.Must is not { } must)
        {
            return false;
        }

        // Counted first (no sets), so only the smallest candidate set is ever built.
        (FieldIndex Index, FieldCondition Condition)? smallest = null;
        var smallestCount = int.MaxValue;
        foreach (var condition in must)
        {
            if (condition is FieldCondition field
                && _indexes.TryGetValue(field.Key, out var index)
                && index.TryCount(field, int.MaxValue - 1, out var count)
                && (smallest is null || count < smallestCount))
            {
                smallest = (index, field);
                smallestCount = count;
            }
        }

        return smallest is { } chosen && chosen.Index.TryGetCandidates(chosen.Condition, out candidates);
    }

    /// <summary>
    /// The candidate count of the most selective indexed <c>must</c> condition of <paramref name="filter"/>, counted
    /// only up to a little past <paramref name="cap"/>: an upper bound of the matches that builds no set. False when
    /// no must-condition is indexed.
    /// </summary>
    public bool TryCountSmallest(Filter filter, int cap, out int count)
    {
        count = int.MaxValue;
        if (_indexes.Count == 0 || filter.Must is not { } must)
        {
            return false;
        }

        var found = false;
        foreach (var condition in must)
        {
            if (condition is FieldCondition field
                && _indexes.TryGetValue(field.Key, out var index)
                && index.TryCount(field, cap, out var n))
            {
                found = true;
                count = Math.Min(count, n);
            }
        }

        return found;
    }
}
