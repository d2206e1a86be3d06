using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>An index that can list its points in the order of their values (integer, float and datetime indexes).</summary>
internal interface IOrderingIndex
{
    /// <summary>
    /// (value, offset) entries, ascending by value then offset, or descending by both; from the first entry whose value
    /// is at least <paramref name="from"/> (at most it when descending) when given.
    /// </summary>
    IEnumerable<(OrderValue Value, uint Offset)> Ordered(bool descending, OrderValue? from = null);

    /// <summary>The distinct values the index holds for <paramref name="offset"/> (none if it holds none).</summary>
    void ValuesOf(uint offset, List<OrderValue> into);
}
