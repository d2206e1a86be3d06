using AotVector.Segment;

namespace AotVector.Engine.Shards;

/// <summary>
/// What a local shard's optimizer aims for, from the collection's optimizers_config and hnsw_config:
/// seal the appendable segment past <see cref="IndexingThresholdKb"/> (0 = never for indexing) or
/// <see cref="MaxSegmentSizeKb"/>; keep at most <see cref="TargetSegments"/> sealed segments by merging the
/// smallest; vacuum a sealed segment whose deleted share passes <see cref="DeletedThreshold"/> once it holds at
/// least <see cref="VacuumMinVectors"/> deleted points; give every sealed segment its graphs and its sparse vectors'
/// index files (<see cref="SparseIndexFor"/>; none without it). New segments keep their payloads on disk when
/// <see cref="OnDiskPayload"/>; sealed segments in the other placement are rewritten.
/// </summary>
internal sealed record OptimizerPolicy(
    ulong IndexingThresholdKb,
    ulong MaxSegmentSizeKb,
    int TargetSegments,
    double DeletedThreshold,
    ulong VacuumMinVectors,
    Func<string, IndexingPolicy> IndexingFor,
    Func<string, SparseIndexPolicy>? SparseIndexFor = null,
    bool OnDiskPayload = false);
