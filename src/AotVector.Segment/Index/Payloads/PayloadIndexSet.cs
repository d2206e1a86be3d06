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
    /// The smallest candidate set the filter's indexes yield: that of its most selective indexed <c>must</c> condition,
    /// or the union of its <c>should</c> branches' candidates when every branch is an indexed condition (a match
    /// matches some branch). A superset of the matching offsets (may include deleted ones); false when neither exists.
    /// </summary>
    public bool TryGetCandidates(Filter filter, out HashSet<uint> candidates)
    {
        candidates = null!;
        if (_indexes.Count == 0)
        {
            return false;
        }

        // Counted first (no sets), so only the smallest candidate set is ever built.
        (FieldIndex Index, FieldCondition Condition)? smallest = null;
        var smallestCount = int.MaxValue;
        foreach (var condition in filter.Must ?? [])
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

        if (TryCountShould(filter, smallestCount, out var shouldCount) && (smallest is null || shouldCount < smallestCount))
        {
            var union = Candidates.Collecting();
            foreach (var condition in filter.Should!)
            {
                var field = (FieldCondition)condition;
                _indexes[field.Key].Collect(field, union);
            }

            candidates = union.Set!;
            return true;
        }

        return smallest is { } chosen && chosen.Index.TryGetCandidates(chosen.Condition, out candidates);
    }

    /// <summary>
    /// The candidate count of the most selective indexed <c>must</c> condition of <paramref name="filter"/> (or of its
    /// <c>should</c> branches together, when all are indexed), counted only up to a little past <paramref name="cap"/>:
    /// an upper bound of the matches that builds no set. False when there is no such condition.
    /// </summary>
    public bool TryCountSmallest(Filter filter, int cap, out int count)
    {
        count = int.MaxValue;
        if (_indexes.Count == 0)
        {
            return false;
        }

        var found = false;
        foreach (var condition in filter.Must ?? [])
        {
            if (condition is FieldCondition field
                && _indexes.TryGetValue(field.Key, out var index)
                && index.TryCount(field, cap, out var n))
            {
                found = true;
                count = Math.Min(count, n);
            }
        }

        if (TryCountShould(filter, cap, out var should))
        {
            found = true;
            count = Math.Min(count, should);
        }

        return found;
    }

    // The candidates of all should branches together (duplicates counted again), up to a little past `cap`; false when
    // there are none or some branch is not an indexed condition (its matches would be unbounded).
    private bool TryCountShould(Filter filter, int cap, out int count)
    {
        count = 0;
        if (filter.Should is not { Count: > 0 } should)
        {
            return false;
        }

        foreach (var condition in should)
        {
            if (condition is not FieldCondition field
                || !_indexes.TryGetValue(field.Key, out var index)
                || !index.TryCount(field, cap, out var n))
            {
                return false;
            }

            count = (int)Math.Min(int.MaxValue - 1L, (long)count + n);
        }

        return true;
    }
}
