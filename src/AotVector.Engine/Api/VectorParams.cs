using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>
/// One dense vector's parameters in a collection. With <see cref="MultivectorConfig"/> set, each point holds a list
/// of vectors of <see cref="Size"/> under this name (a ColBERT-style multivector) instead of one.
/// </summary>
public sealed record VectorParams(ulong Size, Distance Distance, HnswConfigDiff? HnswConfig = null, bool? OnDisk = null, MultiVectorConfig? MultivectorConfig = null)
{
    /// <summary>This vector's own quantization, over the collection's (null: the collection's applies).</summary>
    public QuantizationConfig? QuantizationConfig { get; init; }

    /// <summary>
    /// The reference's <c>memory</c> of the stored vectors, as given: <c>cold</c> or <c>cached</c>, over <see cref="OnDisk"/>
    /// when both are set (<c>pinned</c> is refused, as the reference refuses it for dense vectors).
    /// </summary>
    public string? Memory { get; init; }

    /// <summary>How the values are stored (null: not given, float32), shown back as given.</summary>
    public VectorDatatype? Datatype { get; init; }

    /// <summary>The storage datatype in effect.</summary>
    public VectorDatatype StoredAs => Datatype ?? VectorDatatype.Float32;
}
