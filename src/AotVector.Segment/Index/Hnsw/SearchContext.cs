using AotVector.Kernels;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>Per-search scratch (visited marks, heaps, neighbour buffers), pooled so a query allocates nothing.</summary>
internal sealed class SearchContext(int nodes, int maxLinks)
{
    private AlignedFloats? _query;
    private byte[]? _encoded;
    private VisitedSet? _twoHop;
    private uint[]? _twoHopScore;

    public VisitedSet Visited { get; } = new(nodes);

    /// <summary>Unexpanded nodes, keyed by negated score (top = closest).</summary>
    public MinHeap Candidates { get; } = new(256);

    /// <summary>The best hits so far (top = worst kept).</summary>
    public MinHeap Results { get; } = new(256);

    /// <summary>The unvisited neighbours of the node being expanded, gathered first so their vectors load in parallel.</summary>
    public uint[] Fresh { get; } = new uint[maxLinks];

    /// <summary>Build scratch: candidates sorted best first, the heuristic's selection, a pruned neighbour list.</summary>
    public ScoredOffset[] Sorted { get; set; } = new ScoredOffset[256];

    public ScoredOffset[] Selected { get; } = new ScoredOffset[maxLinks + 1];

    public ScoredOffset[] Pruning { get; } = new ScoredOffset[maxLinks + 1];

    public ScoredOffset[] PruneSelected { get; } = new ScoredOffset[maxLinks + 1];

    /// <summary>ACORN's second visited set: nodes already looked at as two-hop neighbours.</summary>
    public VisitedSet TwoHopVisited => _twoHop ??= new VisitedSet(Visited.Capacity);

    /// <summary>ACORN's nodes to score from one expansion: up to <paramref name="hopLimit"/> per hop, one hop plus one per neighbour.</summary>
    public uint[] TwoHopScore(int hopLimit)
    {
        var size = hopLimit * (Fresh.Length + 1);
        if (_twoHopScore is null || _twoHopScore.Length < size)
        {
            _twoHopScore = new uint[size];
        }

        return _twoHopScore;
    }

    /// <summary>The query copied to a 64-byte boundary: it is read once per distance, so its loads should not split lines.</summary>
    public ReadOnlySpan<float> AlignedQuery(ReadOnlySpan<float> query)
    {
        if (_query is null || _query.Length != query.Length)
        {
            _query = new AlignedFloats(query.Length);
        }

        return _query.CopyFrom(query);
    }

    /// <summary>The query as a record of <paramref name="datatype"/> (see <see cref="IPointSimilarity"/>): float32 aligned as above, else converted.</summary>
    public ReadOnlySpan<byte> EncodedQuery(ReadOnlySpan<float> query, Common.Model.VectorDatatype datatype)
    {
        if (datatype == Common.Model.VectorDatatype.Float32)
        {
            return System.Runtime.InteropServices.MemoryMarshal.AsBytes(AlignedQuery(query));
        }

        var bytes = Vectors.VectorCodec.RecordBytes(datatype, query.Length);
        if (_encoded is null || _encoded.Length != bytes)
        {
            _encoded = new byte[bytes];
        }

        Vectors.VectorCodec.Encode(datatype, query, _encoded);
        return _encoded;
    }
}
