using System.Globalization;
using System.Text.Json;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>"strict_mode_config" of a create or PATCH body. Unknown fields are ignored, as the reference's serde ignores them.</summary>
internal static class StrictModeConfigReader
{
    public static StrictModeConfig? Read(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "struct StrictModeConfig");
        var c = new StrictModeConfig();
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            var v = p.Value;
            c = p.Name switch
            {
                "enabled" => c with { Enabled = JsonRead.OptionalBool(v, at) },
                "max_query_limit" => c with { MaxQueryLimit = JsonRead.OptionalUInt64(v, at) },
                "max_timeout" => c with { MaxTimeout = JsonRead.OptionalUInt64(v, at) },
                "unindexed_filtering_retrieve" => c with { UnindexedFilteringRetrieve = JsonRead.OptionalBool(v, at) },
                "unindexed_filtering_update" => c with { UnindexedFilteringUpdate = JsonRead.OptionalBool(v, at) },
                "search_max_hnsw_ef" => c with { SearchMaxHnswEf = JsonRead.OptionalUInt64(v, at) },
                "search_allow_exact" => c with { SearchAllowExact = JsonRead.OptionalBool(v, at) },
                "search_max_oversampling" => c with { SearchMaxOversampling = JsonRead.OptionalDouble(v, at) },
                "upsert_max_batchsize" => c with { UpsertMaxBatchsize = JsonRead.OptionalUInt64(v, at) },
                "search_max_batchsize" => c with { SearchMaxBatchsize = JsonRead.OptionalUInt64(v, at) },
                "max_collection_vector_size_bytes" => c with { MaxCollectionVectorSizeBytes = JsonRead.OptionalUInt64(v, at) },
                "read_rate_limit" => c with { ReadRateLimit = JsonRead.OptionalUInt64(v, at) },
                "write_rate_limit" => c with { WriteRateLimit = JsonRead.OptionalUInt64(v, at) },
                "max_collection_payload_size_bytes" => c with { MaxCollectionPayloadSizeBytes = JsonRead.OptionalUInt64(v, at) },
                "max_points_count" => c with { MaxPointsCount = JsonRead.OptionalUInt64(v, at) },
                "filter_max_conditions" => c with { FilterMaxConditions = JsonRead.OptionalUInt64(v, at) },
                "condition_max_size" => c with { ConditionMaxSize = JsonRead.OptionalUInt64(v, at) },
                "multivector_config" => c with { MultivectorConfig = ReadMap(v, at, "max_vectors", n => new StrictModeMultivector(n)) },
                "sparse_config" => c with { SparseConfig = ReadMap(v, at, "max_length", n => new StrictModeSparse(n)) },
                "max_payload_index_count" => c with { MaxPayloadIndexCount = JsonRead.OptionalUInt64(v, at) },
                "max_resident_memory_percent" => c with { MaxResidentMemoryPercent = Percent(v, at) },
                _ => c,
            };
        }

        return c;
    }

    // The reference's field is a u8: a larger number fails to parse; 0 and 101..255 fail validation later.
    private static uint? Percent(JsonElement v, string at)
    {
        var value = JsonRead.OptionalUInt64(v, at);
        if (value > byte.MaxValue)
        {
            ThrowHelper.ThrowFormat(at, "invalid value: integer `" + value.Value.ToString(CultureInfo.InvariantCulture) + "`, expected u8");
        }

        return (uint?)value;
    }

    // {"name": {"<field>": n}} per vector name.
    private static Dictionary<string, T>? ReadMap<T>(JsonElement e, string path, string field, Func<ulong?, T> make)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path);
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            JsonRead.Object(p.Value, at);
            ulong? value = p.Value.TryGetProperty(field, out var given) ? JsonRead.OptionalUInt64(given, BodyPath.Field(at, field)) : null;
            map[p.Name] = make(value);
        }

        return map;
    }
}
