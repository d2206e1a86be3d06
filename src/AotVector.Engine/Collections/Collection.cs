using System.Globalization;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Engine.Shards;
using AotVector.Segment;
using Microsoft.Extensions.Logging;

namespace AotVector.Engine.Collections;

/// <summary>
/// One collection: its configuration and its shards. Reads and writes reach shards only through
/// <see cref="IShardPlacement"/>, by point id where there is one, so a placement over several (or remote) shards
/// needs no change here; background work (flushes, the optimizer) runs on the shards this collection holds locally.
/// Validation that needs only the configuration happens here, before anything reaches a shard.
/// </summary>
internal sealed partial class Collection : IDisposable
{
    // Replaced as a whole (never edited) when a transfer gives this peer a replica or one is dropped (Collection.Replicas.cs).
    private IReadOnlyList<LocalShard> _local;
    private readonly ILogger _logger;
    private readonly Lock _placing = new();

    // Replaced once in cluster mode, when the agreed replicas are first known (see Place).
    private IShardPlacement _placement;

    // Set on a view of one shard (see ShardView): the collection it is part of.
    private readonly Collection? _whole;

    private Collection(string name, string directory, CollectionConfig config, IReadOnlyList<LocalShard> local, IShardPlacement placement, ILogger logger)
    {
        Name = name;
        Directory = directory;
        Config = config;
        _local = local;
        _placement = placement;
        _logger = logger;
    }

    // A view that reads only `shard` (lookups by id still reach every shard), for what the reference runs per shard.
    private Collection(Collection whole, IShard shard)
    {
        Name = whole.Name;
        Directory = whole.Directory;
        Config = whole.Config;
        _local = [];
        _placement = new OneShardScope(whole._placement, shard);
        _logger = whole._logger;
        _whole = whole;
    }

    public string Name { get; }

    public string Directory { get; }

    public CollectionConfig Config { get; private set; }

    /// <summary>
    /// Creates the collection's files. <paramref name="localShards"/> null: every shard is here (standalone);
    /// otherwise only those shard ids are (a cluster peer's replicas), and the collection serves once placed.
    /// </summary>
    public static Collection Create(string name, string directory, CollectionConfig config, ILogger logger, IReadOnlyList<uint>? localShards = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var shards = OpenShards(directory, config, logger, localShards);

        // The config file is written last: a directory without it is an unfinished create.
        CollectionConfigStore.Save(directory, name, config);
        // A cluster peer may hold none of the shards: it serves once placed, as when it is opened.
        var collection = localShards is null ? OverShards(name, directory, config, shards, logger) : Unplaced(name, directory, config, shards, logger);
        collection.MatchVectors();
        return collection;
    }

    /// <summary>
    /// Opens a stored collection. <paramref name="clustered"/>: the collection holds only the shards whose directories
    /// exist (a cluster peer's replicas) and serves once placed; otherwise every shard is opened (or created).
    /// </summary>
    public static Collection Open(string directory, ILogger logger, bool clustered = false)
    {
        var (name, config) = CollectionConfigStore.Load(directory);
        var shards = OpenShards(directory, config, logger, clustered ? StoredShards(directory, config) : null);
        var collection = clustered ? Unplaced(name, directory, config, shards, logger) : OverShards(name, directory, config, shards, logger);
        try
        {
            collection.MatchVectors();
        }
        catch
        {
            collection.Dispose();
            throw;
        }

        return collection;
    }

    // Shards 0..shard_number-1 (or only `ids`), each in the directory named by its id (one shard has only "0").
    private static List<LocalShard> OpenShards(string directory, CollectionConfig config, ILogger logger, IReadOnlyList<uint>? ids)
    {
        var count = Math.Max(config.Params.ShardNumber, 1u);
        var shards = new List<LocalShard>((int)Math.Min(count, 1024u));
        try
        {
            foreach (var id in ids ?? Enumerable.Range(0, (int)Math.Min(count, 1024u)).Select(i => (uint)i))
            {
                shards.Add(LocalShard.Create(Path.Combine(directory, id.ToString(CultureInfo.InvariantCulture)), id, config.Params.Vectors, config.WalConfig, logger, config.Params.OnDiskPayload));
            }
        }
        catch
        {
            foreach (var opened in shards)
            {
                opened.Dispose();
            }

            throw;
        }

        return shards;
    }

    // The shard ids with a directory here, within the configured shard number.
    private static List<uint> StoredShards(string directory, CollectionConfig config)
    {
        var ids = new List<uint>();
        foreach (var dir in System.IO.Directory.GetDirectories(directory))
        {
            if (uint.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < Math.Max(config.Params.ShardNumber, 1u))
            {
                ids.Add(id);
            }
        }

        ids.Sort();
        return ids;
    }

    // A cluster collection before its replicas are known: every shard answers that it is not placed yet.
    private static Collection Unplaced(string name, string directory, CollectionConfig config, List<LocalShard> shards, ILogger logger) =>
        new(name, directory, config, shards, new HashRingPlacement(Enumerable.Range(0, (int)Math.Max(config.Params.ShardNumber, 1u)).Select(id => new UnplacedShard(name, (uint)id))), logger);

    /// <summary>The replica sets of a placed cluster collection; null standalone or before it is placed.</summary>
    public ReplicatedPlacement? Replicas => Volatile.Read(ref _placement) as ReplicatedPlacement;

    /// <summary>
    /// Makes a cluster collection's replicas those agreed (shard id → peer id → state): the first call builds a
    /// replica set per shard over this peer's shards and the other peers', later calls only change replicas.
    /// </summary>
    public void Place(ClusterLinks links, IReadOnlyDictionary<uint, SortedDictionary<ulong, ReplicaState>> shards)
    {
        lock (_placing)
        {
            if (Volatile.Read(ref _placement) is ReplicatedPlacement placed)
            {
                placed.WriteConsistencyFactor = (int)Config.Params.WriteConsistencyFactor;
                placed.Apply(shards);
                return;
            }

            var local = _local.ToDictionary(s => s.ShardId, s => (IShard)s);
            var replicated = new ReplicatedPlacement(Name, Config.Params.ShardNumber, links, local, (int)Config.Params.WriteConsistencyFactor);
            replicated.Apply(shards);
            Volatile.Write(ref _placement, replicated);
        }
    }

    /// <summary>
    /// This collection read with <paramref name="consistency"/>: a view whose shards ask as many replicas as it says
    /// (itself when there is nothing to change: standalone, or one replica asked).
    /// </summary>
    public Collection Reading(ReadConsistency consistency) =>
        consistency is { Kind: ReadConsistencyKind.Factor, Factor: <= 1 } || Replicas is not { } replicated
            ? this
            : new Collection(this, replicated.Reading(consistency));

    // A view that reads through `placement` (the same shards, asked differently).
    private Collection(Collection source, IShardPlacement placement)
    {
        Name = source.Name;
        Directory = source.Directory;
        Config = source.Config;
        _local = source._local;
        _placement = placement;
        _logger = source._logger;
    }

    /// <summary>A collection over the given local shards and a placement that routes to them (tests).</summary>
    internal static Collection ForTests(string name, string directory, CollectionConfig config, IReadOnlyList<LocalShard> local, IShardPlacement placement, ILogger logger) =>
        new(name, directory, config, local, placement, logger);

    // One shard needs no ring: every point is in it, as before collections could have more.
    private static Collection OverShards(string name, string directory, CollectionConfig config, List<LocalShard> shards, ILogger logger) =>
        new(name, directory, config, shards, shards.Count == 1 ? new SingleShardPlacement(shards[0]) : new HashRingPlacement(shards), logger);

    public void UpdateConfig(CollectionConfig config)
    {
        CollectionConfigStore.Save(Directory, Name, config);
        Config = config;
        if (Replicas is { } replicated)
        {
            replicated.WriteConsistencyFactor = (int)config.Params.WriteConsistencyFactor;
        }
    }

    /// <summary>The shards this collection holds on this machine (tests drive and inspect them).</summary>
    internal IReadOnlyList<LocalShard> LocalShards => _local;

    public ulong PointsCount => (ulong)_placement.AllShards.Sum(s => (long)s.PointsCount);

    /// <summary>Points in the shards stored on this machine (no other peer asked).</summary>
    public ulong LocalPointsCount => (ulong)_local.Sum(s => (long)s.PointsCount);

    public Result<UpdateResult> Update(UpdateOperation operation, bool wait, WriteOrdering ordering = WriteOrdering.Weak)
    {
        var invalid = Validate(operation);
        if (invalid is { } error)
        {
            return error;
        }

        // Every part goes to the shard that holds its points; with one shard, that is the operation itself.
        Result<UpdateResult> result = default;
        foreach (var (shard, part) in ShardRouting.Route(_placement, operation))
        {
            result = ordering != WriteOrdering.Weak && shard is ReplicaSet set ? set.Update(part, wait, ordering) : shard.Update(part, wait);
            if (!result.IsOk)
            {
                return result;
            }
        }

        return result;
    }

    public CollectionInfo Info()
    {
        // As the reference: a cluster shard none of whose replicas answers fails the request, naming the shard
        // (ShardUnavailableException), rather than being left out of the figures.
        var reachable = _placement.AllShards;
        var schema = new Dictionary<string, PayloadSchemaInfo>(StringComparer.Ordinal);
        foreach (var shard in reachable)
        {
            foreach (var (field, info) in shard.PayloadSchema)
            {
                schema[field] = schema.TryGetValue(field, out var seen) ? seen with { Points = seen.Points + info.Points } : info;
            }
        }

        // Yellow while an optimization runs or is due (Qdrant's grey "pending" folds into yellow: ours start by themselves).
        var policy = OptimizerPolicy();
        var optimizing = _local.Any(s => s.IsOptimizing || s.HasPendingOptimization(policy));
        return new CollectionInfo(
            optimizing ? CollectionStatus.Yellow : CollectionStatus.Green,
            _local.Select(s => s.OptimizerError).FirstOrDefault(e => e is not null),
            (ulong)reachable.Sum(s => (long)s.PointsCount),
            (ulong)reachable.Sum(s => (long)s.IndexedVectorsCount),
            (ulong)reachable.Sum(s => (long)s.SegmentsCount),
            Config,
            schema);
    }

    /// <summary>Runs one pending background optimization per local shard, if any; returns whether it did work.</summary>
    public bool Optimize(int threads, CancellationToken ct)
    {
        var policy = OptimizerPolicy();
        var worked = false;
        foreach (var shard in _local)
        {
            worked |= shard.Optimize(policy, threads, ct);
        }

        return worked;
    }

    // Qdrant's automatic choices: as many sealed segments as CPUs, at most 200 MB of vectors per segment per CPU.
    private OptimizerPolicy OptimizerPolicy()
    {
        var config = Config;
        var optimizers = config.OptimizersConfig;
        var threshold = optimizers.IndexingThreshold ?? OptimizersConfig.Default.IndexingThreshold!.Value;
        IndexingPolicy PolicyFor(string vectorName)
        {
            var hnsw = config.HnswConfig.Apply(config.Params.Vectors.Find(vectorName)?.HnswConfig);
            QuantizationSettings? quantization = config.QuantizationFor(vectorName) switch
            {
                { Kind: QuantizationKind.Scalar } scalar => new ScalarQuantization(scalar.Quantile, scalar.AlwaysRam),
                { Kind: QuantizationKind.Binary } binary => new BinaryQuantization(binary.Encoding ?? BinaryEncoding.OneBit, binary.QueryEncoding ?? BinaryQueryEncoding.Default, binary.AlwaysRam),
                { Kind: QuantizationKind.Product, Compression: { } compression } product => new ProductQuantization(compression, product.AlwaysRam),
                _ => null,
            };
            var placement = PlacementPolicy.For(config.Params.Vectors.Find(vectorName), hnsw, config.QuantizationFor(vectorName), optimizers);
            return new IndexingPolicy(threshold, (int)Math.Min(hnsw.M, 512), (int)Math.Min(hnsw.EfConstruct, 100_000), quantization,
                (int)Math.Min(hnsw.PayloadM ?? hnsw.M, 512), hnsw.FullScanThreshold, placement);
        }

        // The reference keeps a sparse index in memory unless memory (or on_disk) says otherwise; float32 weights by default.
        SparseIndexPolicy SparseFor(string vectorName)
        {
            var index = config.Params.SparseVectors?.GetValueOrDefault(vectorName)?.Index;
            var type = index?.Datatype switch
            {
                "float16" => Segment.Index.Sparse.SparseValueType.Float16,
                "uint8" => Segment.Index.Sparse.SparseValueType.UInt8,
                _ => Segment.Index.Sparse.SparseValueType.Float32,
            };
            return new SparseIndexPolicy(threshold, index?.IndexOnDisk ?? false, type);
        }

        var cpus = Environment.ProcessorCount;
        return new OptimizerPolicy(
            threshold,
            optimizers.MaxSegmentSize is { } max and > 0 ? max : 200_000UL * (ulong)cpus,
            optimizers.DefaultSegmentNumber > 0 ? (int)Math.Min(optimizers.DefaultSegmentNumber, 1024) : cpus,
            optimizers.DeletedThreshold,
            optimizers.VacuumMinVectorNumber,
            PolicyFor,
            SparseFor,
            config.Params.OnDiskPayload);
    }

    public void Flush()
    {
        foreach (var shard in _local)
        {
            try
            {
                shard.Flush();
            }
            catch (IOException e)
            {
                EngineLog.FlushFailed(_logger, Name, e.Message);
            }
        }
    }

    internal void Abandon()
    {
        foreach (var shard in _local)
        {
            shard.Abandon();
        }
    }

    public void Dispose()
    {
        Replicas?.Dispose();
        foreach (var shard in _local)
        {
            shard.Dispose();
        }
    }

    private AvError? Validate(UpdateOperation operation)
    {
        switch (operation)
        {
            case UpsertPoints u:
                foreach (var p in u.Points)
                {
                    if (Config.Params.Vectors.Single is not null && !p.Vectors.ContainsKey(VectorsConfig.DefaultName))
                    {
                        return AvError.BadRequest($"Vector is required for point {p.Id}");
                    }

                    if (CheckVectors(p.Vectors) is { } e)
                    {
                        return e;
                    }
                }

                return null;
            case UpdateVectors uv:
                foreach (var p in uv.Points)
                {
                    if (CheckVectors(p.Vectors) is { } e)
                    {
                        return e;
                    }
                }

                return null;
            case DeleteVectors dv:
                foreach (var name in dv.VectorNames)
                {
                    if (Config.Params.Vectors.Find(name) is null && SparseParams(name) is null)
                    {
                        return NoSuchVector(name);
                    }
                }

                return null;
            case SetPayload sp when sp.Key is not null:
                return PathError(sp.Key);
            case DeletePayloadKeys dk:
                foreach (var key in dk.Keys)
                {
                    if (PathError(key) is { } e)
                    {
                        return e;
                    }
                }

                return null;
            case CreateFieldIndex ci:
                if (FieldIndexOptions.Check(ci) is { } optionsError)
                {
                    return optionsError;
                }

                if (ci.Text is { } text && TextIndexRules.Check(text) is { } textError)
                {
                    return textError;
                }

                return string.IsNullOrEmpty(ci.FieldName) ? AvError.BadRequest("field_name must not be empty") : PathError(ci.FieldName);
            default:
                return null;
        }
    }

    private AvError? CheckVectors(IReadOnlyDictionary<string, VectorData> vectors)
    {
        foreach (var (name, data) in vectors)
        {
            if (SparseParams(name) is not null)
            {
                if (data is not SparseVector sparse)
                {
                    return WrongSparse;
                }

                if (CheckSparse(name, sparse) is { } sparseError)
                {
                    return sparseError;
                }

                continue;
            }

            var p = Config.Params.Vectors.Find(name);
            if (p is null)
            {
                return NoSuchVector(name);
            }

            if (p.MultivectorConfig is not null || data is MultiDenseVector)
            {
                if (CheckMulti(data, p) is { } multiError)
                {
                    return multiError;
                }

                continue;
            }

            if (data is not DenseVector { Values: var v })
            {
                return WrongSparse;
            }

            if ((ulong)v.Length != p.Size)
            {
                return AvError.BadRequest($"Vector dimension error: expected dim: {p.Size}, got {v.Length}");
            }

            if (NonFinite(v) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>
    /// A NaN or infinite component (a JSON number past float's range, such as 1e39, reads as infinity) would give NaN
    /// or infinite scores that sort above every real match: refused in stored and query vectors alike.
    /// </summary>
    internal static AvError? NonFinite(float[] vector)
    {
        foreach (var x in vector)
        {
            if (!float.IsFinite(x))
            {
                return AvError.BadRequest("vector values must be finite numbers (got NaN or infinity)");
            }
        }

        return null;
    }

    private static AvError? PathError(string path)
    {
        var parsed = JsonPath.Parse(path);
        return parsed.IsOk ? null : parsed.Error;
    }

    internal static AvError WrongSparse => SparseRules.WrongSparse;

    /// <summary>The parameters of the sparse vector <paramref name="name"/>, or null when the collection has none by that name.</summary>
    internal SparseVectorParams? SparseParams(string name) =>
        Config.Params.SparseVectors is { } sparse && sparse.TryGetValue(name, out var p) ? p : null;

    /// <summary>
    /// The reference's checks of a sparse vector, stored or queried: as many values as indices, no index twice, finite
    /// values. The message names the vector and the field, and is the same whichever front end carried it.
    /// </summary>
    internal static AvError? CheckSparse(string name, SparseVector vector)
    {
        if (vector.Indices.Length != vector.Values.Length)
        {
            return AvError.BadRequest($"sparse vector {name}: values must be the same length as indices ({vector.Values.Length} values, {vector.Indices.Length} indices)");
        }

        if (vector.Indices.Length > 1)
        {
            var sorted = (uint[])vector.Indices.Clone();
            Array.Sort(sorted);
            for (var i = 1; i < sorted.Length; i++)
            {
                if (sorted[i] == sorted[i - 1])
                {
                    return AvError.BadRequest($"sparse vector {name}: indices must be unique (index {sorted[i]} appears more than once)");
                }
            }
        }

        return NonFinite(vector.Values);
    }

    internal static AvError NoSuchVector(string name) => AvError.BadRequest($"Not existing vector name error: {name}");
}
