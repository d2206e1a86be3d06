using AotVector.Segment.Index.Hnsw;

namespace AotVector.Segment.Vectors;

/// <summary>The memory placement last applied to the column's vectors, graph and codes (see <see cref="VectorPlacement"/>).</summary>
internal sealed partial class VectorColumn
{
    // What was asked for, and of which graph and codes, so a graph or codes swapped in since count as not placed,
    // and a kind that cannot be mapped is not asked again.
    private IHnswIndex? _placedGraph;
    private QuantizedVectors? _placedCodes;
    private MemoryPlacement _graphPlacement;
    private MemoryPlacement _codesPlacement;

    /// <summary>The placement last applied to the stored vectors, or null before any.</summary>
    public MemoryPlacement? VectorsPlacement { get; private set; }

    /// <summary>The placement applied to the graph in service, or null when it has none or was not placed yet.</summary>
    public MemoryPlacement? GraphPlacement => Graph is { } graph && ReferenceEquals(graph, _placedGraph) ? _graphPlacement : null;

    /// <summary>The placement asked of the codes in service, or null when there are none or they were not placed yet.</summary>
    public MemoryPlacement? CodesPlacement => Quantized is { } codes && ReferenceEquals(codes, _placedCodes) ? _codesPlacement : null;

    /// <summary>Stored vectors' KB (records of the datatype; every row of a multivector), against the reference's <c>memmap_threshold</c>.</summary>
    public ulong StoredKb => (ulong)(IsMulti ? RowCount : StoredCount) * (ulong)RecordBytes / 1024;

    /// <summary>Cached faults the stored vectors in; cold drops this process's pages of them (the page cache decides).</summary>
    public void PlaceVectors(MemoryPlacement placement)
    {
        if (placement == MemoryPlacement.Cold)
        {
            _file.ReleaseResident();
            _rowTable?.ReleaseResident();
        }
        else
        {
            _file.PrefaultStored();
            _rowTable?.PrefaultStored();
        }

        VectorsPlacement = placement;
    }

    /// <summary>Faults the graph's mapped layer 0 in (cached) or drops this process's pages of it (cold).</summary>
    public void PlaceGraph(MemoryPlacement placement)
    {
        Graph?.Advise(placement != MemoryPlacement.Cold);
        _placedGraph = Graph;
        _graphPlacement = placement;
    }

    /// <summary>Swaps in the codes held as <paramref name="placement"/> (caller excludes searches).</summary>
    public void PlaceCodes(MemoryPlacement placement, string path)
    {
        if (Quantized is not { } codes)
        {
            return;
        }

        InstallQuantized(codes.Placed(placement, path));
        _placedCodes = Quantized;
        _codesPlacement = placement;
    }
}
