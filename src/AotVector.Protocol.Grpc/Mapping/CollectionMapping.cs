#pragma warning disable CS0612 // Deprecated wire fields are read and written on purpose: older clients still use them.
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>Collection create/update requests, config diffs and aliases: wire → engine.</summary>
internal static class CollectionMapping
{
    public static Result<CreateCollectionRequest> ToEngine(Wire.CreateCollection request)
    {
        if (!RequestValidation.CollectionName(request.CollectionName).TryGet(out var name, out var error))
        {
            return error;
        }

        if (!SparseConfigMapping.ToEngine(request.SparseVectorsConfig).TryGet(out var sparse, out error))
        {
            return error;
        }

        if (!QuantizationMapping.ToEngine(request.QuantizationConfig, "quantization_config").TryGet(out var quantization, out error))
        {
            return error;
        }

        if (request.HasShardingMethod && request.ShardingMethod == Wire.ShardingMethod.Custom)
        {
            return Unsupported.CustomSharding;
        }

        VectorsConfig vectors;
        if (request.VectorsConfig is null)
        {
            // Qdrant allows a collection without dense vectors; the engine decides whether that is useful.
            vectors = new VectorsConfig(null, new Dictionary<string, VectorParams>(StringComparer.Ordinal));
        }
        else if (!ToEngine(request.VectorsConfig).TryGet(out vectors!, out error))
        {
            return error;
        }

        var hnsw = ToEngine(request.HnswConfig);
        var optimizers = ToEngine(request.OptimizersConfig);
        var wal = request.WalConfig is { } w ? new WalConfigDiff(
            w.HasWalCapacityMb ? w.WalCapacityMb : null,
            w.HasWalSegmentsAhead ? w.WalSegmentsAhead : null,
            w.HasWalRetainClosed ? w.WalRetainClosed : null) : null;
        if ((Invalid(RequestRules.Hnsw(hnsw), "hnsw_config") ?? Invalid(RequestRules.Optimizers(optimizers), "optimizers_config")
            ?? Invalid(RequestRules.Wal(wal), "wal_config")) is { } invalid)
        {
            return invalid;
        }

        if (!PayloadMemory(request.Payload, "payload").TryGet(out var payloadMemory, out var payloadError))
        {
            return payloadError;
        }

        return new CreateCollectionRequest(
            name,
            vectors,
            hnsw,
            optimizers,
            wal,
            request.HasOnDiskPayload ? request.OnDiskPayload : null,
            request.HasShardNumber ? request.ShardNumber : null,
            request.HasReplicationFactor ? request.ReplicationFactor : null,
            request.HasWriteConsistencyFactor ? request.WriteConsistencyFactor : null)
        {
            SparseVectors = sparse,
            QuantizationConfig = quantization,
            StrictModeConfig = StrictModeMapping.ToEngine(request.StrictModeConfig),
            Metadata = request.Metadata.Count == 0 ? null : PayloadMapping.ToEngine(request.Metadata),
            PayloadMemory = payloadMemory,
        };
    }

    // The reference's PayloadStorageParams: its memory, or null when the message or its memory is unset.
    private static Result<string?> PayloadMemory(Wire.PayloadStorageParams? payload, string field) =>
        payload is null ? (string?)null : QuantizationMapping.Memory(payload.HasMemory, payload.Memory, field);

    public static Result<UpdateCollectionRequest> ToEngine(Wire.UpdateCollection request)
    {
        if (!RequestValidation.CollectionName(request.CollectionName).TryGet(out var name, out var error))
        {
            return error;
        }

        if (!SparseConfigMapping.ToEngine(request.SparseVectorsConfig).TryGet(out var sparse, out error))
        {
            return error;
        }

        if (!QuantizationMapping.ToEngine(request.QuantizationConfig, "quantization_config").TryGet(out var quantization, out error))
        {
            return error;
        }

        Dictionary<string, VectorParamsDiff>? vectors = null;
        if (request.VectorsConfig is { } diff)
        {
            vectors = new Dictionary<string, VectorParamsDiff>(StringComparer.Ordinal);
            switch (diff.ConfigCase)
            {
                case Wire.VectorsConfigDiff.ConfigOneofCase.Params:
                    if (!ToEngine(diff.Params, "vectors_config.params").TryGet(out var single, out error))
                    {
                        return error;
                    }

                    vectors[VectorsConfig.DefaultName] = single;
                    break;
                case Wire.VectorsConfigDiff.ConfigOneofCase.ParamsMap:
                    foreach (var (vectorName, p) in diff.ParamsMap.Map)
                    {
                        if (!ToEngine(p, $"vectors_config.params_map.{vectorName}").TryGet(out var named, out error))
                        {
                            return error;
                        }

                        vectors[vectorName] = named;
                    }

                    break;
                default:
                    break;
            }
        }

        var hnsw = ToEngine(request.HnswConfig);
        var optimizers = ToEngine(request.OptimizersConfig);
        if ((Invalid(RequestRules.Hnsw(hnsw), "hnsw_config") ?? Invalid(RequestRules.Optimizers(optimizers), "optimizers_config")) is { } invalid)
        {
            return invalid;
        }

        var parameters = request.Params;
        if (!PayloadMemory(parameters?.Payload, "params.payload").TryGet(out var payloadMemory, out var payloadError))
        {
            return payloadError;
        }

        return new UpdateCollectionRequest(
            name,
            vectors,
            hnsw,
            optimizers,
            parameters is { HasOnDiskPayload: true } ? parameters.OnDiskPayload : null,
            parameters is { HasReplicationFactor: true } ? parameters.ReplicationFactor : null,
            parameters is { HasWriteConsistencyFactor: true } ? parameters.WriteConsistencyFactor : null)
        {
            SparseVectors = sparse,
            QuantizationConfig = quantization,
            StrictModeConfig = StrictModeMapping.ToEngine(request.StrictModeConfig),
            Metadata = request.Metadata.Count == 0 ? null : PayloadMapping.ToEngine(request.Metadata),
            PayloadMemory = payloadMemory,
        };
    }

    public static Result<VectorsConfig> ToEngine(Wire.VectorsConfig config)
    {
        switch (config.ConfigCase)
        {
            case Wire.VectorsConfig.ConfigOneofCase.Params:
                return ToEngine(config.Params, "vectors_config.params").TryGet(out var single, out var error)
                    ? new VectorsConfig(single, null)
                    : error;
            case Wire.VectorsConfig.ConfigOneofCase.ParamsMap:
            {
                var named = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
                foreach (var (name, p) in config.ParamsMap.Map)
                {
                    if (!ToEngine(p, $"vectors_config.params_map.{name}").TryGet(out var vectorParams, out error))
                    {
                        return error;
                    }

                    named[name] = vectorParams;
                }

                return new VectorsConfig(null, named);
            }

            default:
                return GrpcErrors.InvalidField("vectors_config", "must set params or params_map");
        }
    }

    public static Result<VectorParams> ToEngine(Wire.VectorParams p, string field)
    {
        if (RequestRules.VectorSize(p.Size) is { } problem)
        {
            return GrpcErrors.InvalidField(field + ".size", problem);
        }

        if (!DistanceMapping.TryToEngine(p.Distance, out var distance))
        {
            return GrpcErrors.InvalidField(field + ".distance", $"unknown distance {(int)p.Distance}, expected Cosine, Euclid, Dot or Manhattan");
        }

        MultiVectorConfig? multi = null;
        if (p.MultivectorConfig is { } wireMulti)
        {
            if (wireMulti.Comparator != Wire.MultiVectorComparator.MaxSim)
            {
                return AvError.BadRequest("Unknown multi vector comparator");
            }

            multi = new MultiVectorConfig(MultiVectorComparator.MaxSim);
        }

        if (!QuantizationMapping.ToEngine(p.QuantizationConfig, field + ".quantization_config").TryGet(out var quantization, out var quantizationError))
        {
            return quantizationError;
        }

        // Default is the wire's unset value: no datatype given, as on REST.
        Common.Model.VectorDatatype? datatype = null;
        if (p.HasDatatype && p.Datatype != Wire.Datatype.Default)
        {
            var name = DatatypeName(p.Datatype);
            if (Unsupported.Datatype(name) is { } refused)
            {
                return refused;
            }

            VectorDatatypes.TryParse(name, out var parsed);
            datatype = parsed;
        }

        if (!QuantizationMapping.Memory(p.HasMemory, p.Memory, field).TryGet(out var memory, out var memoryError))
        {
            return memoryError;
        }

        var hnsw = ToEngine(p.HnswConfig);
        return Invalid(RequestRules.Hnsw(hnsw), field + ".hnsw_config") is { } invalid
            ? invalid
            : new VectorParams(p.Size, distance, hnsw, p.HasOnDisk ? p.OnDisk : null, multi) { QuantizationConfig = quantization, Memory = memory, Datatype = datatype };
    }

    public static HnswConfigDiff? ToEngine(Wire.HnswConfigDiff? hnsw) => hnsw is null ? null : new HnswConfigDiff(
        hnsw.HasM ? hnsw.M : null,
        hnsw.HasEfConstruct ? hnsw.EfConstruct : null,
        hnsw.HasFullScanThreshold ? hnsw.FullScanThreshold : null,
        hnsw.HasMaxIndexingThreads ? hnsw.MaxIndexingThreads : null,
        hnsw.HasOnDisk ? hnsw.OnDisk : null,
        hnsw.HasPayloadM ? hnsw.PayloadM : null)
    {
        // An unknown value keeps its number, which the request's HNSW check refuses.
        Memory = !hnsw.HasMemory ? null : QuantizationMapping.Memory(true, hnsw.Memory, "hnsw_config").TryGet(out var memory, out _) ? memory : ((int)hnsw.Memory).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static OptimizersConfigDiff? ToEngine(Wire.OptimizersConfigDiff? o)
    {
        if (o is null)
        {
            return null;
        }

        // The oneof wins over the deprecated plain field; "auto" cannot be expressed as a diff, so it leaves the value as is.
        ulong? threads = o.MaxOptimizationThreads is { VariantCase: Wire.MaxOptimizationThreads.VariantOneofCase.Value } t
            ? t.Value
            : o.HasDeprecatedMaxOptimizationThreads ? o.DeprecatedMaxOptimizationThreads : null;

        return new OptimizersConfigDiff(
            o.HasDeletedThreshold ? o.DeletedThreshold : null,
            o.HasVacuumMinVectorNumber ? o.VacuumMinVectorNumber : null,
            o.HasDefaultSegmentNumber ? o.DefaultSegmentNumber : null,
            o.HasMaxSegmentSize ? o.MaxSegmentSize : null,
            o.HasMemmapThreshold ? o.MemmapThreshold : null,
            o.HasIndexingThreshold ? o.IndexingThreshold : null,
            o.HasFlushIntervalSec ? o.FlushIntervalSec : null,
            threads);
    }

    public static Result<IReadOnlyList<AliasOperation>> ToEngine(Wire.ChangeAliases request)
    {
        var operations = new List<AliasOperation>(request.Actions.Count);
        foreach (var action in request.Actions)
        {
            switch (action.ActionCase)
            {
                case Wire.AliasOperations.ActionOneofCase.CreateAlias:
                    operations.Add(new CreateAlias(action.CreateAlias.CollectionName, action.CreateAlias.AliasName));
                    break;
                case Wire.AliasOperations.ActionOneofCase.RenameAlias:
                    operations.Add(new RenameAlias(action.RenameAlias.OldAliasName, action.RenameAlias.NewAliasName));
                    break;
                case Wire.AliasOperations.ActionOneofCase.DeleteAlias:
                    operations.Add(new DeleteAlias(action.DeleteAlias.AliasName));
                    break;
                default:
                    return GrpcErrors.InvalidField("actions", "an alias operation has no action set");
            }
        }

        return operations;
    }

    private static Result<VectorParamsDiff> ToEngine(Wire.VectorParamsDiff diff, string field)
    {
        if (!QuantizationMapping.ToEngine(diff.QuantizationConfig, field + ".quantization_config").TryGet(out var quantization, out var error))
        {
            return error;
        }

        if (!QuantizationMapping.Memory(diff.HasMemory, diff.Memory, field).TryGet(out var memory, out var memoryError))
        {
            return memoryError;
        }

        var hnsw = ToEngine(diff.HnswConfig);
        return Invalid(RequestRules.Hnsw(hnsw), field + ".hnsw_config") is { } invalid
            ? invalid
            : new VectorParamsDiff(hnsw, diff.HasOnDisk ? diff.OnDisk : null, quantization) { Memory = memory };
    }

    /// <summary>A value out of the engine's bounds, named by its field on this wire.</summary>
    private static AvError? Invalid((string Field, string Problem)? bad, string prefix) =>
        bad is { } b ? GrpcErrors.InvalidField(prefix + "." + b.Field, b.Problem) : null;

    /// <summary>The datatype as the REST wire names it (unset is the default, float32).</summary>
    private static string DatatypeName(Wire.Datatype datatype) => datatype switch
    {
        Wire.Datatype.Default or Wire.Datatype.Float32 => "float32",
        Wire.Datatype.Float16 => "float16",
        Wire.Datatype.Uint8 => "uint8",
        Wire.Datatype.Turbo4 => "turbo4",
        _ => ((int)datatype).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
