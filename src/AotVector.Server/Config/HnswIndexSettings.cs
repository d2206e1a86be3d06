namespace AotVector.Server.Config;

/// <summary>The <c>storage.hnsw_index</c> section: HNSW defaults for new collections.</summary>
internal sealed record HnswIndexSettings
{
    /// <summary><c>m</c>: links per node; 0 builds no graph.</summary>
    public int M { get; init; } = 16;

    /// <summary><c>ef_construct</c>, at least 4.</summary>
    public int EfConstruct { get; init; } = 100;

    /// <summary><c>full_scan_threshold_kb</c> (alias <c>full_scan_threshold</c>).</summary>
    public int FullScanThresholdKb { get; init; } = 10000;

    /// <summary><c>max_indexing_threads</c>; 0 means automatic.</summary>
    public int MaxIndexingThreads { get; init; }

    /// <summary><c>on_disk</c>.</summary>
    public bool OnDisk { get; init; }

    /// <summary><c>payload_m</c>; null reuses <see cref="M"/>.</summary>
    public int? PayloadM { get; init; }
}
