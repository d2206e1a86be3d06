using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Collections;
using AotVector.Engine.Operations;
using AotVector.Engine.Strict;

namespace AotVector.Engine;

/// <summary>
/// Strict mode, checked once here for every front end: after access (so a caller without it learns nothing of the
/// collection's limits), before the work. Then the rate limiters, as the reference charges them after its checks.
/// </summary>
public sealed partial class VectorEngine
{
    private static StrictModeConfig? Strict(Collection c) => c.Config.StrictModeConfig is { IsEnabled: true } strict ? strict : null;

    /// <summary>A read's own checks, then its timeout, then its cost to the read limiter.</summary>
    private AvError? StrictRead(Collection c, Func<StrictModeConfig, AvError?> check, TimeSpan? timeout, Func<ulong> cost)
    {
        if (Strict(c) is not { } strict)
        {
            return null;
        }

        return check(strict)
            ?? StrictModeCheck.Timeout(timeout, strict)
            ?? c.StrictState.ReadLimiter(strict, _time)?.TryConsume(cost(), "Read");
    }

    /// <summary>A batch of queries: its size, each query, the timeout, then the cost of all of them at once.</summary>
    private AvError? StrictReadBatch(Collection c, IReadOnlyList<QueryRequest> requests, TimeSpan? timeout)
    {
        if (Strict(c) is not { } strict)
        {
            return null;
        }

        if (StrictModeCheck.Batch(requests.Count, strict) is { } tooMany)
        {
            return tooMany;
        }

        foreach (var request in requests)
        {
            if (StrictModeCheck.Query(request, strict, c) is { } refused)
            {
                return refused;
            }
        }

        return StrictModeCheck.Timeout(timeout, strict)
            ?? c.StrictState.ReadLimiter(strict, _time)?.TryConsume(requests.Aggregate(0UL, (sum, r) => sum + RateCost.Query(r)), "Read");
    }

    /// <summary>A write's own checks, the resident-memory limit for writes that grow memory, its timeout, then its cost to the write limiter.</summary>
    private AvError? StrictWrite(Collection c, UpdateOperation operation, TimeSpan? timeout)
    {
        if (Strict(c) is not { } strict)
        {
            return null;
        }

        return StrictModeCheck.Update(operation, strict, c)
            ?? (StrictModeCheck.ConsumesMemory(operation) ? StrictModeCheck.ResidentMemory(strict, _options.ResidentMemoryPercent ?? ResidentMemoryPercent) : null)
            ?? StrictModeCheck.Timeout(timeout, strict)
            ?? c.StrictState.WriteLimiter(strict, _time)?.TryConsume(WriteCost(c, operation), "Write");
    }

    // The points a write touches, at least 1: its points or ids, or the points its filter is estimated to match.
    private static ulong WriteCost(Collection c, UpdateOperation operation)
    {
        var selector = operation switch
        {
            DeletePoints d => d.Selector,
            SetPayload s => s.Selector,
            OverwritePayload o => o.Selector,
            DeletePayloadKeys d => d.Selector,
            ClearPayload d => d.Selector,
            DeleteVectors d => d.Selector,
            _ => null,
        };
        ulong touched = operation switch
        {
            UpsertPoints u => (ulong)u.Points.Count,
            UpdateVectors u => (ulong)u.Points.Count,
            _ when selector?.Ids is { } ids => (ulong)ids.Count,
            _ when selector?.Filter is { } filter && c.Count(new CountRequest(filter, false), CancellationToken.None).TryGet(out var n, out _) => n,
            _ => 0,
        };
        return Math.Max(1, touched);
    }

    /// <summary>The process's resident memory as a percentage of what it may use (the machine's, or its cgroup's limit).</summary>
    private static uint? ResidentMemoryPercent()
    {
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return total <= 0 ? null : (uint)Math.Min(100, Environment.WorkingSet * 100 / total);
    }
}
