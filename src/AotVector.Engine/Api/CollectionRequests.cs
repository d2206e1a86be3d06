namespace AotVector.Engine.Api;

/// <summary>PUT /collections/{name}, gRPC Collections/Create.</summary>
public sealed record CreateCollectionRequest(
    string Name,
    VectorsConfig Vectors,
    HnswConfigDiff? HnswConfig = null,
    OptimizersConfigDiff? OptimizersConfig = null,
    WalConfigDiff? WalConfig = null,
    bool? OnDiskPayload = null,
    uint? ShardNumber = null,
    uint? ReplicationFactor = null,
    uint? WriteConsistencyFactor = null)
{
    /// <summary>Sparse vectors by name (null or empty: none).</summary>
    public IReadOnlyDictionary<string, SparseVectorParams>? SparseVectors { get; init; }

    /// <summary>The collection's quantization, for every dense vector without its own.</summary>
    public QuantizationConfig? QuantizationConfig { get; init; }

    /// <summary>Strict mode, merged over the server's default (<c>storage.collection.strict_mode</c>).</summary>
    public StrictModeConfig? StrictModeConfig { get; init; }

    /// <summary>The collection's free-form JSON <c>metadata</c> (null or empty: none given).</summary>
    public Common.Model.Payload? Metadata { get; init; }

    /// <summary><c>payload.memory</c>: <c>cold</c>, <c>cached</c> or <c>pinned</c> (refused), see <see cref="PayloadStorage"/>.</summary>
    public string? PayloadMemory { get; init; }
}

/// <summary>PATCH /collections/{name}, gRPC Collections/Update: only the parts a request sets change.</summary>
public sealed record UpdateCollectionRequest(
    string Name,
    IReadOnlyDictionary<string, VectorParamsDiff>? Vectors = null,
    HnswConfigDiff? HnswConfig = null,
    OptimizersConfigDiff? OptimizersConfig = null,
    bool? OnDiskPayload = null,
    uint? ReplicationFactor = null,
    uint? WriteConsistencyFactor = null)
{
    /// <summary>Changes to existing sparse vectors: the parts each sets replace the stored ones.</summary>
    public IReadOnlyDictionary<string, SparseVectorParams>? SparseVectors { get; init; }

    /// <summary>The collection's new quantization, or its removal; null leaves it as it is.</summary>
    public QuantizationConfigDiff? QuantizationConfig { get; init; }

    /// <summary>Strict mode values to change; the ones it leaves unset keep their stored value.</summary>
    public StrictModeConfig? StrictModeConfig { get; init; }

    /// <summary>Metadata keys to merge into the collection's (null or empty: none given).</summary>
    public Common.Model.Payload? Metadata { get; init; }

    /// <summary><c>params.payload.memory</c>, see <see cref="PayloadStorage"/>; null leaves it as it is.</summary>
    public string? PayloadMemory { get; init; }
}

/// <summary>The per-vector parts an update may change ("" names the unnamed vector).</summary>
public sealed record VectorParamsDiff(HnswConfigDiff? HnswConfig = null, bool? OnDisk = null, QuantizationConfigDiff? QuantizationConfig = null)
{
    /// <summary>A new <see cref="VectorParams.Memory"/>; null leaves it as it is.</summary>
    public string? Memory { get; init; }
}

/// <summary>One step of an atomic alias change.</summary>
public abstract record AliasOperation;

public sealed record CreateAlias(string CollectionName, string AliasName) : AliasOperation;

public sealed record DeleteAlias(string AliasName) : AliasOperation;

public sealed record RenameAlias(string OldAliasName, string NewAliasName) : AliasOperation;

public sealed record AliasDescription(string AliasName, string CollectionName);
