namespace AotVector.Segment.Index.Hnsw;

/// <summary>One layer's adjacency as seen by the search loop, which is generic over it so the lookup inlines.</summary>
internal interface ILinks
{
    /// <summary>The neighbours of <paramref name="node"/> on this layer.</summary>
    ReadOnlySpan<uint> Neighbors(uint node);

    /// <summary>Hints the link record of <paramref name="node"/> into cache (the node the walk expands next).</summary>
    void PrefetchNeighbors(uint node);
}
