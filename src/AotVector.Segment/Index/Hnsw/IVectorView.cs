namespace AotVector.Segment.Index.Hnsw;

/// <summary>Per-search access to vectors; the search loop is generic over it so the lookup inlines.</summary>
internal interface IVectorView
{
    ReadOnlySpan<float> Get(uint offset);
}
