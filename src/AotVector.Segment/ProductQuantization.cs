using AotVector.Common.Model;

namespace AotVector.Segment;

/// <summary>
/// Product quantization of one named vector, as the reference's: each chunk of <see cref="ProductCompression"/>'s
/// dimensions becomes the index of the nearest of 256 k-means centroids trained for that chunk.
/// <see cref="AlwaysRam"/> is kept for the config's sake: the codes are always held in memory.
/// </summary>
public sealed record ProductQuantization(ProductCompression Compression, bool? AlwaysRam = null) : QuantizationSettings
{
    public override bool SameCodes(QuantizationSettings? built) => built is ProductQuantization product && product.Compression == Compression;
}
