using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Catalog;

namespace AotVector.Engine;

public sealed partial class VectorEngine
{
    private const uint MaxShardNumber = 1024;
    private static readonly AvError s_manageRequired = AvError.Forbidden("Global manage access is required");

    public ValueTask<Result<bool>> CreateAsync(AccessContext access, CreateCollectionRequest request, CancellationToken ct)
    {
        if (!access.CanManage)
        {
            return ValueTask.FromResult<Result<bool>>(s_manageRequired);
        }

        return ValueTask.FromResult(Guard(() =>
        {
            if (!ResolveCreate(request).TryGet(out var config, out var error))
            {
                return error;
            }

            return _space.Refusal(config.WalConfig.WalCapacityMb) is { } full ? full : _toc.Create(request.Name, config);
        }));
    }

    /// <summary>The configuration a create request asks for, with this server's defaults filled in, once it is valid.</summary>
    private Result<CollectionConfig> ResolveCreate(CreateCollectionRequest request)
    {
        var invalid = ValidateCreate(request);
        if (invalid is { } error)
        {
            return error;
        }

        var vectors = request.Vectors.Single is null && request.Vectors.Named is null
            ? new VectorsConfig(null, new Dictionary<string, VectorParams>(StringComparer.Ordinal))
            : request.Vectors;
        var sparse = request.SparseVectors is { Count: > 0 } given ? new Dictionary<string, SparseVectorParams>(given, StringComparer.Ordinal) : null;
        var config = new CollectionConfig(
            new CollectionParams(vectors, request.ShardNumber ?? 1, request.ReplicationFactor ?? 1, request.WriteConsistencyFactor ?? 1, PayloadStorage.OnDisk(request.PayloadMemory, request.OnDiskPayload ?? _options.DefaultOnDiskPayload))
            {
                SparseVectors = sparse,
                PayloadMemory = request.PayloadMemory,
            },
            _options.DefaultHnsw.Apply(request.HnswConfig),
            _options.DefaultOptimizers.Apply(request.OptimizersConfig),
            _options.DefaultWal.Apply(request.WalConfig))
        {
            QuantizationConfig = request.QuantizationConfig,

            // As the reference: the request's values over the server's default, or the default alone.
            StrictModeConfig = request.StrictModeConfig is { } strict ? (_options.DefaultStrictMode ?? new StrictModeConfig()).Apply(strict) : _options.DefaultStrictMode,
            Metadata = request.Metadata?.DeepClone(),
        };
        return config;
    }

    private static AvError? ValidateCreate(CreateCollectionRequest request)
    {
        if (request.Vectors.Single is null && request.Vectors.Named is null && request.SparseVectors is not { Count: > 0 })
        {
            return AvError.Validation("[vectors: must be set]");
        }

        if (PayloadStorage.Validate(request.PayloadMemory) is { } payloadMemory)
        {
            return payloadMemory;
        }

        foreach (var (name, p) in request.Vectors.All)
        {
            var field = name.Length == 0 ? "vectors.size" : $"vectors.{name}.size";
            if (RequestRules.VectorSize(p.Size) is { } problem)
            {
                return AvError.Validation($"[{field}: {problem}]");
            }

            if (!Enum.IsDefined(p.Distance))
            {
                return AvError.BadRequest($"unknown distance {(int)p.Distance}");
            }

            if (ValidateHnsw(p.HnswConfig, VectorHnswField(name)) is { } vectorHnswError)
            {
                return vectorHnswError;
            }

            if (PlacementRules.VectorMemory(p.Memory, name) is { } memoryError)
            {
                return memoryError;
            }

            if (name.Length > 0 && System.Text.Encoding.UTF8.GetByteCount(name) > 200)
            {
                return AvError.Validation($"[vectors: vector name `{name}` is longer than 200 bytes]");
            }

            if (ValidateQuantization(p.QuantizationConfig, name.Length == 0 ? "vectors.quantization_config" : $"vectors.{name}.quantization_config") is { } quantizationError)
            {
                return quantizationError;
            }

            if (ValidateDatatype(p) is { } datatypeError)
            {
                return datatypeError;
            }
        }

        if (ValidateQuantization(request.QuantizationConfig, "quantization_config") is { } collectionQuantizationError)
        {
            return collectionQuantizationError;
        }

        foreach (var (name, p) in request.SparseVectors ?? new Dictionary<string, SparseVectorParams>())
        {
            if (ValidateSparse(name, p) is { } sparseError)
            {
                return sparseError;
            }

            if (request.Vectors.Find(name) is not null)
            {
                return AvError.BadRequest($"vector name `{name}` is used by both a dense and a sparse vector");
            }
        }

        if (request.ShardNumber is 0)
        {
            return AvError.Validation("[shard_number: value 0 invalid, must be 1 or larger]");
        }

        // Each shard has its own WAL and segments; far more shards than any machine has cores only costs files.
        if (request.ShardNumber is > MaxShardNumber)
        {
            return AvError.Validation($"[shard_number: value {request.ShardNumber} invalid, must be {MaxShardNumber} or smaller]");
        }

        if (ValidateCollectionSettings(request.HnswConfig, request.OptimizersConfig, request.ReplicationFactor, request.WriteConsistencyFactor) is { } settingsError)
        {
            return settingsError;
        }

        if (RequestRules.Wal(request.WalConfig) is { } wal)
        {
            return AvError.Validation($"[wal_config.{wal.Field}: {wal.Problem}]");
        }

        return ValidateStrictMode(request.StrictModeConfig);
    }

    private static AvError? ValidateStrictMode(StrictModeConfig? strict) =>
        strict?.Invalid() is { } bad ? AvError.Validation($"[strict_mode_config.{bad.Field}: {bad.Problem}]") : null;

    // Both front ends check these while reading; the engine checks again so no path can store a config a build
    // would silently change (an ef_construct below 4 is raised by the build, which would then rebuild forever).
    private static AvError? ValidateQuantization(QuantizationConfig? config, string field) =>
        config is null ? null
        : Unsupported.QuantizationKind(config.Kind) is { } refusal ? refusal
        : RequestRules.Quantization(config) is { } bad ? AvError.Validation($"[{field}.{bad.Field}: {bad.Problem}]")
        : null;

    private static AvError? ValidateDatatype(VectorParams p) =>
        p.Datatype is not { } datatype ? null
        : !Enum.IsDefined(datatype) ? AvError.BadRequest($"unknown vector datatype {(int)datatype}")
        : null;

    private static AvError? ValidateHnsw(HnswConfigDiff? hnsw, string field) =>
        RequestRules.Hnsw(hnsw) is { } bad ? AvError.Validation($"[{field}.{bad.Field}: {bad.Problem}]") : null;

    private static string VectorHnswField(string vectorName) => vectorName.Length == 0 ? "vectors.hnsw_config" : $"vectors.{vectorName}.hnsw_config";

    // The settings create and PATCH share.
    private static AvError? ValidateCollectionSettings(HnswConfigDiff? hnsw, OptimizersConfigDiff? optimizers, uint? replicationFactor, uint? writeConsistencyFactor)
    {
        if (replicationFactor is 0 || writeConsistencyFactor is 0)
        {
            return AvError.Validation("[replication_factor: value 0 invalid, must be 1 or larger]");
        }

        if (RequestRules.Optimizers(optimizers) is { } bad)
        {
            return AvError.Validation($"[optimizers_config.{bad.Field}: {bad.Problem}]");
        }

        return ValidateHnsw(hnsw, "hnsw_config");
    }

    private static AvError? ValidateSparse(string name, SparseVectorParams p)
    {
        if (name.Length == 0)
        {
            return AvError.Validation("[sparse_vectors: sparse vector name must not be empty]");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > 200)
        {
            return AvError.Validation($"[sparse_vectors: vector name `{name}` is longer than 200 bytes]");
        }

        if (p.Modifier is { } modifier && !Enum.IsDefined(modifier))
        {
            return AvError.BadRequest($"unknown sparse vector modifier {(int)modifier}");
        }

        return p.Index?.Datatype is { } datatype ? Unsupported.SparseDatatype(datatype) : null;
    }

    private static AvError? ValidateUpdate(UpdateCollectionRequest request)
    {
        foreach (var (name, p) in request.SparseVectors ?? new Dictionary<string, SparseVectorParams>())
        {
            if (ValidateSparse(name, p) is { } sparseError)
            {
                return sparseError;
            }
        }

        foreach (var (name, diff) in request.Vectors ?? new Dictionary<string, VectorParamsDiff>())
        {
            if (ValidateHnsw(diff.HnswConfig, VectorHnswField(name)) is { } vectorError)
            {
                return vectorError;
            }

            if (PlacementRules.VectorMemory(diff.Memory, name) is { } memoryError)
            {
                return memoryError;
            }

            if (ValidateQuantization(diff.QuantizationConfig?.Config, name.Length == 0 ? "vectors.quantization_config" : $"vectors.{name}.quantization_config") is { } quantizationError)
            {
                return quantizationError;
            }
        }

        if (ValidateQuantization(request.QuantizationConfig?.Config, "quantization_config") is { } collectionQuantizationError)
        {
            return collectionQuantizationError;
        }

        return PayloadStorage.Validate(request.PayloadMemory)
            ?? ValidateCollectionSettings(request.HnswConfig, request.OptimizersConfig, request.ReplicationFactor, request.WriteConsistencyFactor)
            ?? ValidateStrictMode(request.StrictModeConfig);
    }

    public ValueTask<Result<bool>> UpdateAsync(AccessContext access, UpdateCollectionRequest request, CancellationToken ct)
    {
        if (!access.CanManage)
        {
            return ValueTask.FromResult<Result<bool>>(s_manageRequired);
        }

        return ValueTask.FromResult(Guard<bool>(() =>
        {
            if (ValidateUpdate(request) is { } invalid)
            {
                return invalid;
            }

            var found = _toc.Resolve(request.Name);
            if (!found.TryGet(out var collection, out var error))
            {
                return error;
            }

            var config = collection.Config;
            if (!Updated(config, request).TryGet(out var updated, out error))
            {
                return error;
            }

            if (_space.Refusal(config.WalConfig.WalCapacityMb) is { } full)
            {
                return full;
            }

            collection.UpdateConfig(updated);
            return true;
        }));
    }

    /// <summary>A collection's configuration with an update request applied (the request already validated).</summary>
    private static Result<CollectionConfig> Updated(CollectionConfig config, UpdateCollectionRequest request)
    {
        var vectors = config.Params.Vectors;
        if (request.Vectors is { } diffs)
        {
            foreach (var (name, _) in diffs)
            {
                if (vectors.Find(name) is null)
                {
                    return AvError.BadRequest($"Not existing vector name error: {name}");
                }
            }

            vectors = vectors.Single is not null
                ? new VectorsConfig(Patch(vectors.Single, diffs.GetValueOrDefault(VectorsConfig.DefaultName)), null)
                : new VectorsConfig(null, vectors.Named!.ToDictionary(kv => kv.Key, kv => Patch(kv.Value, diffs.GetValueOrDefault(kv.Key)), StringComparer.Ordinal));
        }

        var sparse = config.Params.SparseVectors;
        if (request.SparseVectors is { Count: > 0 } sparseDiffs)
        {
            var patched = new Dictionary<string, SparseVectorParams>(sparse ?? new Dictionary<string, SparseVectorParams>(), StringComparer.Ordinal);
            foreach (var (name, diff) in sparseDiffs)
            {
                if (!patched.TryGetValue(name, out var current))
                {
                    return AvError.BadRequest($"Not existing vector name error: {name}");
                }

                patched[name] = current.Apply(diff);
            }

            sparse = patched;
        }

        return config with
        {
            Params = config.Params with
            {
                Vectors = vectors,
                SparseVectors = sparse,
                PayloadMemory = request.PayloadMemory ?? config.Params.PayloadMemory,
                OnDiskPayload = PayloadStorage.OnDisk(request.PayloadMemory ?? config.Params.PayloadMemory, request.OnDiskPayload ?? config.Params.OnDiskPayload),
                ReplicationFactor = request.ReplicationFactor ?? config.Params.ReplicationFactor,
                WriteConsistencyFactor = request.WriteConsistencyFactor ?? config.Params.WriteConsistencyFactor,
            },
            HnswConfig = config.HnswConfig.Apply(request.HnswConfig),
            OptimizersConfig = config.OptimizersConfig.Apply(request.OptimizersConfig),
            QuantizationConfig = request.QuantizationConfig is { } quantization ? quantization.Config : config.QuantizationConfig,
            StrictModeConfig = request.StrictModeConfig is { } strict ? (config.StrictModeConfig ?? new StrictModeConfig()).Apply(strict) : config.StrictModeConfig,
            Metadata = request.Metadata is { } metadata ? Collections.MetadataMerge.Apply(config.Metadata, metadata) : config.Metadata,
        };
    }

    private static VectorParams Patch(VectorParams p, VectorParamsDiff? diff)
    {
        if (diff is null)
        {
            return p;
        }

        var hnsw = diff.HnswConfig is null ? p.HnswConfig : Merge(p.HnswConfig, diff.HnswConfig);
        return p with
        {
            HnswConfig = hnsw,
            OnDisk = diff.OnDisk ?? p.OnDisk,
            Memory = diff.Memory ?? p.Memory,
            QuantizationConfig = diff.QuantizationConfig is { } quantization ? quantization.Config : p.QuantizationConfig,
        };
    }

    private static HnswConfigDiff Merge(HnswConfigDiff? a, HnswConfigDiff b) => a is null ? b : new HnswConfigDiff(
        b.M ?? a.M, b.EfConstruct ?? a.EfConstruct, b.FullScanThreshold ?? a.FullScanThreshold,
        b.MaxIndexingThreads ?? a.MaxIndexingThreads, b.OnDisk ?? a.OnDisk, b.PayloadM ?? a.PayloadM) { Memory = b.Memory ?? a.Memory };

    public ValueTask<Result<bool>> DeleteAsync(AccessContext access, string name, CancellationToken ct)
    {
        if (!access.CanManage)
        {
            return ValueTask.FromResult<Result<bool>>(s_manageRequired);
        }

        return ValueTask.FromResult(Guard(() =>
        {
            var deleted = _toc.Delete(name);
            if (deleted.IsOk)
            {
                CollectionDeleted(name);
            }

            return deleted;
        }));
    }

    public Result<CollectionInfo> GetInfo(AccessContext access, string name) =>
        Guard(() => Resolve(access, name, AccessLevel.Read).Map(c => c.Info()));

    public Result<IReadOnlyList<string>> List(AccessContext access) =>
        Guard<IReadOnlyList<string>>(() => _toc.Names().Where(access.CanSee).ToList());

    public Result<bool> Exists(AccessContext access, string name)
    {
        if (access.LevelFor(name) < AccessLevel.Read)
        {
            return AvError.Forbidden($"Access to collection {name} is required");
        }

        // A collection still loading, or that could not be loaded, exists (its requests answer 503 with the reason).
        var found = _toc.Resolve(name);
        return found.IsOk || found.Error.Kind == ErrorKind.Unavailable;
    }

    public ValueTask<Result<bool>> UpdateAliasesAsync(AccessContext access, IReadOnlyList<AliasOperation> operations, CancellationToken ct)
    {
        if (!access.CanManage)
        {
            return ValueTask.FromResult<Result<bool>>(s_manageRequired);
        }

        return ValueTask.FromResult(Guard(() => _space.Refusal(_options.DefaultWal.WalCapacityMb) is { } full ? full : _toc.UpdateAliases(operations)));
    }

    public Result<IReadOnlyList<AliasDescription>> ListAliases(AccessContext access) =>
        Guard<IReadOnlyList<AliasDescription>>(() => _toc.Aliases().Where(a => access.CanSee(a.CollectionName)).ToList());

    public Result<IReadOnlyList<AliasDescription>> ListCollectionAliases(AccessContext access, string collection) =>
        Guard<IReadOnlyList<AliasDescription>>(() =>
        {
            var found = Resolve(access, collection, AccessLevel.Read);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            return _toc.Aliases().Where(a => a.CollectionName == c.Name).ToList();
        });
}
