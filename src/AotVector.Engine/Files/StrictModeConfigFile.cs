using System.Text.Json.Serialization;
using AotVector.Engine.Api;

namespace AotVector.Engine.Files;

/// <summary>A collection's strict mode in <c>collection.json</c>, in the reference's field names; unset values are left out.</summary>
internal sealed class StrictModeConfigFile
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Enabled { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? MaxQueryLimit { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? MaxTimeout { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? UnindexedFilteringRetrieve { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? UnindexedFilteringUpdate { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? SearchMaxHnswEf { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? SearchAllowExact { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SearchMaxOversampling { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? UpsertMaxBatchsize { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? SearchMaxBatchsize { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? MaxCollectionVectorSizeBytes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? ReadRateLimit { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? WriteRateLimit { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? MaxCollectionPayloadSizeBytes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? MaxPointsCount { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? FilterMaxConditions { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? ConditionMaxSize { get; init; }

    /// <summary>Name → max_vectors (null: unset for that name).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, ulong?>? MultivectorMaxVectors { get; init; }

    /// <summary>Name → max_length (null: unset for that name).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, ulong?>? SparseMaxLength { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? MaxPayloadIndexCount { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint? MaxResidentMemoryPercent { get; init; }

    public static StrictModeConfigFile? From(StrictModeConfig? c) => c is null ? null : new StrictModeConfigFile
    {
        Enabled = c.Enabled,
        MaxQueryLimit = c.MaxQueryLimit,
        MaxTimeout = c.MaxTimeout,
        UnindexedFilteringRetrieve = c.UnindexedFilteringRetrieve,
        UnindexedFilteringUpdate = c.UnindexedFilteringUpdate,
        SearchMaxHnswEf = c.SearchMaxHnswEf,
        SearchAllowExact = c.SearchAllowExact,
        SearchMaxOversampling = c.SearchMaxOversampling,
        UpsertMaxBatchsize = c.UpsertMaxBatchsize,
        SearchMaxBatchsize = c.SearchMaxBatchsize,
        MaxCollectionVectorSizeBytes = c.MaxCollectionVectorSizeBytes,
        ReadRateLimit = c.ReadRateLimit,
        WriteRateLimit = c.WriteRateLimit,
        MaxCollectionPayloadSizeBytes = c.MaxCollectionPayloadSizeBytes,
        MaxPointsCount = c.MaxPointsCount,
        FilterMaxConditions = c.FilterMaxConditions,
        ConditionMaxSize = c.ConditionMaxSize,
        MultivectorMaxVectors = c.MultivectorConfig?.ToDictionary(kv => kv.Key, kv => kv.Value.MaxVectors, StringComparer.Ordinal),
        SparseMaxLength = c.SparseConfig?.ToDictionary(kv => kv.Key, kv => kv.Value.MaxLength, StringComparer.Ordinal),
        MaxPayloadIndexCount = c.MaxPayloadIndexCount,
        MaxResidentMemoryPercent = c.MaxResidentMemoryPercent,
    };

    public StrictModeConfig ToConfig() => new()
    {
        Enabled = Enabled,
        MaxQueryLimit = MaxQueryLimit,
        MaxTimeout = MaxTimeout,
        UnindexedFilteringRetrieve = UnindexedFilteringRetrieve,
        UnindexedFilteringUpdate = UnindexedFilteringUpdate,
        SearchMaxHnswEf = SearchMaxHnswEf,
        SearchAllowExact = SearchAllowExact,
        SearchMaxOversampling = SearchMaxOversampling,
        UpsertMaxBatchsize = UpsertMaxBatchsize,
        SearchMaxBatchsize = SearchMaxBatchsize,
        MaxCollectionVectorSizeBytes = MaxCollectionVectorSizeBytes,
        ReadRateLimit = ReadRateLimit,
        WriteRateLimit = WriteRateLimit,
        MaxCollectionPayloadSizeBytes = MaxCollectionPayloadSizeBytes,
        MaxPointsCount = MaxPointsCount,
        FilterMaxConditions = FilterMaxConditions,
        ConditionMaxSize = ConditionMaxSize,
        MultivectorConfig = MultivectorMaxVectors?.ToDictionary(kv => kv.Key, kv => new StrictModeMultivector(kv.Value), StringComparer.Ordinal),
        SparseConfig = SparseMaxLength?.ToDictionary(kv => kv.Key, kv => new StrictModeSparse(kv.Value), StringComparer.Ordinal),
        MaxPayloadIndexCount = MaxPayloadIndexCount,
        MaxResidentMemoryPercent = MaxResidentMemoryPercent,
    };
}
