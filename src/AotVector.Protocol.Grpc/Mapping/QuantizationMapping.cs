#pragma warning disable CS0612 // always_ram is deprecated on the wire but older clients still send it.
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// <c>QuantizationConfig</c> and <c>QuantizationConfigDiff</c>, both ways. Every
/// kind is read with its enum values checked, so a kind the engine does not build yet reaches its refusal and a
/// malformed one is refused here, naming the field.
/// </summary>
internal static class QuantizationMapping
{
    public static Result<QuantizationConfig?> ToEngine(Wire.QuantizationConfig? config, string field) => config?.QuantizationCase switch
    {
        null => (QuantizationConfig?)null,
        Wire.QuantizationConfig.QuantizationOneofCase.Scalar => Scalar(config.Scalar, field + ".scalar"),
        Wire.QuantizationConfig.QuantizationOneofCase.Product => Product(config.Product, field + ".product"),
        Wire.QuantizationConfig.QuantizationOneofCase.Binary => Binary(config.Binary, field + ".binary"),
        Wire.QuantizationConfig.QuantizationOneofCase.Turboquant => Turbo(config.Turboquant, field + ".turboquant"),
        _ => GrpcErrors.InvalidField(field, "a quantization config needs one of scalar, product, binary, turboquant"),
    };

    public static Result<QuantizationConfigDiff?> ToEngine(Wire.QuantizationConfigDiff? diff, string field)
    {
        Result<QuantizationConfig?> config;
        switch (diff?.QuantizationCase)
        {
            case null:
                return (QuantizationConfigDiff?)null;
            case Wire.QuantizationConfigDiff.QuantizationOneofCase.Disabled:
                return QuantizationConfigDiff.Disabled;
            case Wire.QuantizationConfigDiff.QuantizationOneofCase.Scalar:
                config = Scalar(diff.Scalar, field + ".scalar");
                break;
            case Wire.QuantizationConfigDiff.QuantizationOneofCase.Product:
                config = Product(diff.Product, field + ".product");
                break;
            case Wire.QuantizationConfigDiff.QuantizationOneofCase.Binary:
                config = Binary(diff.Binary, field + ".binary");
                break;
            case Wire.QuantizationConfigDiff.QuantizationOneofCase.Turboquant:
                config = Turbo(diff.Turboquant, field + ".turboquant");
                break;
            default:
                return GrpcErrors.InvalidField(field, "a quantization config diff needs one of scalar, product, binary, turboquant, disabled");
        }

        return config.TryGet(out var value, out var error) ? new QuantizationConfigDiff(value) : error;
    }

    /// <summary>The wire form of a stored config (scalar, binary or product), or null.</summary>
    public static Wire.QuantizationConfig? ToWire(QuantizationConfig? config) => config switch
    {
        { Kind: QuantizationKind.Scalar } => new Wire.QuantizationConfig { Scalar = ScalarToWire(config) },
        { Kind: QuantizationKind.Binary } => new Wire.QuantizationConfig { Binary = BinaryToWire(config) },
        { Kind: QuantizationKind.Product, Compression: { } compression } => new Wire.QuantizationConfig { Product = ProductToWire(compression, config) },
        _ => null,
    };

    private static Wire.ScalarQuantization ScalarToWire(QuantizationConfig config)
    {
        var scalar = new Wire.ScalarQuantization { Type = Wire.QuantizationType.Int8 };
        if (config.Quantile is { } quantile)
        {
            scalar.Quantile = quantile;
        }

        if (config.AlwaysRam is { } alwaysRam)
        {
            scalar.AlwaysRam = alwaysRam;
        }

        if (config.Memory is { } memory)
        {
            scalar.Memory = MemoryToWire(memory);
        }

        return scalar;
    }

    private static Wire.ProductQuantization ProductToWire(ProductCompression compression, QuantizationConfig config)
    {
        var product = new Wire.ProductQuantization
        {
            Compression = compression switch
            {
                ProductCompression.X4 => Wire.CompressionRatio.X4,
                ProductCompression.X8 => Wire.CompressionRatio.X8,
                ProductCompression.X16 => Wire.CompressionRatio.X16,
                ProductCompression.X32 => Wire.CompressionRatio.X32,
                ProductCompression.X64 => Wire.CompressionRatio.X64,
            },
        };
        if (config.AlwaysRam is { } alwaysRam)
        {
            product.AlwaysRam = alwaysRam;
        }

        if (config.Memory is { } memory)
        {
            product.Memory = MemoryToWire(memory);
        }

        return product;
    }

    private static Wire.BinaryQuantization BinaryToWire(QuantizationConfig config)
    {
        var binary = new Wire.BinaryQuantization();
        if (config.Encoding is { } encoding)
        {
            binary.Encoding = encoding switch
            {
                BinaryEncoding.OneBit => Wire.BinaryQuantizationEncoding.OneBit,
                BinaryEncoding.TwoBits => Wire.BinaryQuantizationEncoding.TwoBits,
                BinaryEncoding.OneAndHalfBits => Wire.BinaryQuantizationEncoding.OneAndHalfBits,
            };
        }

        if (config.QueryEncoding is { } query)
        {
            binary.QueryEncoding = new Wire.BinaryQuantizationQueryEncoding
            {
                Setting = query switch
                {
                    BinaryQueryEncoding.Default => Wire.BinaryQuantizationQueryEncoding.Types.Setting.Default,
                    BinaryQueryEncoding.Binary => Wire.BinaryQuantizationQueryEncoding.Types.Setting.Binary,
                    BinaryQueryEncoding.Scalar4Bits => Wire.BinaryQuantizationQueryEncoding.Types.Setting.Scalar4Bits,
                    BinaryQueryEncoding.Scalar8Bits => Wire.BinaryQuantizationQueryEncoding.Types.Setting.Scalar8Bits,
                },
            };
        }

        if (config.AlwaysRam is { } alwaysRam)
        {
            binary.AlwaysRam = alwaysRam;
        }

        if (config.Memory is { } memory)
        {
            binary.Memory = MemoryToWire(memory);
        }

        return binary;
    }

    internal static Wire.Memory MemoryToWire(string memory) => memory switch
    {
        "cold" => Wire.Memory.Cold,
        "cached" => Wire.Memory.Cached,
        _ => Wire.Memory.Pinned,
    };

    private static Result<QuantizationConfig?> Scalar(Wire.ScalarQuantization s, string field)
    {
        if (s.Type != Wire.QuantizationType.Int8)
        {
            return GrpcErrors.InvalidField(field + ".type", "must be Int8");
        }

        if (s.HasQuantile && s.Quantile is not (>= 0.5f and <= 1f))
        {
            return GrpcErrors.InvalidField(field + ".quantile", $"value {s.Quantile} invalid, must be from 0.5 to 1");
        }

        if (!Memory(s.HasMemory, s.Memory, field).TryGet(out var memory, out var error))
        {
            return error;
        }

        return QuantizationConfig.Int8(s.HasQuantile ? s.Quantile : null, s.HasAlwaysRam ? s.AlwaysRam : null, memory);
    }

    private static Result<QuantizationConfig?> Product(Wire.ProductQuantization p, string field)
    {
        ProductCompression? compression = p.Compression switch
        {
            Wire.CompressionRatio.X4 => ProductCompression.X4,
            Wire.CompressionRatio.X8 => ProductCompression.X8,
            Wire.CompressionRatio.X16 => ProductCompression.X16,
            Wire.CompressionRatio.X32 => ProductCompression.X32,
            Wire.CompressionRatio.X64 => ProductCompression.X64,
            _ => null,
        };
        if (compression is null)
        {
            return GrpcErrors.InvalidField(field + ".compression", $"unknown compression ratio {(int)p.Compression}");
        }

        return Memory(p.HasMemory, p.Memory, field).TryGet(out var memory, out var error)
            ? QuantizationConfig.Product(compression.Value, p.HasAlwaysRam ? p.AlwaysRam : null, memory)
            : error;
    }

    private static Result<QuantizationConfig?> Binary(Wire.BinaryQuantization b, string field)
    {
        if (b.HasEncoding && !Enum.IsDefined(b.Encoding))
        {
            return GrpcErrors.InvalidField(field + ".encoding", $"unknown encoding {(int)b.Encoding}");
        }

        BinaryQueryEncoding? queryEncoding = null;
        if (b.QueryEncoding is { VariantCase: Wire.BinaryQuantizationQueryEncoding.VariantOneofCase.Setting } q)
        {
            queryEncoding = q.Setting switch
            {
                Wire.BinaryQuantizationQueryEncoding.Types.Setting.Default => BinaryQueryEncoding.Default,
                Wire.BinaryQuantizationQueryEncoding.Types.Setting.Binary => BinaryQueryEncoding.Binary,
                Wire.BinaryQuantizationQueryEncoding.Types.Setting.Scalar4Bits => BinaryQueryEncoding.Scalar4Bits,
                Wire.BinaryQuantizationQueryEncoding.Types.Setting.Scalar8Bits => BinaryQueryEncoding.Scalar8Bits,
                _ => null,
            };
            if (queryEncoding is null)
            {
                return GrpcErrors.InvalidField(field + ".query_encoding", $"unknown query encoding {(int)q.Setting}");
            }
        }

        if (!Memory(b.HasMemory, b.Memory, field).TryGet(out var memory, out var error))
        {
            return error;
        }

        BinaryEncoding? encoding = !b.HasEncoding ? null : b.Encoding switch
        {
            Wire.BinaryQuantizationEncoding.TwoBits => BinaryEncoding.TwoBits,
            Wire.BinaryQuantizationEncoding.OneAndHalfBits => BinaryEncoding.OneAndHalfBits,
            _ => BinaryEncoding.OneBit,
        };
        return QuantizationConfig.Binary(encoding, queryEncoding, b.HasAlwaysRam ? b.AlwaysRam : null, memory);
    }

    private static Result<QuantizationConfig?> Turbo(Wire.TurboQuantization t, string field) =>
        t.HasBits && !Enum.IsDefined(t.Bits) ? GrpcErrors.InvalidField(field + ".bits", $"unknown bit size {(int)t.Bits}")
        : !Memory(t.HasMemory, t.Memory, field).TryGet(out _, out var error) ? error
        : new QuantizationConfig(QuantizationKind.Turbo);

    /// <summary>A <c>memory</c> placement from the wire (null when unset); an unknown value is INVALID_ARGUMENT on <paramref name="field"/>.</summary>
    internal static Result<string?> Memory(bool has, Wire.Memory memory, string field) => !has
        ? (string?)null
        : memory switch
        {
            Wire.Memory.Cold => "cold",
            Wire.Memory.Cached => "cached",
            Wire.Memory.Pinned => "pinned",
            _ => GrpcErrors.InvalidField(field + ".memory", $"unknown memory placement {(int)memory}"),
        };
}
