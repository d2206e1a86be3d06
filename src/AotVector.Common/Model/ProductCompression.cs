namespace AotVector.Common.Model;

/// <summary>
/// Product quantization's <c>compression</c>, as the reference's: how many times smaller than float32 the codes are.
/// Each chunk of <see cref="ProductCompressionExtensions.ChunkSize"/> dimensions becomes one byte.
/// </summary>
public enum ProductCompression : byte
{
    X4,
    X8,
    X16,
    X32,
    X64,
}

public static class ProductCompressionExtensions
{
    /// <summary>Dimensions per one-byte code: 4 bytes of float32 each, so x4 is one dimension, x64 sixteen.</summary>
    public static int ChunkSize(this ProductCompression compression) => compression switch
    {
        ProductCompression.X4 => 1,
        ProductCompression.X8 => 2,
        ProductCompression.X16 => 4,
        ProductCompression.X32 => 8,
        ProductCompression.X64 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(compression)),
    };

    /// <summary>The wire name: <c>x4</c> … <c>x64</c>.</summary>
    public static string WireName(this ProductCompression compression) => compression switch
    {
        ProductCompression.X4 => "x4",
        ProductCompression.X8 => "x8",
        ProductCompression.X16 => "x16",
        ProductCompression.X32 => "x32",
        ProductCompression.X64 => "x64",
        _ => throw new ArgumentOutOfRangeException(nameof(compression)),
    };

    /// <summary>The compression a wire name names, or null.</summary>
    public static ProductCompression? FromWireName(string? name) => name switch
    {
        "x4" => ProductCompression.X4,
        "x8" => ProductCompression.X8,
        "x16" => ProductCompression.X16,
        "x32" => ProductCompression.X32,
        "x64" => ProductCompression.X64,
        _ => null,
    };
}
