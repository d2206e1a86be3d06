namespace AotVector.Segment.Index.Hnsw;

/// <summary>Per-search access to stored records (see <see cref="IPointSimilarity"/>); the search loop is generic over it so the lookup inlines.</summary>
internal interface IVectorView
{
    ReadOnlySpan<byte> Get(uint offset);
}
