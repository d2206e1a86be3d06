#pragma warning disable CS0612 // SparseIndexConfig.on_disk is deprecated on the wire but still sent by older clients.
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary><c>SparseVectorConfig</c> of create, update and collection info: wire ↔ engine.</summary>
internal static class SparseConfigMapping
{
    /// <summary>The map, or null when the request has none.</summary>
    public static Result<Dictionary<string, SparseVectorParams>?> ToEngine(Wire.SparseVectorConfig? config)
    {
        if (config is not { Map.Count: > 0 })
        {
            return (Dictionary<string, SparseVectorParams>?)null;
        }

        var map = new Dictionary<string, SparseVectorParams>(StringComparer.Ordinal);
        foreach (var (name, p) in config.Map)
        {
            SparseIndexParams? index = null;
            if (p.Index is { } i)
            {
                string? datatype = i.HasDatatype ? DatatypeName(i.Datatype) : null;
                if (datatype is not null && Unsupported.SparseDatatype(datatype) is { } refused)
                {
                    return refused;
                }

                if (!QuantizationMapping.Memory(i.HasMemory, i.Memory, "sparse_vectors_config." + name + ".index").TryGet(out var memory, out var memoryError))
                {
                    return memoryError;
                }

                index = new SparseIndexParams(i.HasFullScanThreshold ? i.FullScanThreshold : null, i.HasOnDisk ? i.OnDisk : null, datatype) { Memory = memory };
            }

            SparseModifier? modifier = p.HasModifier
                ? p.Modifier switch
                {
                    Wire.Modifier.Idf => SparseModifier.Idf,
                    Wire.Modifier.None => SparseModifier.None,
                    var other => (SparseModifier)(byte)other,
                }
                : null;
            map[name] = new SparseVectorParams(index, modifier);
        }

        return map;
    }

    public static Wire.SparseVectorConfig? ToWire(IReadOnlyDictionary<string, SparseVectorParams>? sparse)
    {
        if (sparse is not { Count: > 0 })
        {
            return null;
        }

        var config = new Wire.SparseVectorConfig();
        foreach (var (name, p) in sparse)
        {
            var wire = new Wire.SparseVectorParams();
            if (p.Index is { } i)
            {
                var index = new Wire.SparseIndexConfig();
                if (i.FullScanThreshold is { } threshold)
                {
                    index.FullScanThreshold = threshold;
                }

                if (i.OnDisk is { } onDisk)
                {
                    index.OnDisk = onDisk;
                }

                if (i.Datatype is { } datatype)
                {
                    index.Datatype = datatype switch
                    {
                        "float16" => Wire.Datatype.Float16,
                        "uint8" => Wire.Datatype.Uint8,
                        _ => Wire.Datatype.Float32,
                    };
                }

                if (i.Memory is { } memory)
                {
                    index.Memory = QuantizationMapping.MemoryToWire(memory);
                }

                wire.Index = index;
            }

            if (p.Modifier is { } modifier)
            {
                wire.Modifier = modifier == SparseModifier.Idf ? Wire.Modifier.Idf : Wire.Modifier.None;
            }

            config.Map[name] = wire;
        }

        return config;
    }

    private static string DatatypeName(Wire.Datatype datatype) => datatype switch
    {
        Wire.Datatype.Default or Wire.Datatype.Float32 => "float32",
        Wire.Datatype.Float16 => "float16",
        Wire.Datatype.Uint8 => "uint8",
        Wire.Datatype.Turbo4 => "turbo4",
        _ => ((int)datatype).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
