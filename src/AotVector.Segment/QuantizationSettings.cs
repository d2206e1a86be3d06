namespace AotVector.Segment;

/// <summary>
/// The quantization a named vector's graph gets codes for (<see cref="ScalarQuantization"/>,
/// <see cref="BinaryQuantization"/>, <see cref="ProductQuantization"/>); codes built under one config are kept while they are the codes
/// <see cref="SameCodes"/> says the wanted config would build.
/// </summary>
public abstract record QuantizationSettings
{
    /// <summary>Whether codes built under <paramref name="built"/> are the codes this config would build.</summary>
    public abstract bool SameCodes(QuantizationSettings? built);
}
