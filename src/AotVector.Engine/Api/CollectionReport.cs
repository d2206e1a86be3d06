namespace AotVector.Engine.Api;

/// <summary>One segment for telemetry: role, live and deleted points, stored and graph-covered vectors.</summary>
public sealed record SegmentReport(string Id, bool Appendable, ulong Points, ulong Vectors, ulong IndexedVectors, ulong DeletedPoints);

/// <summary>
/// Everything the engine knows about a collection for telemetry and metrics: its info, vectors per name, segments,
/// and the optimizer's state and history since the server started.
/// </summary>
public sealed record CollectionReport(
    string Name,
    CollectionInfo Info,
    IReadOnlyDictionary<string, ulong> VectorsByName,
    IReadOnlyList<SegmentReport> Segments,
    OptimizationsReport Optimizations,
    ulong OptimizationsRun,
    ulong OptimizationsFailed,
    ulong TotalOptimizedPoints)
{
    /// <summary>Snapshot creations and recoveries of this collection, filled in by the engine.</summary>
    public SnapshotActivity Snapshots { get; init; }
}
