using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>Bodies of the collection endpoints: create, update (PATCH), aliases and payload indexes.</summary>
internal static class CollectionRequestReader
{
    /// <param name="unknownFields">
    /// Receives the top-level fields the reference does not know either: accepted, as the reference accepts them
    /// (a newer client may send fields an older server lacks), for the caller to log.
    /// </param>
    public static CreateCollectionRequest ReadCreate(JsonElement root, string name, List<string>? unknownFields = null)
    {
        JsonRead.Object(root, "", "a create collection object");
        var vectors = new VectorsConfig(null, new Dictionary<string, VectorParams>(StringComparer.Ordinal));
        HnswConfigDiff? hnsw = null;
        OptimizersConfigDiff? optimizers = null;
        WalConfigDiff? wal = null;
        bool? onDiskPayload = null;
        uint? shards = null, replication = null, writeConsistency = null;
        Dictionary<string, SparseVectorParams>? sparse = null;
        QuantizationConfig? quantization = null;
        StrictModeConfig? strict = null;
        Payload? metadata = null;
        string? payloadMemory = null;
        foreach (var p in root.EnumerateObject())
        {
            var at = p.Name;
            switch (p.Name)
            {
                case "vectors":
                    if (!JsonRead.IsAbsent(p.Value))
                    {
                        vectors = ReadVectorsConfig(p.Value, at);
                    }

                    break;
                case "hnsw_config":
                    hnsw = ConfigReader.ReadHnswDiff(p.Value, at);
                    break;
                case "optimizers_config" or "optimizer_config":
                    optimizers = ConfigReader.ReadOptimizersDiff(p.Value, at);
                    break;
                case "wal_config":
                    wal = ConfigReader.ReadWalDiff(p.Value, at);
                    break;
                case "on_disk_payload":
                    onDiskPayload = JsonRead.OptionalBool(p.Value, at);
                    break;
                case "shard_number":
                    shards = ConfigReader.OptionalNonZeroUInt32(p.Value, at);
                    break;
                case "replication_factor":
                    replication = ConfigReader.OptionalNonZeroUInt32(p.Value, at);
                    break;
                case "write_consistency_factor":
                    writeConsistency = ConfigReader.OptionalNonZeroUInt32(p.Value, at);
                    break;
                case "sparse_vectors":
                    sparse = SparseConfigReader.Read(p.Value, at);
                    break;
                case "quantization_config" or "quantization":
                    quantization = QuantizationConfigReader.Read(p.Value, at);
                    break;
                case "sharding_method":
                    if (JsonRead.OptionalString(p.Value, at) is not (null or "auto"))
                    {
                        ThrowHelper.ThrowError(Unsupported.CustomSharding);
                    }

                    break;
                case "init_from":
                    if (!JsonRead.IsAbsent(p.Value))
                    {
                        ThrowHelper.ThrowError(Unsupported.InitFrom);
                    }

                    break;
                case "strict_mode_config":
                    strict = StrictModeConfigReader.Read(p.Value, at);
                    break;
                case "metadata":
                    metadata = PayloadJson.ReadOptionalObject(p.Value, at);
                    break;
                case "payload":
                    payloadMemory = ReadPayloadStorage(p.Value, at);
                    break;
                case "uuid":
                    if (!JsonRead.IsAbsent(p.Value))
                    {
                        ThrowHelper.ThrowError(PayloadStorage.CollectionUuid);
                    }

                    break;
                default:
                    unknownFields?.Add(p.Name);
                    break;
            }
        }

        return new CreateCollectionRequest(name, vectors, hnsw, optimizers, wal, onDiskPayload, shards, replication, writeConsistency) { SparseVectors = sparse, QuantizationConfig = quantization, StrictModeConfig = strict, Metadata = metadata, PayloadMemory = payloadMemory };
    }

    /// <summary><c>{"memory": "cold" | "cached" | "pinned"}</c> (the reference's PayloadStorageParams): the memory, or null.</summary>
    private static string? ReadPayloadStorage(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "payload storage params");
        string? memory = null;
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name == "memory")
            {
                memory = QuantizationConfigReader.ReadMemory(p.Value, BodyPath.Field(path, p.Name));
            }
            else
            {
                JsonRead.UnknownField(path, p.Name, "`memory`");
            }
        }

        return memory;
    }

    /// <summary>A single params object (it has "size" or "distance") or a map of named params.</summary>
    public static VectorsConfig ReadVectorsConfig(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "vector params or a map of named vector params");
        if (e.TryGetProperty("size", out _) || e.TryGetProperty("distance", out _))
        {
            return new VectorsConfig(ConfigReader.ReadVectorParams(e, path), null);
        }

        var named = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            named[p.Name] = ConfigReader.ReadVectorParams(p.Value, BodyPath.Field(path, p.Name));
        }

        return new VectorsConfig(null, named);
    }

    public static UpdateCollectionRequest ReadUpdate(JsonElement root, string name)
    {
        JsonRead.Object(root, "", "an update collection object");
        Dictionary<string, VectorParamsDiff>? vectors = null;
        HnswConfigDiff? hnsw = null;
        OptimizersConfigDiff? optimizers = null;
        bool? onDiskPayload = null;
        uint? replication = null, writeConsistency = null;
        Dictionary<string, SparseVectorParams>? sparse = null;
        QuantizationConfigDiff? quantization = null;
        StrictModeConfig? strict = null;
        Payload? metadata = null;
        string? payloadMemory = null;
        foreach (var p in root.EnumerateObject())
        {
            var at = p.Name;
            switch (p.Name)
            {
                case "vectors":
                    vectors = ReadVectorsDiff(p.Value, at);
                    break;
                case "hnsw_config":
                    hnsw = ConfigReader.ReadHnswDiff(p.Value, at);
                    break;
                case "optimizers_config":
                    optimizers = ConfigReader.ReadOptimizersDiff(p.Value, at);
                    break;
                case "params":
                    if (!JsonRead.IsAbsent(p.Value))
                    {
                        JsonRead.Object(p.Value, at);
                        foreach (var q in p.Value.EnumerateObject())
                        {
                            var qat = BodyPath.Field(at, q.Name);
                            switch (q.Name)
                            {
                                case "replication_factor":
                                    replication = ConfigReader.OptionalNonZeroUInt32(q.Value, qat);
                                    break;
                                case "write_consistency_factor":
                                    writeConsistency = ConfigReader.OptionalNonZeroUInt32(q.Value, qat);
                                    break;
                                case "on_disk_payload":
                                    onDiskPayload = JsonRead.OptionalBool(q.Value, qat);
                                    break;
                                case "payload":
                                    payloadMemory = ReadPayloadStorage(q.Value, qat);
                                    break;
                                default:
                                    break;
                            }
                        }
                    }

                    break;
                case "sparse_vectors":
                    sparse = SparseConfigReader.Read(p.Value, at);
                    break;
                case "quantization_config":
                    quantization = QuantizationConfigReader.ReadDiff(p.Value, at);
                    break;
                case "strict_mode_config":
                    strict = StrictModeConfigReader.Read(p.Value, at);
                    break;
                case "metadata":
                    metadata = PayloadJson.ReadOptionalObject(p.Value, at);
                    break;
                default:
                    // Later additions: accepted and ignored.
                    break;
            }
        }

        return new UpdateCollectionRequest(name, vectors, hnsw, optimizers, onDiskPayload, replication, writeConsistency) { SparseVectors = sparse, QuantizationConfig = quantization, StrictModeConfig = strict, Metadata = metadata, PayloadMemory = payloadMemory };
    }

    public static List<AliasOperation> ReadAliasActions(JsonElement root)
    {
        JsonRead.Object(root, "", "an object with `actions`");
        if (!root.TryGetProperty("actions", out var actions))
        {
            JsonRead.Missing("", "actions");
        }

        JsonRead.Array(actions, "actions");
        var list = new List<AliasOperation>(actions.GetArrayLength());
        var i = 0;
        foreach (var action in actions.EnumerateArray())
        {
            var path = BodyPath.Index("actions", i++);
            JsonRead.Object(action, path, "an alias action");
            AliasOperation? op = null;
            foreach (var p in action.EnumerateObject())
            {
                if (op is not null)
                {
                    ThrowHelper.ThrowFormat(path, "an alias action takes exactly one of `create_alias`, `delete_alias`, `rename_alias`");
                }

                var at = BodyPath.Field(path, p.Name);
                op = p.Name switch
                {
                    "create_alias" => new CreateAlias(Required(p.Value, at, "collection_name"), Required(p.Value, at, "alias_name")),
                    "delete_alias" => new DeleteAlias(Required(p.Value, at, "alias_name")),
                    "rename_alias" => new RenameAlias(Required(p.Value, at, "old_alias_name"), Required(p.Value, at, "new_alias_name")),
                    _ => ThrowHelper.ThrowFormat<AliasOperation>(path, "unknown variant `" + p.Name + "`, expected one of `create_alias`, `delete_alias`, `rename_alias`"),
                };
            }

            list.Add(op ?? ThrowHelper.ThrowFormat<AliasOperation>(path, "an alias action needs one of `create_alias`, `delete_alias`, `rename_alias`"));
        }

        return list;
    }

    /// <summary>PUT /collections/{name}/index: {"field_name", "field_schema": "keyword" | {"type":"keyword",...}}.</summary>
    public static CreateFieldIndex ReadCreateIndex(JsonElement root)
    {
        JsonRead.Object(root, "", "an object with `field_name` and `field_schema`");
        if (!root.TryGetProperty("field_name", out var fieldElement) || JsonRead.IsAbsent(fieldElement))
        {
            JsonRead.Missing("", "field_name");
        }

        var fieldName = JsonRead.KeyPath(fieldElement, "field_name");
        if (!root.TryGetProperty("field_schema", out var schema) || JsonRead.IsAbsent(schema))
        {
            ThrowHelper.ThrowError(RequestRules.MissingFieldSchema);
        }

        var typeName = schema.ValueKind == JsonValueKind.Object
            ? (schema.TryGetProperty("type", out var type) ? JsonRead.String(type, "field_schema.type") : ThrowHelper.ThrowFormat<string>("field_schema", "missing field `type`"))
            : JsonRead.String(schema, "field_schema");
        var parsed = typeName switch
        {
            "keyword" => PayloadSchemaType.Keyword,
            "integer" => PayloadSchemaType.Integer,
            "float" => PayloadSchemaType.Float,
            "geo" => PayloadSchemaType.Geo,
            "text" => PayloadSchemaType.Text,
            "bool" => PayloadSchemaType.Bool,
            "datetime" => PayloadSchemaType.Datetime,
            "uuid" => PayloadSchemaType.Uuid,
            _ => ThrowHelper.ThrowFormat<PayloadSchemaType>("field_schema",
                "unknown variant `" + typeName + "`, expected one of `keyword`, `integer`, `float`, `geo`, `text`, `bool`, `datetime`, `uuid`"),
        };
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return new CreateFieldIndex(fieldName, parsed);
        }

        return parsed == PayloadSchemaType.Text
            ? new CreateFieldIndex(fieldName, parsed) { Text = TextParamsReader.ReadIndexParams(schema, "field_schema"), Options = FieldIndexOptions.OrNull(ReadIndexOptions(schema, parsed)) }
            : new CreateFieldIndex(fieldName, parsed) { Options = ReadIndexOptions(schema, parsed) };
    }

    // The parameters each index type of the reference has; others are ignored, as the reference's tagged params do.
    // Never null: a params object, even one giving nothing, is shown back as params (a bare type is not).
    private static FieldIndexOptions ReadIndexOptions(JsonElement schema, PayloadSchemaType type)
    {
        bool? Flag(string name, bool applies) =>
            applies && schema.TryGetProperty(name, out var value) ? JsonRead.OptionalBool(value, BodyPath.Field("field_schema", name)) : null;

        IndexMemory? memory = null;
        if (schema.TryGetProperty("memory", out var m) && !JsonRead.IsAbsent(m))
        {
            var name = JsonRead.String(m, "field_schema.memory");
            memory = name switch
            {
                "cold" => IndexMemory.Cold,
                "cached" => IndexMemory.Cached,
                "pinned" => IndexMemory.Pinned,
                _ => ThrowHelper.ThrowFormat<IndexMemory>("field_schema.memory", "unknown variant `" + name + "`, expected one of `cold`, `cached`, `pinned`"),
            };
        }

        var tenant = type is PayloadSchemaType.Keyword or PayloadSchemaType.Uuid;
        var principal = type is PayloadSchemaType.Integer or PayloadSchemaType.Float or PayloadSchemaType.Datetime;
        return new FieldIndexOptions(
            IsTenant: Flag("is_tenant", tenant),
            IsPrincipal: Flag("is_principal", principal),
            OnDisk: Flag("on_disk", true),
            Memory: memory,
            EnableHnsw: Flag("enable_hnsw", true),
            Lookup: Flag("lookup", type == PayloadSchemaType.Integer),
            Range: Flag("range", type == PayloadSchemaType.Integer),
            Prefix: Flag("prefix", type == PayloadSchemaType.Keyword));
    }

    private static Dictionary<string, VectorParamsDiff>? ReadVectorsDiff(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "a map of vector name to params diff");
        var map = new Dictionary<string, VectorParamsDiff>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            JsonRead.Object(p.Value, at);
            HnswConfigDiff? hnsw = null;
            bool? onDisk = null;
            string? memory = null;
            QuantizationConfigDiff? quantization = null;
            foreach (var q in p.Value.EnumerateObject())
            {
                switch (q.Name)
                {
                    case "hnsw_config":
                        hnsw = ConfigReader.ReadHnswDiff(q.Value, BodyPath.Field(at, q.Name));
                        break;
                    case "on_disk":
                        onDisk = JsonRead.OptionalBool(q.Value, BodyPath.Field(at, q.Name));
                        break;
                    case "memory":
                        memory = QuantizationConfigReader.ReadMemory(q.Value, BodyPath.Field(at, q.Name));
                        break;
                    case "quantization_config":
                        quantization = QuantizationConfigReader.ReadDiff(q.Value, BodyPath.Field(at, q.Name));
                        break;
                    default:
                        break;
                }
            }

            map[p.Name] = new VectorParamsDiff(hnsw, onDisk, quantization) { Memory = memory };
        }

        return map;
    }

    private static string Required(JsonElement obj, string path, string field)
    {
        JsonRead.Object(obj, path);
        if (!obj.TryGetProperty(field, out var value) || JsonRead.IsAbsent(value))
        {
            JsonRead.Missing(path, field);
        }

        return JsonRead.String(value, BodyPath.Field(path, field));
    }
}
