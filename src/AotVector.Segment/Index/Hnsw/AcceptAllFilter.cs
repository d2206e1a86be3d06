namespace AotVector.Segment.Index.Hnsw;

/// <summary>The unfiltered search: every offset matches, and the search loop skips the filtered-search bookkeeping.</summary>
internal readonly struct AcceptAllFilter : IOffsetFilter
{
    public bool Matches(uint offset) => true;
}
