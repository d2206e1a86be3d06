using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>The kinds of <c>quantization_config</c> the reference has; each is served or refused on its own.</summary>
public enum QuantizationKind : byte
{
    Scalar,
    Product,
    Binary,
    Turbo,
}

/// <summary>
/// A <c>quantization_config</c>, of the collection or of one vector. <see cref="QuantizationKind.Scalar"/> (int8),
/// <see cref="QuantizationKind.Binary"/> and <see cref="QuantizationKind.Product"/> are built; turbo is read in full
/// by the front ends and refused by the engine (<see cref="Unsupported.QuantizationKind"/>), so it carries only its kind here.
/// </summary>
/// <param name="Quantile">Scalar: the share of values the codes span exactly, 0.5 to 1 (null: all of them).</param>
/// <param name="Encoding">Binary: bits per dimension, as given (null: one bit).</param>
/// <param name="QueryEncoding">Binary: how queries are encoded, as given (null: as the codes).</param>
/// <param name="Compression">Product: the compression ratio (x4 … x64); always set for product.</param>
/// <param name="AlwaysRam">The reference's deprecated placement hint, shown as given: true pins the codes on the heap
/// unless <paramref name="Memory"/> says otherwise; false or unset follows the vectors' placement.</param>
/// <param name="Memory">The reference's placement of the codes (<c>cold</c>: mapped, read on demand; <c>cached</c>: mapped
/// and faulted in; <c>pinned</c>: on the heap), shown as given; see <c>Collections/PlacementPolicy</c>.</param>
public sealed record QuantizationConfig(QuantizationKind Kind, float? Quantile = null, bool? AlwaysRam = null, string? Memory = null, BinaryEncoding? Encoding = null, BinaryQueryEncoding? QueryEncoding = null, ProductCompression? Compression = null)
{
    public static QuantizationConfig Int8(float? quantile = null, bool? alwaysRam = null, string? memory = null) => new(QuantizationKind.Scalar, quantile, alwaysRam, memory);

    public static QuantizationConfig Binary(BinaryEncoding? encoding = null, BinaryQueryEncoding? queryEncoding = null, bool? alwaysRam = null, string? memory = null) =>
        new(QuantizationKind.Binary, AlwaysRam: alwaysRam, Memory: memory, Encoding: encoding, QueryEncoding: queryEncoding);

    public static QuantizationConfig Product(ProductCompression compression, bool? alwaysRam = null, string? memory = null) =>
        new(QuantizationKind.Product, AlwaysRam: alwaysRam, Memory: memory, Compression: compression);

    /// <summary>The placements the reference names.</summary>
    public static readonly string[] MemoryPlacements = ["cold", "cached", "pinned"];
}

/// <summary>A PATCH's <c>quantization_config</c>: a new config, or <c>"disabled"</c> (null <see cref="Config"/>), which removes it.</summary>
public sealed record QuantizationConfigDiff(QuantizationConfig? Config)
{
    public static QuantizationConfigDiff Disabled { get; } = new((QuantizationConfig?)null);
}
