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
    public static EngineOptions Defaults(string storagePath) =>
        new(storagePath, HnswConfig.Default, OptimizersConfig.Default, WalConfig.Default);
}
