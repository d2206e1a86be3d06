using AotVector.Engine.Api;

namespace AotVector.Engine.Collections;

internal sealed partial class Collection
{
    /// <summary>What telemetry and metrics show of this collection (its local shards).</summary>
    public CollectionReport Report(int completedLimit)
    {
        var vectors = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var segments = new List<SegmentReport>();
        foreach (var shard in _local)
        {
            shard.CountVectors(vectors);
            segments.AddRange(shard.SegmentReports());
        }

        var (optimizations, done, failed, points) = Optimizations(completedLimit);
        return new CollectionReport(Name, Info(), vectors, segments, optimizations, done, failed, points);
    }

    /// <summary>The last optimization failure of any local shard, null while the optimizer works.</summary>
    public string? OptimizerError => _local.Select(s => s.OptimizerError).FirstOrDefault(e => e is not null);

    /// <summary>The local shards' segments past the indexing threshold that still lack a graph (searched exactly).</summary>
    public IReadOnlyList<(uint Shard, string Segment, ulong Points)> SegmentsAwaitingIndex()
    {
        var policy = OptimizerPolicy();
        var waiting = new List<(uint, string, ulong)>();
        foreach (var shard in _local)
        {
            waiting.AddRange(shard.SegmentsAwaitingIndex(policy).Select(s => (shard.ShardId, s.Segment, s.Points)));
        }

        return waiting;
    }

    /// <summary>Indexed payload fields and their index types.</summary>
    public IReadOnlyDictionary<string, PayloadSchemaType> IndexedFields()
    {
        var fields = new Dictionary<string, PayloadSchemaType>(StringComparer.Ordinal);
        foreach (var shard in _placement.AllShards)
        {
            foreach (var (field, info) in shard.PayloadSchema)
            {
                fields[field] = info.DataType;
            }
        }

        return fields;
    }

    /// <summary>The optimizer's running, next, recent and idle work over the local shards.</summary>
    public (OptimizationsReport Report, ulong Done, ulong Failed, ulong OptimizedPoints) Optimizations(int completedLimit)
    {
        var policy = OptimizerPolicy();
        var running = new List<OptimizationRecord>();
        var queued = new List<PendingOptimization>();
        var completed = new List<OptimizationRecord>();
        var idle = new List<OptimizationSegment>();
        ulong done = 0, failed = 0, points = 0;
        foreach (var shard in _local)
        {
            var (report, d, f, p) = shard.DescribeOptimizations(policy);
            running.AddRange(report.Running);
            queued.AddRange(report.Queued);
            completed.AddRange(report.Completed);
            idle.AddRange(report.Idle);
            done += d;
            failed += f;
            points += p;
        }

        completed.Sort((a, b) => Nullable.Compare(b.FinishedAt, a.FinishedAt));
        if (completed.Count > completedLimit)
        {
            completed.RemoveRange(completedLimit, completed.Count - completedLimit);
        }

        return (new OptimizationsReport(running, queued, completed, idle), done, failed, points);
    }
}
