namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// A predicate over dense offsets, checked while the graph is traversed. Implemented by structs so the search
/// loop is specialised per filter and the check inlines (no delegate per node).
/// </summary>
/// <remarks>Non-matching nodes are still expanded (they keep the graph connected); they are only not collected.</remarks>
internal interface IOffsetFilter
{
    bool Matches(uint offset);
}
