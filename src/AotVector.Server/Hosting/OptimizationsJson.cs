using System.Globalization;
using System.Text.Json;
using AotVector.Engine.Api;

namespace AotVector.Server.Hosting;

/// <summary>
/// GET /collections/{name}/optimizations in the reference's shape: a summary, the running jobs, and on request
/// (?with=queued,completed,idle_segments) the queue, the finished jobs (at most completed_limit) and the idle segments.
/// </summary>
internal static class OptimizationsJson
{
    public static void Write(Utf8JsonWriter w, OptimizationsReport report, bool queued, bool completed, bool idle)
    {
        w.WriteStartObject();
        w.WriteStartObject("summary");
        w.WriteNumber("queued_optimizations", report.Queued.Count);
        w.WriteNumber("queued_segments", report.Queued.Sum(q => q.Segments.Count));
        w.WriteNumber("queued_points", report.Queued.SelectMany(q => q.Segments).Aggregate(0UL, (sum, s) => sum + s.Points));
        w.WriteNumber("idle_segments", report.Idle.Count);
        w.WriteEndObject();
        w.WriteStartArray("running");
        foreach (var record in report.Running)
        {
            WriteOptimization(w, record);
        }

        w.WriteEndArray();
        if (queued)
        {
            w.WriteStartArray("queued");
            foreach (var pending in report.Queued)
            {
                w.WriteStartObject();
                w.WriteString("optimizer", pending.Optimizer);
                WriteSegments(w, "segments", pending.Segments);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (completed)
        {
            w.WriteStartArray("completed");
            foreach (var record in report.Completed)
            {
                WriteOptimization(w, record);
            }

            w.WriteEndArray();
        }

        if (idle)
        {
            WriteSegments(w, "idle_segments", report.Idle);
        }

        w.WriteEndObject();
    }

    private static void WriteOptimization(Utf8JsonWriter w, OptimizationRecord record)
    {
        w.WriteStartObject();
        w.WriteString("uuid", record.Id);
        w.WriteString("optimizer", record.Optimizer);
        WriteStatus(w, record);
        WriteSegments(w, "segments", record.Segments);
        w.WriteStartObject("progress");
        w.WriteString("name", "Segment Optimizing");
        w.WriteString("started_at", Timestamp(record.StartedAt));
        if (record.FinishedAt is { } end)
        {
            w.WriteString("finished_at", Timestamp(end));
            w.WriteNumber("duration_sec", Math.Round((end - record.StartedAt).TotalSeconds, 6));
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>"optimizing", "done", or {"cancelled": reason} / {"error": message}, as the reference's tracker status.</summary>
    public static void WriteStatus(Utf8JsonWriter w, OptimizationRecord record)
    {
        switch (record.State)
        {
            case OptimizationState.Running:
                w.WriteString("status", "optimizing");
                break;
            case OptimizationState.Done:
                w.WriteString("status", "done");
                break;
            default:
                w.WriteStartObject("status");
                w.WriteString(record.State == OptimizationState.Cancelled ? "cancelled" : "error", record.Reason ?? "");
                w.WriteEndObject();
                break;
        }
    }

    private static void WriteSegments(Utf8JsonWriter w, string name, IReadOnlyList<OptimizationSegment> segments)
    {
        w.WriteStartArray(name);
        foreach (var s in segments)
        {
            w.WriteStartObject();
            w.WriteString("uuid", s.Id);
            w.WriteNumber("points_count", s.Points);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>RFC 3339 in UTC with microseconds, as the reference writes its timestamps.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
