namespace AotVector.Common.Model;

/// <summary>How a query is encoded against binary codes, as the reference's <c>query_encoding</c>.</summary>
public enum BinaryQueryEncoding : byte
{
    /// <summary>As the stored codes (the reference's default).</summary>
    Default,

    /// <summary>As the stored codes, named explicitly.</summary>
    Binary,

    /// <summary>Each query value quantized to 4 bits (asymmetric).</summary>
    Scalar4Bits,

    /// <summary>Each query value quantized to 8 bits (asymmetric).</summary>
    Scalar8Bits,
}
