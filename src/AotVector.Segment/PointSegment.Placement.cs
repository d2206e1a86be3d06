namespace AotVector.Segment;

public sealed partial class PointSegment
{
    /// <summary>
    /// The placement last applied to <paramref name="vectorName"/>'s stored vectors, graph and codes (null: not applied,
    /// or no graph or codes), and whether its graph's layer 0 is mapped rather than on the heap; for tests and reports.
    /// </summary>
    public (MemoryPlacement? Vectors, MemoryPlacement? Graph, MemoryPlacement? Codes, bool GraphMapped) PlacementOf(string vectorName) =>
        _columns.TryGetValue(vectorName, out var column)
            ? (column.VectorsPlacement, column.GraphPlacement, column.Quantized?.Placement, column.Graph?.IsMapped ?? false)
            : (null, null, null, false);

    /// <summary>Whether <paramref name="policy"/> places <paramref name="vectorName"/> otherwise than it was last placed.</summary>
    public bool NeedsPlacement(string vectorName, IndexingPolicy policy)
    {
        if (_disposed || policy.Placement is not { } wanted || !_columns.TryGetValue(vectorName, out var column))
        {
            return false;
        }

        var vectors = wanted.VectorsFor(column.StoredKb);
        return column.VectorsPlacement != vectors
            || (column.Graph is not null && column.GraphPlacement != wanted.Graph)
            || (column.Quantized is not null && column.CodesPlacement != wanted.CodesFor(vectors));
    }

    /// <summary>
    /// Places <paramref name="vectorName"/> as <paramref name="policy"/> says: stored vectors faulted in (cached) or left
    /// to the page cache (cold); the graph's mapped layer 0 faulted in or not; the codes on the heap (pinned) or mapped from their file, faulted in (cached) or
    /// not (cold). Caller holds the owner's write lock, so no search runs meanwhile.
    /// </summary>
    /// <remarks>A graph in service is always read from its mapped file (a build saves and reopens it), so placing it only advises.</remarks>
    public void ApplyPlacement(string vectorName, IndexingPolicy policy)
    {
        ThrowIfDisposed();
        if (policy.Placement is not { } wanted || !_columns.TryGetValue(vectorName, out var column))
        {
            return;
        }

        var vectors = wanted.VectorsFor(column.StoredKb);
        column.PlaceVectors(vectors);
        if (column.Graph is not null && column.GraphPlacement != wanted.Graph)
        {
            column.PlaceGraph(wanted.Graph);
        }

        if (column.Quantized is not null)
        {
            column.PlaceCodes(wanted.CodesFor(vectors), QuantizedPath(column.Name));
        }
    }
}
