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

    public static EngineOptions Defaults(string storagePath) =>
        new(storagePath, HnswConfig.Default, OptimizersConfig.Default, WalConfig.Default);
}
