using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>The configuration parts of create/update collection bodies: vector params, hnsw, optimizers, wal.</summary>
internal static class ConfigReader
{
    /// <summary>One vector's params: {"size","distance",...}. Datatypes other than float32 are refused.</summary>
    public static VectorParams ReadVectorParams(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "vector params {\"size\",\"distance\"}");
        ulong? size = null;
        Distance? distance = null;
        HnswConfigDiff? hnsw = null;
        bool? onDisk = null;
        string? memory = null;
        MultiVectorConfig? multi = null;
        VectorDatatype? datatype = null;
        QuantizationConfig? quantization = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "size":
                    size = NonZero(p.Value, at);
                    if (RequestRules.VectorSize(size.Value) is { } problem)
                    {
                        ThrowHelper.ThrowValidation(at, problem);
                    }

                    break;
                case "distance":
                    distance = ReadDistance(p.Value, at);
                    break;
                case "hnsw_config":
                    hnsw = ReadHnswDiff(p.Value, at);
                    break;
                case "on_disk":
                    onDisk = JsonRead.OptionalBool(p.Value, at);
                    break;
                case "memory":
                    memory = QuantizationConfigReader.ReadMemory(p.Value, at);
                    break;
                case "multivector_config":
                    multi = ReadMultiVectorConfig(p.Value, at);
                    break;
                case "datatype":
                    datatype = ReadDatatype(p.Value, at);
                    break;
                case "quantization_config":
                    quantization = QuantizationConfigReader.Read(p.Value, at);
                    break;
                default:
                    // Later additions are accepted and ignored.
                    break;
            }
        }

        if (size is null)
        {
            JsonRead.Missing(path, "size");
        }

        if (distance is null)
        {
            JsonRead.Missing(path, "distance");
        }

        return new VectorParams(size.Value, distance.Value, hnsw, onDisk, multi) { QuantizationConfig = quantization, Memory = memory, Datatype = datatype };
    }

    /// <summary>A dense vector's <c>datatype</c>: one the engine stores, refused when not yet, a format error when unknown.</summary>
    private static VectorDatatype? ReadDatatype(JsonElement e, string path)
    {
        if (JsonRead.OptionalString(e, path) is not { } name)
        {
            return null;
        }

        if (name is not ("float32" or "uint8" or "float16" or "turbo4"))
        {
            ThrowHelper.ThrowFormat(path, "unknown variant `" + name + "`, expected one of `float32`, `uint8`, `float16`, `turbo4`");
        }

        if (Unsupported.Datatype(name) is { } refused)
        {
            ThrowHelper.ThrowError(refused);
        }

        VectorDatatypes.TryParse(name, out var datatype);
        return datatype;
    }

    /// <summary><c>{"comparator": "max_sim"}</c>, or null when absent.</summary>
    public static MultiVectorConfig? ReadMultiVectorConfig(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "multivector config {\"comparator\"}");
        MultiVectorComparator? comparator = null;
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name == "comparator")
            {
                var at = BodyPath.Field(path, p.Name);
                comparator = JsonRead.String(p.Value, at) switch
                {
                    "max_sim" => MultiVectorComparator.MaxSim,
                    var other => ThrowHelper.ThrowFormat<MultiVectorComparator>(at, "unknown variant `" + other + "`, expected `max_sim`"),
                };
            }
        }

        if (comparator is null)
        {
            JsonRead.Missing(path, "comparator");
        }

        return new MultiVectorConfig(comparator.Value);
    }

    public static Distance ReadDistance(JsonElement e, string path) => JsonRead.String(e, path) switch
    {
        "Cosine" => Distance.Cosine,
        "Euclid" => Distance.Euclid,
        "Dot" => Distance.Dot,
        "Manhattan" => Distance.Manhattan,
        var other => ThrowHelper.ThrowFormat<Distance>(path, "unknown variant `" + other + "`, expected one of `Cosine`, `Euclid`, `Dot`, `Manhattan`"),
    };

    public static HnswConfigDiff? ReadHnswDiff(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path);
        ulong? m = null, efConstruct = null, fullScan = null, threads = null, payloadM = null;
        bool? onDisk = null;
        string? memory = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "m":
                    m = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "ef_construct":
                    efConstruct = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "full_scan_threshold" or "full_scan_threshold_kb":
                    fullScan = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "max_indexing_threads":
                    threads = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "on_disk":
                    onDisk = JsonRead.OptionalBool(p.Value, at);
                    break;
                case "payload_m":
                    payloadM = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "memory":
                    memory = QuantizationConfigReader.ReadMemory(p.Value, at);
                    break;
                default:
                    break;
            }
        }

        return Checked(new HnswConfigDiff(m, efConstruct, fullScan, threads, onDisk, payloadM) { Memory = memory }, RequestRules.Hnsw, path);
    }

    public static OptimizersConfigDiff? ReadOptimizersDiff(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path);
        double? deleted = null;
        ulong? vacuum = null, segments = null, maxSegment = null, memmap = null, indexing = null, flush = null, threads = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "deleted_threshold":
                    deleted = JsonRead.OptionalDouble(p.Value, at);
                    break;
                case "vacuum_min_vector_number":
                    vacuum = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "default_segment_number":
                    segments = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "max_segment_size" or "max_segment_size_kb":
                    maxSegment = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "memmap_threshold" or "memmap_threshold_kb":
                    memmap = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "indexing_threshold" or "indexing_threshold_kb":
                    indexing = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "flush_interval_sec":
                    flush = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "max_optimization_threads":
                    // A number, or "auto" (the default, like null).
                    threads = p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == "auto" ? null : JsonRead.OptionalUInt64(p.Value, at);
                    break;
                default:
                    break;
            }
        }

        return Checked(new OptimizersConfigDiff(deleted, vacuum, segments, maxSegment, memmap, indexing, flush, threads), RequestRules.Optimizers, path);
    }

    public static WalConfigDiff? ReadWalDiff(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path);
        ulong? capacity = null, ahead = null, retain = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "wal_capacity_mb":
                    capacity = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "wal_segments_ahead":
                    ahead = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "wal_retain_closed":
                    retain = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                default:
                    break;
            }
        }

        return Checked(new WalConfigDiff(capacity, ahead, retain), RequestRules.Wal, path);
    }

    /// <summary>A NonZero integer: 0 fails to deserialize (400), as in Qdrant.</summary>
    public static ulong NonZero(JsonElement e, string path)
    {
        var value = JsonRead.UInt64(e, path);
        if (value == 0)
        {
            ThrowHelper.ThrowFormat(path, "invalid value: integer `0`, expected a nonzero integer");
        }

        return value;
    }

    public static uint? OptionalNonZeroUInt32(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        var value = JsonRead.UInt32(e, path);
        if (value == 0)
        {
            ThrowHelper.ThrowFormat(path, "invalid value: integer `0`, expected a nonzero u32");
        }

        return value;
    }

    /// <summary>The diff, unless the engine's bounds refuse one of its values (422 at that value's path).</summary>
    private static T Checked<T>(T diff, Func<T, (string Field, string Problem)?> rule, string path)
    {
        if (rule(diff) is { } bad)
        {
            ThrowHelper.ThrowValidation(BodyPath.Field(path, bad.Field), bad.Problem);
        }

        return diff;
    }
}
