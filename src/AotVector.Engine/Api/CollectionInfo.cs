namespace AotVector.Engine.Api;

public enum CollectionStatus : byte
{
    Green = 1,
    Yellow = 2,
    Red = 3,
    Grey = 4,
}

/// <summary>Payload index types, as Qdrant names them (keyword, integer, float, geo, text, bool, datetime, uuid).</summary>
public enum PayloadSchemaType : byte
{
    Keyword = 1,
    Integer = 2,
    Float = 3,
    Geo = 4,
    Text = 5,
    Bool = 6,
    Datetime = 7,
    Uuid = 8,
}

public sealed record PayloadSchemaInfo(PayloadSchemaType DataType, ulong Points)
{
    /// <summary>A text index's parameters as created (null for other types).</summary>
    public Common.FullText.TextIndexParams? Text { get; init; }

    /// <summary>The parameters beside the type the index was created with (null: created from a bare type).</summary>
    public FieldIndexOptions? Options { get; init; }
}

public sealed record CollectionParams(
    VectorsConfig Vectors,
    uint ShardNumber,
    uint ReplicationFactor,
    uint WriteConsistencyFactor,
    bool OnDiskPayload)
{
    /// <summary>Sparse vectors by name; null when the collection has none.</summary>
    public IReadOnlyDictionary<string, SparseVectorParams>? SparseVectors { get; init; }

    /// <summary>
    /// <c>payload.memory</c> as given (null: not given, and not shown); <see cref="OnDiskPayload"/> is the placement it
    /// resolves to (see <see cref="PayloadStorage"/>).
    /// </summary>
    public string? PayloadMemory { get; init; }
}

public sealed record CollectionConfig(
    CollectionParams Params,
    HnswConfig HnswConfig,
    OptimizersConfig OptimizersConfig,
    WalConfig WalConfig)
{
    /// <summary>The collection's quantization (a vector's own overrides it); null: none.</summary>
    public QuantizationConfig? QuantizationConfig { get; init; }

    /// <summary>The collection's strict mode; null: never set (the reference then shows it as absent).</summary>
    public StrictModeConfig? StrictModeConfig { get; init; }

    /// <summary>The collection's free-form JSON <c>metadata</c>; null: never set (shown as absent, as the reference).</summary>
    public Common.Model.Payload? Metadata { get; init; }

    /// <summary>The quantization that applies to <paramref name="vectorName"/>: its own, else the collection's.</summary>
    public QuantizationConfig? QuantizationFor(string vectorName) =>
        Params.Vectors.Find(vectorName)?.QuantizationConfig ?? QuantizationConfig;
}

/// <summary>GET /collections/{name}. <see cref="OptimizerError"/> null means "ok".</summary>
public sealed record CollectionInfo(
    CollectionStatus Status,
    string? OptimizerError,
    ulong PointsCount,
    ulong IndexedVectorsCount,
    ulong SegmentsCount,
    CollectionConfig Config,
    IReadOnlyDictionary<string, PayloadSchemaInfo> PayloadSchema);
