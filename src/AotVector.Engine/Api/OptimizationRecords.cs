namespace AotVector.Engine.Api;

public enum OptimizationState : byte
{
    Running = 1,
    Done = 2,
    Cancelled = 3,
    Failed = 4,
}

/// <summary>A segment as the optimizer sees it: its id (the name of its directory) and its live points.</summary>
public sealed record OptimizationSegment(string Id, ulong Points);

/// <summary>
/// One optimizer job, running or finished. <see cref="Optimizer"/> uses the reference's optimizer names (indexing,
/// merge, vacuum, config_mismatch); <see cref="Reason"/> says why a job was cancelled or failed.
/// </summary>
public sealed record OptimizationRecord(
    string Id,
    string Optimizer,
    OptimizationState State,
    string? Reason,
    IReadOnlyList<OptimizationSegment> Segments,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>A job the optimizer would run next.</summary>
public sealed record PendingOptimization(string Optimizer, IReadOnlyList<OptimizationSegment> Segments);

/// <summary>
/// A collection's optimizer at one moment. <see cref="Queued"/> holds the job each shard's planner picks next
/// (the planner decides one job at a time, so this is the head of the queue, not all of it); <see cref="Idle"/> the
/// segments neither running nor queued; <see cref="Completed"/> the most recent finished jobs, newest first.
/// </summary>
public sealed record OptimizationsReport(
    IReadOnlyList<OptimizationRecord> Running,
    IReadOnlyList<PendingOptimization> Queued,
    IReadOnlyList<OptimizationRecord> Completed,
    IReadOnlyList<OptimizationSegment> Idle);
