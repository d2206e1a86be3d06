using AotVector.Common.Model;

namespace AotVector.Segment;

/// <summary>
/// Binary quantization of one named vector, as the reference's: <see cref="Encoding"/> bits per dimension, and the
/// query encoded as the codes or, asymmetrically, to 4 or 8 bits per value (<see cref="QueryEncoding"/>).
/// <see cref="AlwaysRam"/> does not shape the codes: where they are held is the policy's <see cref="VectorPlacement"/>.
/// </summary>
public sealed record BinaryQuantization(BinaryEncoding Encoding = BinaryEncoding.OneBit, BinaryQueryEncoding QueryEncoding = BinaryQueryEncoding.Default, bool? AlwaysRam = null) : QuantizationSettings
{
    // The query encoding is part of the file, so a change rebuilds (the data bits would be the same, the cost is small).
    public override bool SameCodes(QuantizationSettings? built) =>
        built is BinaryQuantization binary && binary.Encoding == Encoding && Same(binary.QueryEncoding) == Same(QueryEncoding);

    // Default and Binary both encode the query as the codes are.
    private static BinaryQueryEncoding Same(BinaryQueryEncoding encoding) =>
        encoding == BinaryQueryEncoding.Binary ? BinaryQueryEncoding.Default : encoding;
}
