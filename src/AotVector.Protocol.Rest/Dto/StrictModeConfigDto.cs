using System.Text.Json.Serialization;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>"strict_mode_config" of a collection's config: only what is set, in the reference's order.</summary>
internal sealed record StrictModeConfigDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Enabled,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? MaxQueryLimit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? MaxTimeout,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? UnindexedFilteringRetrieve,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? UnindexedFilteringUpdate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? SearchMaxHnswEf,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? SearchAllowExact,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? SearchMaxOversampling,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? UpsertMaxBatchsize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? SearchMaxBatchsize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? MaxCollectionVectorSizeBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? ReadRateLimit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? WriteRateLimit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? MaxCollectionPayloadSizeBytes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? MaxPointsCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? FilterMaxConditions,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? ConditionMaxSize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, StrictModeMultivectorDto>? MultivectorConfig,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, StrictModeSparseDto>? SparseConfig,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? MaxPayloadIndexCount,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? MaxResidentMemoryPercent)
{
    public static StrictModeConfigDto? From(StrictModeConfig? c) => c is null ? null : new(
        c.Enabled,
        c.MaxQueryLimit,
        c.MaxTimeout,
        c.UnindexedFilteringRetrieve,
        c.UnindexedFilteringUpdate,
        c.SearchMaxHnswEf,
        c.SearchAllowExact,
        c.SearchMaxOversampling,
        c.UpsertMaxBatchsize,
        c.SearchMaxBatchsize,
        c.MaxCollectionVectorSizeBytes,
        c.ReadRateLimit,
        c.WriteRateLimit,
        c.MaxCollectionPayloadSizeBytes,
        c.MaxPointsCount,
        c.FilterMaxConditions,
        c.ConditionMaxSize,
        c.MultivectorConfig?.ToDictionary(kv => kv.Key, kv => new StrictModeMultivectorDto(kv.Value.MaxVectors), StringComparer.Ordinal),
        c.SparseConfig?.ToDictionary(kv => kv.Key, kv => new StrictModeSparseDto(kv.Value.MaxLength), StringComparer.Ordinal),
        c.MaxPayloadIndexCount,
        c.MaxResidentMemoryPercent);
}

internal sealed record StrictModeMultivectorDto([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? MaxVectors);

internal sealed record StrictModeSparseDto([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? MaxLength);
