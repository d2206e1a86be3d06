namespace AotVector.Server.Config;

/// <summary>The <c>storage</c> section. Paths are kept as written; resolve them with <see cref="LoadedSettings.ResolvePath"/>.</summary>
internal sealed record StorageSettings
{
    /// <summary><c>storage.storage_path</c>.</summary>
    public string StoragePath { get; init; } = "./storage";

    /// <summary><c>storage.snapshots_path</c>.</summary>
    public string SnapshotsPath { get; init; } = "./snapshots";

    /// <summary><c>storage.temp_path</c>; null means a folder under the storage path.</summary>
    public string? TempPath { get; init; }

    /// <summary><c>storage.on_disk_payload</c>.</summary>
    public bool OnDiskPayload { get; init; } = true;

    /// <summary>
    /// <c>storage.min_free_space_mb</c> (ours; the reference has no key and keeps twice a collection's WAL capacity
    /// free): writes are refused with 507 while the storage's file system has less free space than this. Null keeps
    /// the reference's floor, 0 turns the check off.
    /// </summary>
    public int? MinFreeSpaceMb { get; init; }

    public WalSettings Wal { get; init; } = new();

    public PerformanceSettings Performance { get; init; } = new();

    public OptimizersSettings Optimizers { get; init; } = new();

    public HnswIndexSettings HnswIndex { get; init; } = new();

    /// <summary><c>storage.collection.strict_mode</c>: the strict mode a new collection starts from; null: none.</summary>
    public Engine.Api.StrictModeConfig? DefaultStrictMode { get; init; }
}
