namespace AotVector.Engine.Api;

/// <summary>Optimizer parameters (Qdrant defaults; thresholds in KB).</summary>
public sealed record OptimizersConfig(
    double DeletedThreshold,
    ulong VacuumMinVectorNumber,
    ulong DefaultSegmentNumber,
    ulong? MaxSegmentSize,
    ulong? MemmapThreshold,
    ulong? IndexingThreshold,
    ulong FlushIntervalSec,
    ulong? MaxOptimizationThreads)
{
    public static readonly OptimizersConfig Default = new(0.2, 1000, 0, null, null, 10_000, 5, null);

    public OptimizersConfig Apply(OptimizersConfigDiff? diff) => diff is null ? this : new(
        diff.DeletedThreshold ?? DeletedThreshold,
        diff.VacuumMinVectorNumber ?? VacuumMinVectorNumber,
        diff.DefaultSegmentNumber ?? DefaultSegmentNumber,
        diff.MaxSegmentSize ?? MaxSegmentSize,
        diff.MemmapThreshold ?? MemmapThreshold,
        diff.IndexingThreshold ?? IndexingThreshold,
        diff.FlushIntervalSec ?? FlushIntervalSec,
        diff.MaxOptimizationThreads ?? MaxOptimizationThreads);
}

public sealed record OptimizersConfigDiff(
    double? DeletedThreshold = null,
    ulong? VacuumMinVectorNumber = null,
    ulong? DefaultSegmentNumber = null,
    ulong? MaxSegmentSize = null,
    ulong? MemmapThreshold = null,
    ulong? IndexingThreshold = null,
    ulong? FlushIntervalSec = null,
    ulong? MaxOptimizationThreads = null);
