namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Layers above 0: only the few nodes that reach layer 1 or higher (about 1/M of them) have an array,
/// holding one record <c>[count, n_1 .. n_M]</c> per layer, layer 1 first.
/// </summary>
internal readonly struct UpperLinks(uint[]?[] nodes, int level, int stride) : ILinks
{
    private readonly uint[]?[] _nodes = nodes;
    private readonly int _start = (level - 1) * stride;

    public ReadOnlySpan<uint> Neighbors(uint node)
    {
        // A node is only linked on the layers it reaches, so its array exists and covers this level.
        var links = _nodes[node]!;
        return links.AsSpan(_start + 1, (int)links[_start]);
    }

    // Upper layers are tiny and walked greedily: not worth a hint.
    public void PrefetchNeighbors(uint node)
    {
    }
}
