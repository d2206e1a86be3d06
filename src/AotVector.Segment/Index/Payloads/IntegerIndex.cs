using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Filters;

namespace AotVector.Segment.Index.Payloads;

/// <summary>
/// Integers; answers <c>match.value</c>/<c>match.any</c> on integers and <c>range</c>. Points holding floats at the
/// path are range candidates too, since a range matches any number. Created with <c>lookup: false</c> it answers no
/// match and with <c>range: false</c> no range (nor ordering), as the reference's index without that structure: such a
/// condition is checked on each point instead.
/// </summary>
internal sealed class IntegerIndex(string field, JsonPath path) : SortedFieldIndex<long>(field, path)
{
    public override FieldIndexType Type => FieldIndexType.Integer;

    public override bool Collect(FieldCondition condition, Candidates candidates)
    {
        switch (FieldIndexParams.Looks(IndexParams) ? condition.Match : null)
        {
            case MatchValue { Value.Kind: PayloadKind.Integer } m:
                var value = m.Value.AsInteger;
                AddRange(value, value, static _ => true, candidates);
                return true;
            case MatchAny any when HasNoItems(any.Keywords):
                foreach (var item in any.Integers ?? [])
                {
                    AddRange(item, item, static _ => true, candidates);
                }

                return true;
        }

        if (condition.Range is { } range && FieldIndexParams.Ranges(IndexParams))
        {
            var low = LowBound(range.Gt, range.Gte);
            var high = HighBound(range.Lt, range.Lte);
            AddRange(low, high, key => FilterEvaluator.InRange(range, key), candidates);
            candidates.AddAll(Others);
            return true;
        }

        return false;
    }

    public override void ValueBlocks(int minPoints, List<PayloadBlock> into)
    {
        var (keys, offsets) = SortedEntries();
        for (int start = 0, end; start < keys.Length; start = end)
        {
            end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start >= minPoints)
            {
                // Entries of one key are ordered by offset already.
                into.Add(new PayloadBlock(Field, PayloadValue.FromInteger(keys[start]), offsets[start..end]));
            }
        }
    }

    protected override bool TryConvert(PayloadValue value, out long key, out bool isOther)
    {
        isOther = value.Kind == PayloadKind.Double;
        key = value.Kind == PayloadKind.Integer ? value.AsInteger : 0;
        return value.Kind == PayloadKind.Integer;
    }

    // Conservative integer bounds for double limits; the exact comparison happens per key.
    private static long LowBound(double? gt, double? gte)
    {
        var bound = Math.Max(gt ?? double.NegativeInfinity, gte ?? double.NegativeInfinity);
        return double.IsNaN(bound) || bound <= long.MinValue ? long.MinValue : bound >= long.MaxValue ? long.MaxValue : (long)Math.Floor(bound);
    }

    private static long HighBound(double? lt, double? lte)
    {
        var bound = Math.Min(lt ?? double.PositiveInfinity, lte ?? double.PositiveInfinity);
        return double.IsNaN(bound) || bound >= long.MaxValue ? long.MaxValue : bound <= long.MinValue ? long.MinValue : (long)Math.Ceiling(bound);
    }

    protected override OrderValue ToOrderValue(long key) => OrderValue.Of(key);

    protected override ulong LayoutValue(long key) => unchecked((ulong)key);
}
