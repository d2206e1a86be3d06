using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// <c>quantization_config</c> bodies, every kind of the reference read in full (<c>scalar</c>, <c>product</c>,
/// <c>binary</c>, <c>turbo</c>), so a well-formed config of a kind the engine does not build yet gets the engine's
/// refusal rather than a parse error, and a malformed one a parse error naming the field.
/// </summary>
internal static class QuantizationConfigReader
{
    private const string Kinds = "`scalar`, `product`, `binary`, `turbo`";

    /// <summary>A config, or null when absent.</summary>
    public static QuantizationConfig? Read(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "a quantization config: one of " + Kinds);
        QuantizationConfig? config = null;
        foreach (var p in e.EnumerateObject())
        {
            if (config is not null)
            {
                ThrowHelper.ThrowFormat(path, "a quantization config takes exactly one of " + Kinds);
            }

            var at = BodyPath.Field(path, p.Name);
            config = p.Name switch
            {
                "scalar" => ReadScalar(p.Value, at),
                "product" => ReadProduct(p.Value, at),
                "binary" => ReadBinary(p.Value, at),
                "turbo" => ReadTurbo(p.Value, at),
                _ => ThrowHelper.ThrowFormat<QuantizationConfig>(path, "unknown variant `" + p.Name + "`, expected one of " + Kinds),
            };
        }

        return config ?? ThrowHelper.ThrowFormat<QuantizationConfig>(path, "a quantization config needs one of " + Kinds);
    }

    /// <summary>A PATCH's config: <c>"disabled"</c> removes it, an object replaces it; null when absent.</summary>
    public static QuantizationConfigDiff? ReadDiff(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        if (e.ValueKind == JsonValueKind.String)
        {
            return e.GetString() == "disabled"
                ? QuantizationConfigDiff.Disabled
                : ThrowHelper.ThrowFormat<QuantizationConfigDiff>(path, "unknown variant `" + e.GetString() + "`, expected `disabled`");
        }

        return new QuantizationConfigDiff(Read(e, path));
    }

    private static QuantizationConfig ReadScalar(JsonElement e, string path)
    {
        JsonRead.Object(e, path);
        string? type = null;
        float? quantile = null;
        bool? alwaysRam = null;
        string? memory = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "type":
                    type = JsonRead.String(p.Value, at);
                    if (type != "int8")
                    {
                        ThrowHelper.ThrowFormat(at, "unknown variant `" + type + "`, expected `int8`");
                    }

                    break;
                case "quantile":
                    quantile = JsonRead.OptionalSingle(p.Value, at);
                    if (quantile is { } q && q is not (>= 0.5f and <= 1f))
                    {
                        ThrowHelper.ThrowValidation(at, $"value {q} invalid, must be from 0.5 to 1");
                    }

                    break;
                case "always_ram":
                    alwaysRam = JsonRead.OptionalBool(p.Value, at);
                    break;
                case "memory":
                    memory = ReadMemory(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `type`, `quantile`, `always_ram`, `memory`");
                    break;
            }
        }

        if (type is null)
        {
            JsonRead.Missing(path, "type");
        }

        return QuantizationConfig.Int8(quantile, alwaysRam, memory);
    }

    private static QuantizationConfig ReadProduct(JsonElement e, string path)
    {
        JsonRead.Object(e, path);
        ProductCompression? compression = null;
        bool? alwaysRam = null;
        string? memory = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "compression":
                    compression = ProductCompressionExtensions.FromWireName(Choice(p.Value, at, "x4", "x8", "x16", "x32", "x64"));
                    break;
                case "always_ram":
                    alwaysRam = JsonRead.OptionalBool(p.Value, at);
                    break;
                case "memory":
                    memory = ReadMemory(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `compression`, `always_ram`, `memory`");
                    break;
            }
        }

        if (compression is null)
        {
            JsonRead.Missing(path, "compression");
        }

        return QuantizationConfig.Product(compression!.Value, alwaysRam, memory);
    }

    private static QuantizationConfig ReadBinary(JsonElement e, string path)
    {
        JsonRead.Object(e, path);
        BinaryEncoding? encoding = null;
        BinaryQueryEncoding? queryEncoding = null;
        bool? alwaysRam = null;
        string? memory = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "encoding":
                    encoding = OptionalChoice(p.Value, at, "one_bit", "two_bits", "one_and_half_bits") switch
                    {
                        null => null,
                        "one_bit" => BinaryEncoding.OneBit,
                        "two_bits" => BinaryEncoding.TwoBits,
                        _ => BinaryEncoding.OneAndHalfBits,
                    };
                    break;
                case "query_encoding":
                    queryEncoding = OptionalChoice(p.Value, at, "default", "binary", "scalar4bits", "scalar8bits") switch
                    {
                        null => null,
                        "default" => BinaryQueryEncoding.Default,
                        "binary" => BinaryQueryEncoding.Binary,
                        "scalar4bits" => BinaryQueryEncoding.Scalar4Bits,
                        _ => BinaryQueryEncoding.Scalar8Bits,
                    };
                    break;
                case "always_ram":
                    alwaysRam = JsonRead.OptionalBool(p.Value, at);
                    break;
                case "memory":
                    memory = ReadMemory(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `always_ram`, `memory`, `encoding`, `query_encoding`");
                    break;
            }
        }

        return QuantizationConfig.Binary(encoding, queryEncoding, alwaysRam, memory);
    }

    private static QuantizationConfig ReadTurbo(JsonElement e, string path)
    {
        JsonRead.Object(e, path);
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "bits":
                    OptionalChoice(p.Value, at, "bits1", "bits1_5", "bits2", "bits4");
                    break;
                default:
                    ReadPlacement(p, at, path, "one of `always_ram`, `memory`, `bits`");
                    break;
            }
        }

        return new QuantizationConfig(QuantizationKind.Turbo);
    }

    // `always_ram` and `memory`, which every kind has; anything else is an unknown field.
    private static void ReadPlacement(JsonProperty p, string at, string path, string expected)
    {
        switch (p.Name)
        {
            case "always_ram":
                JsonRead.OptionalBool(p.Value, at);
                break;
            case "memory":
                ReadMemory(p.Value, at);
                break;
            default:
                JsonRead.UnknownField(path, p.Name, expected);
                break;
        }
    }

    /// <summary>A <c>memory</c> placement: <c>cold</c>, <c>cached</c> or <c>pinned</c>, or null when absent.</summary>
    public static string? ReadMemory(JsonElement e, string path) => OptionalChoice(e, path, QuantizationConfig.MemoryPlacements);

    private static string? OptionalChoice(JsonElement e, string path, params string[] choices) =>
        JsonRead.IsAbsent(e) ? null : Choice(e, path, choices);

    private static string Choice(JsonElement e, string path, params string[] choices)
    {
        var value = JsonRead.String(e, path);
        return Array.IndexOf(choices, value) >= 0
            ? value
            : ThrowHelper.ThrowFormat<string>(path, "unknown variant `" + value + "`, expected one of " + string.Join(", ", choices.Select(c => "`" + c + "`")));
    }
}
