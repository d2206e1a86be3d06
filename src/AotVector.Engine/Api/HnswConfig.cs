namespace AotVector.Engine.Api;

/// <summary>
/// HNSW parameters (Qdrant defaults: m 16, ef_construct 100, full_scan_threshold 10000 KB). <see cref="Memory"/>: the
/// graph's placement, <c>cold</c>, <c>cached</c> or <c>pinned</c>, over the deprecated <see cref="OnDisk"/> (null: as
/// <see cref="OnDisk"/> says, cold when true, else cached).
/// </summary>
public sealed record HnswConfig(ulong M, ulong EfConstruct, ulong FullScanThreshold, ulong MaxIndexingThreads, bool OnDisk, ulong? PayloadM)
{
    public static readonly HnswConfig Default = new(16, 100, 10_000, 0, false, null);

    public string? Memory { get; init; }

    public HnswConfig Apply(HnswConfigDiff? diff) => diff is null ? this : new(
        diff.M ?? M,
        diff.EfConstruct ?? EfConstruct,
        diff.FullScanThreshold ?? FullScanThreshold,
        diff.MaxIndexingThreads ?? MaxIndexingThreads,
        diff.OnDisk ?? OnDisk,
        diff.PayloadM ?? PayloadM)
    {
        Memory = diff.Memory ?? Memory,
    };
}

/// <summary>Only the HNSW parameters a request sets.</summary>
public sealed record HnswConfigDiff(ulong? M = null, ulong? EfConstruct = null, ulong? FullScanThreshold = null, ulong? MaxIndexingThreads = null, bool? OnDisk = null, ulong? PayloadM = null)
{
    public string? Memory { get; init; }
}
