namespace AotVector.Segment.Index.Hnsw;

/// <summary>One layer's adjacency as seen by the search loop, which is generic over it so the lookup inlines.</summary>
internal interface ILinks
{
    /// <summary>The neighbours of <paramref name="node"/> on this layer.</summary>
    ReadOnlySpan<uint> Neighbors(uint node);
}
