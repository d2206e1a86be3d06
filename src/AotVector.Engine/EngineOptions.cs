using AotVector.Engine.Api;

namespace AotVector.Engine;

/// <summary>What the engine needs from the server configuration.</summary>
public sealed record EngineOptions(
    string StoragePath,
    HnswConfig DefaultHnsw,
    OptimizersConfig DefaultOptimizers,
    WalConfig DefaultWal,
    bool DefaultOnDiskPayload = true)
{
    /// <summary>
    /// Load the stored collections on a thread of their own after <see cref="VectorEngine.Open"/> returns (the server,
    /// so its probes answer while a large storage loads); otherwise Open returns once they are loaded.
    /// </summary>
    public bool LoadInBackground { get; init; }

    /// <summary>
    /// Writes are refused (507) while the storage's file system has less free space than this many megabytes, so the
    /// disk never fills up under a write; null means twice the collection's WAL capacity (the reference's margin), 0 no check.
    /// </summary>
    public ulong? MinFreeSpaceMb { get; init; }

    /// <summary><c>storage.snapshots_path</c>: where snapshots are written and <c>file://</c> recovery may read.</summary>
    public string SnapshotsPath { get; init; } = "./snapshots";

    /// <summary><c>storage.temp_path</c>: uploads and restores in progress; null means a directory inside the storage.</summary>
    public string? TempPath { get; init; }

    /// <summary><c>service.enable_snapshot_url_recovery</c>: whether <c>http(s)</c> locations may be recovered from.</summary>
    public bool SnapshotUrlRecovery { get; init; } = true;

    /// <summary>Downloads <c>http(s)</c> snapshot locations; null refuses URL recovery.</summary>
    public Ports.ISnapshotFetcher? SnapshotFetcher { get; init; }

    /// <summary>
    /// Cluster mode: collections hold only the shards placed on this peer and reach the others through the
    /// <see cref="Cluster.ClusterLinks"/> given to <see cref="VectorEngine.UseCluster"/>.
    /// </summary>
    public bool Clustered { get; init; }

    /// <summary><c>storage.collection.strict_mode</c>: the strict mode a new collection starts from; null: none.</summary>
    public StrictModeConfig? DefaultStrictMode { get; init; }

    /// <summary>The process's resident memory in percent of the machine's (strict mode's deprecated limit); null measures it (tests set it).</summary>
    public Func<uint?>? ResidentMemoryPercent { get; init; }

    public static EngineOptions Defaults(string storagePath) =>
        new(storagePath, HnswConfig.Default, OptimizersConfig.Default, WalConfig.Default);
}
