namespace AotVector.Segment.Filters;

/// <summary>A nested filter on a <see cref="NestedColumn"/>: some one element of the point's array passes <c>inner</c> (compiled over element numbers).</summary>
internal sealed class NestedOnColumn(NestedColumn column, OffsetPredicate inner) : OffsetPredicate
{
    public override bool Matches(uint offset)
    {
        var (first, count) = column.ElementsOf(offset);
        for (var i = 0; i < count; i++)
        {
            if (inner.Matches(first + (uint)i))
            {
                return true;
            }
        }

        return false;
    }
}
