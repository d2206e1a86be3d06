using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Filters;

namespace AotVector.Segment.Index.Payloads;

/// <summary>Strings that parse as datetimes, keyed by UTC ticks; answers datetime <c>range</c>.</summary>
internal sealed class DatetimeIndex(string field, JsonPath path) : SortedFieldIndex<long>(field, path)
{
    public override FieldIndexType Type => FieldIndexType.Datetime;

    public override bool Collect(FieldCondition condition, Candidates candidates)
    {
        if (condition.DatetimeRange is not { } range)
        {
            return false;
        }

        var low = Math.Max(range.Gt?.UtcTicks ?? long.MinValue, range.Gte?.UtcTicks ?? long.MinValue);
        var high = Math.Min(range.Lt?.UtcTicks ?? long.MaxValue, range.Lte?.UtcTicks ?? long.MaxValue);
        AddRange(low, high, ticks => FilterEvaluator.InRange(range, new DateTimeOffset(ticks, TimeSpan.Zero)), candidates);
        return true;
    }

    protected override ulong LayoutValue(long key) => unchecked((ulong)key);

    protected override bool TryConvert(PayloadValue value, out long key, out bool isOther)
    {
        isOther = false;
        key = 0;
        if (value.Kind == PayloadKind.String && PayloadDatetime.TryParse(value.AsString, out var instant))
        {
            key = instant.UtcTicks;
            return true;
        }

        return false;
    }

    // The reference orders datetimes by their microseconds since the Unix epoch, reported as integers.
    protected override OrderValue ToOrderValue(long key) => OrderValue.Of((key - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond);
}
