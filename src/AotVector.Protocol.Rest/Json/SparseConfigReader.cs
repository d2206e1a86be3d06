using System.Text.Json;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary><c>sparse_vectors</c> of a create or PATCH body: <c>{name: {index: {full_scan_threshold, on_disk, memory, datatype}, modifier}}</c>.</summary>
internal static class SparseConfigReader
{
    /// <summary>The map, or null for an absent or null value.</summary>
    public static Dictionary<string, SparseVectorParams>? Read(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path);
        var map = new Dictionary<string, SparseVectorParams>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            map[p.Name] = ReadParams(p.Value, BodyPath.Field(path, p.Name));
        }

        return map;
    }

    private static SparseVectorParams ReadParams(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "sparse vector params {\"index\",\"modifier\"}");
        SparseIndexParams? index = null;
        SparseModifier? modifier = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "index":
                    index = ReadIndex(p.Value, at);
                    break;
                case "modifier":
                    modifier = ReadModifier(p.Value, at);
                    break;
                default:
                    break;
            }
        }

        return new SparseVectorParams(index, modifier);
    }

    /// <summary><c>"idf"</c> or <c>"none"</c>, or null when absent.</summary>
    public static SparseModifier? ReadModifier(JsonElement e, string path) => JsonRead.OptionalString(e, path) switch
    {
        null => null,
        "idf" => SparseModifier.Idf,
        "none" => SparseModifier.None,
        var other => ThrowHelper.ThrowFormat<SparseModifier>(path, "unknown variant `" + other + "`, expected `none` or `idf`"),
    };

    private static SparseIndexParams? ReadIndex(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path);
        ulong? fullScan = null;
        bool? onDisk = null;
        string? datatype = null;
        string? memory = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "full_scan_threshold":
                    fullScan = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "on_disk":
                    onDisk = JsonRead.OptionalBool(p.Value, at);
                    break;
                case "datatype":
                    datatype = JsonRead.OptionalString(p.Value, at);
                    if (datatype is not (null or "float32" or "float16" or "uint8"))
                    {
                        ThrowHelper.ThrowFormat(at, "unknown variant `" + datatype + "`, expected one of `float32`, `uint8`, `float16`");
                    }

                    if (datatype is not null && Unsupported.SparseDatatype(datatype) is { } refused)
                    {
                        ThrowHelper.ThrowError(refused);
                    }

                    break;
                case "memory":
                    memory = QuantizationConfigReader.ReadMemory(p.Value, at);
                    break;
                default:
                    break;
            }
        }

        return new SparseIndexParams(fullScan, onDisk, datatype) { Memory = memory };
    }
}
