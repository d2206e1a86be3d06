using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;

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
    /// to the page cache (cold); the graph read from its mapped file (a freshly built one is reopened from the file it was
    /// saved to) and faulted in or not; the codes on the heap (pinned) or mapped from their file, faulted in (cached) or
    /// not (cold). Caller holds the owner's write lock, so no search runs meanwhile.
    /// </summary>
    public void ApplyPlacement(string vectorName, IndexingPolicy policy)
    {
        ThrowIfDisposed();
        if (policy.Placement is not { } wanted || !_columns.TryGetValue(vectorName, out var column))
        {
            return;
        }

        var vectors = wanted.VectorsFor(column.StoredKb);
        column.PlaceVectors(vectors);
        if (column.Graph is { } graph && column.GraphPlacement != wanted.Graph)
        {
            column.PlaceGraph(graph.IsMapped ? null : MappedGraph(column), wanted.Graph);
        }

        if (column.Quantized is not null)
        {
            column.PlaceCodes(wanted.CodesFor(vectors), QuantizedPath(column.Name));
        }
    }

    // The column's graph opened from its file, or null when the file is missing or not the graph in service.
    private IHnswIndex? MappedGraph(VectorColumn column)
    {
        IVectorSource source = column.IsMulti ? column.PointSource(column.StoredCount) : new VectorFileSource(column.File, column.StoredCount);
        var opened = HnswIndex.Open(GraphPath(column.Name), column.Distance, source, column.IsMulti);
        if (opened.TryGet(out var mapped, out _) && mapped.Count == column.Graph?.Count && mapped.Parameters == column.Graph.Parameters)
        {
            return mapped;
        }

        opened.Value?.Dispose();
        return null;
    }
}
