namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Where the graph reads vectors: offset → the stored record of a preprocessed vector (values of the store's
/// datatype), never copied. Implementations over a memory-mapped <see cref="Storage.Vectors.VectorFile"/>
/// (<see cref="VectorFileSource"/>) or an array.
/// </summary>
/// <remarks>
/// The vectors at offsets below <see cref="Count"/> must not change while the index uses them (a segment builds
/// its index over sealed data). Spans stay valid as long as the owner keeps the storage open.
/// </remarks>
internal interface IVectorSource
{
    int Dimension { get; }

    uint Count { get; }

    /// <summary>How the values are stored.</summary>
    Common.Model.VectorDatatype Datatype { get; }

    ReadOnlySpan<byte> Get(uint offset);

    /// <summary>
    /// All vectors <c>[0, Count)</c> as one row-major span, when the storage can give one (at most 2 GiB).
    /// The search then addresses vectors by multiplication instead of one storage call per vector.
    /// </summary>
    bool TryGetContiguous(out ReadOnlySpan<byte> all);
}
