namespace AotVector.Server.Config;

/// <summary>The <c>storage.optimizers</c> section: optimizer defaults for new collections.</summary>
internal sealed record OptimizersSettings
{
    /// <summary><c>deleted_threshold</c>, from 0 to 1.</summary>
    public double DeletedThreshold { get; init; } = 0.2;

    /// <summary><c>vacuum_min_vector_number</c>, at least 100 (Qdrant's lower bound).</summary>
    public int VacuumMinVectorNumber { get; init; } = 1000;

    /// <summary><c>default_segment_number</c>; 0 means derived from the CPU count.</summary>
    public int DefaultSegmentNumber { get; init; }

    /// <summary><c>max_segment_size_kb</c> (alias <c>max_segment_size</c>); null means automatic.</summary>
    public int? MaxSegmentSizeKb { get; init; }

    /// <summary><c>memmap_threshold_kb</c> (alias <c>memmap_threshold</c>); deprecated, kept for old files.</summary>
    public int? MemmapThresholdKb { get; init; }

    /// <summary><c>indexing_threshold_kb</c> (alias <c>indexing_threshold</c>); 0 turns indexing off.</summary>
    public int? IndexingThresholdKb { get; init; } = 10000;

    /// <summary><c>flush_interval_sec</c>.</summary>
    public int FlushIntervalSec { get; init; } = 5;

    /// <summary><c>max_optimization_threads</c>; null means no limit, 0 turns optimization off.</summary>
    public int? MaxOptimizationThreads { get; init; }
}
