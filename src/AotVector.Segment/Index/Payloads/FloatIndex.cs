using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Filters;

namespace AotVector.Segment.Index.Payloads;

/// <summary>Numbers (integers and floats, compared as doubles like the filter does); answers <c>range</c>.</summary>
internal sealed class FloatIndex(string field, JsonPath path) : SortedFieldIndex<double>(field, path)
{
    public override FieldIndexType Type => FieldIndexType.Float;

    public override bool Collect(FieldCondition condition, Candidates candidates)
    {
        if (condition.Range is not { } range)
        {
            return false;
        }

        var low = Math.Max(range.Gt ?? double.NegativeInfinity, range.Gte ?? double.NegativeInfinity);
        var high = Math.Min(range.Lt ?? double.PositiveInfinity, range.Lte ?? double.PositiveInfinity);
        if (!double.IsNaN(low) && !double.IsNaN(high))
        {
            AddRange(low, high, key => FilterEvaluator.InRange(range, key), candidates);
        }

        return true;
    }

    protected override bool TryConvert(PayloadValue value, out double key, out bool isOther)
    {
        isOther = false;
        return value.TryGetNumber(out key) && !double.IsNaN(key);
    }

    protected override OrderValue ToOrderValue(double key) => OrderValue.Of(key);

    // The bits of a non-negative double order as the double does.
    protected override ulong LayoutValue(double key) => BitConverter.DoubleToUInt64Bits(key);
}
