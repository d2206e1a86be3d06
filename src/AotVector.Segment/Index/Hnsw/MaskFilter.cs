namespace AotVector.Segment.Index.Hnsw;

/// <summary>Matches the offsets whose flag is set in <c>mask</c>; offsets past its end do not match.</summary>
/// <remarks>The shape a payload-index lookup produces (one flag per offset of the segment).</remarks>
internal readonly struct MaskFilter(bool[] mask) : IOffsetFilter
{
    private readonly bool[] _mask = mask;

    public bool Matches(uint offset) => offset < (uint)_mask.Length && _mask[offset];
}
