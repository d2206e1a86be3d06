using AotVector.Engine.Api;

namespace AotVector.Engine.Shards;

/// <summary>
/// A shard's optimizer jobs since the server started: the running one, and the last <see cref="Capacity"/> finished
/// ones (older entries drop off; the counters keep counting). Written by the optimizer thread, read by telemetry.
/// </summary>
internal sealed class OptimizationLog(TimeProvider time)
{
    public const int Capacity = 64;

    private readonly Lock _gate = new();
    private readonly LinkedList<OptimizationRecord> _finished = new();
    private OptimizationRecord? _running;
    private ulong _sequence;

    public ulong Done { get; private set; }

    public ulong Failed { get; private set; }

    public ulong OptimizedPoints { get; private set; }

    public OptimizationRecord Start(string shardKey, string optimizer, IReadOnlyList<OptimizationSegment> segments)
    {
        lock (_gate)
        {
            var record = new OptimizationRecord($"{shardKey}-{++_sequence}", optimizer, OptimizationState.Running, null, segments, time.GetUtcNow(), null);
            _running = record;
            return record;
        }
    }

    public void Finish(OptimizationRecord record, OptimizationState state, string? reason)
    {
        lock (_gate)
        {
            _running = null;
            switch (state)
            {
                case OptimizationState.Done:
                    Done++;
                    OptimizedPoints += record.Segments.Aggregate(0UL, (sum, s) => sum + s.Points);
                    break;
                case OptimizationState.Failed:
                    Failed++;
                    break;
            }

            _finished.AddFirst(record with { State = state, Reason = reason, FinishedAt = time.GetUtcNow() });
            if (_finished.Count > Capacity)
            {
                _finished.RemoveLast();
            }
        }
    }

    /// <summary>A job that turned out to have nothing to do leaves no trace.</summary>
    public void Forget(OptimizationRecord record)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_running, record))
            {
                _running = null;
            }
        }
    }

    public (OptimizationRecord? Running, IReadOnlyList<OptimizationRecord> Finished) Snapshot()
    {
        lock (_gate)
        {
            return (_running, [.. _finished]);
        }
    }
}
