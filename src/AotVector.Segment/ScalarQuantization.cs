namespace AotVector.Segment;

/// <summary>
/// Int8 scalar quantization of one named vector: each value becomes a 7-bit code between the <see cref="Quantile"/>
/// bounds of the data (null: its minimum and maximum). <see cref="AlwaysRam"/> does not shape the
/// codes: where they are held is the policy's <see cref="VectorPlacement"/>.
/// </summary>
public sealed record ScalarQuantization(float? Quantile = null, bool? AlwaysRam = null) : QuantizationSettings
{
    public override bool SameCodes(QuantizationSettings? built) => built is ScalarQuantization scalar && scalar.Quantile == Quantile;
}
