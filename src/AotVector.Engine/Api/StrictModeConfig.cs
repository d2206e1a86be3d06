namespace AotVector.Engine.Api;

/// <summary>
/// A collection's strict mode (the reference's <c>strict_mode_config</c>): limits a request must respect while
/// <see cref="Enabled"/> is true. Every member is optional; an unset limit checks nothing. The same shape is the diff of
/// a PATCH, applied by <see cref="Apply"/>.
/// </summary>
public sealed record StrictModeConfig
{
    public bool? Enabled { get; init; }

    public ulong? MaxQueryLimit { get; init; }

    /// <summary>Seconds.</summary>
    public ulong? MaxTimeout { get; init; }

    public bool? UnindexedFilteringRetrieve { get; init; }

    public bool? UnindexedFilteringUpdate { get; init; }

    public ulong? SearchMaxHnswEf { get; init; }

    public bool? SearchAllowExact { get; init; }

    public double? SearchMaxOversampling { get; init; }

    public ulong? UpsertMaxBatchsize { get; init; }

    public ulong? SearchMaxBatchsize { get; init; }

    public ulong? MaxCollectionVectorSizeBytes { get; init; }

    /// <summary>Read operations per minute (a token bucket).</summary>
    public ulong? ReadRateLimit { get; init; }

    /// <summary>Write operations per minute (a token bucket).</summary>
    public ulong? WriteRateLimit { get; init; }

    public ulong? MaxCollectionPayloadSizeBytes { get; init; }

    public ulong? MaxPointsCount { get; init; }

    public ulong? FilterMaxConditions { get; init; }

    public ulong? ConditionMaxSize { get; init; }

    /// <summary>Per multivector name, the most vectors one point may hold; null: unset.</summary>
    public IReadOnlyDictionary<string, StrictModeMultivector>? MultivectorConfig { get; init; }

    /// <summary>Per sparse vector name, the most indices one vector may hold; null: unset.</summary>
    public IReadOnlyDictionary<string, StrictModeSparse>? SparseConfig { get; init; }

    public ulong? MaxPayloadIndexCount { get; init; }

    /// <summary>Deprecated in the reference (1.19): refuses memory-consuming writes while the process's resident memory is at this percentage of the machine's.</summary>
    public uint? MaxResidentMemoryPercent { get; init; }

    public bool IsEnabled => Enabled == true;

    /// <summary>This config with what <paramref name="diff"/> sets replacing its values, as the reference merges a PATCH (a sub-config is replaced whole).</summary>
    public StrictModeConfig Apply(StrictModeConfig? diff) => diff is null ? this : new StrictModeConfig
    {
        Enabled = diff.Enabled ?? Enabled,
        MaxQueryLimit = diff.MaxQueryLimit ?? MaxQueryLimit,
        MaxTimeout = diff.MaxTimeout ?? MaxTimeout,
        UnindexedFilteringRetrieve = diff.UnindexedFilteringRetrieve ?? UnindexedFilteringRetrieve,
        UnindexedFilteringUpdate = diff.UnindexedFilteringUpdate ?? UnindexedFilteringUpdate,
        SearchMaxHnswEf = diff.SearchMaxHnswEf ?? SearchMaxHnswEf,
        SearchAllowExact = diff.SearchAllowExact ?? SearchAllowExact,
        SearchMaxOversampling = diff.SearchMaxOversampling ?? SearchMaxOversampling,
        UpsertMaxBatchsize = diff.UpsertMaxBatchsize ?? UpsertMaxBatchsize,
        SearchMaxBatchsize = diff.SearchMaxBatchsize ?? SearchMaxBatchsize,
        MaxCollectionVectorSizeBytes = diff.MaxCollectionVectorSizeBytes ?? MaxCollectionVectorSizeBytes,
        ReadRateLimit = diff.ReadRateLimit ?? ReadRateLimit,
        WriteRateLimit = diff.WriteRateLimit ?? WriteRateLimit,
        MaxCollectionPayloadSizeBytes = diff.MaxCollectionPayloadSizeBytes ?? MaxCollectionPayloadSizeBytes,
        MaxPointsCount = diff.MaxPointsCount ?? MaxPointsCount,
        FilterMaxConditions = diff.FilterMaxConditions ?? FilterMaxConditions,
        ConditionMaxSize = diff.ConditionMaxSize ?? ConditionMaxSize,
        MultivectorConfig = diff.MultivectorConfig ?? MultivectorConfig,
        SparseConfig = diff.SparseConfig ?? SparseConfig,
        MaxPayloadIndexCount = diff.MaxPayloadIndexCount ?? MaxPayloadIndexCount,
        MaxResidentMemoryPercent = diff.MaxResidentMemoryPercent ?? MaxResidentMemoryPercent,
    };

    /// <summary>The first value out of the reference's bounds, as (field, problem); null when all are in bounds.</summary>
    public (string Field, string Problem)? Invalid()
    {
        static string AtLeastOne(ulong v) => $"value {v} invalid, must be 1 or larger";
        if (MaxQueryLimit is 0)
        {
            return ("max_query_limit", AtLeastOne(0));
        }

        if (MaxTimeout is 0)
        {
            return ("max_timeout", AtLeastOne(0));
        }

        if (ReadRateLimit is 0)
        {
            return ("read_rate_limit", AtLeastOne(0));
        }

        if (WriteRateLimit is 0)
        {
            return ("write_rate_limit", AtLeastOne(0));
        }

        if (MaxPointsCount is 0)
        {
            return ("max_points_count", AtLeastOne(0));
        }

        foreach (var (name, m) in MultivectorConfig ?? new Dictionary<string, StrictModeMultivector>())
        {
            if (m.MaxVectors is 0)
            {
                return ($"multivector_config.{name}.max_vectors", AtLeastOne(0));
            }
        }

        foreach (var (name, s) in SparseConfig ?? new Dictionary<string, StrictModeSparse>())
        {
            if (s.MaxLength is 0)
            {
                return ($"sparse_config.{name}.max_length", AtLeastOne(0));
            }
        }

        if (MaxResidentMemoryPercent is { } percent and (< 1 or > 100))
        {
            return ("max_resident_memory_percent", $"value {percent} invalid, must be from 1 to 100");
        }

        return null;
    }
}

public sealed record StrictModeMultivector(ulong? MaxVectors);

public sealed record StrictModeSparse(ulong? MaxLength);
