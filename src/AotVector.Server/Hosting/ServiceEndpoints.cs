using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AotVector.Common.Errors;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest;
using AotVector.Server.Security;

namespace AotVector.Server.Hosting;

/// <summary>
/// Server-level endpoints: /metrics (Prometheus text), /telemetry, /cluster, the issues API and a collection's
/// optimizations (enveloped JSON).
/// </summary>
internal static class ServiceEndpoints
{
    public static void Map(WebApplication app, RequestStatistics requests, bool jwtRbac)
    {
        var tls = app.Services.GetService<CertificateProvider>();
        var prefix = app.Services.GetService<Config.LoadedSettings>()?.Settings.Service.MetricsPrefix;
        _ = ProcessStatistics.StartedAt;
        app.MapGet("/metrics", (HttpContext context, VectorEngine engine) =>
            Results.Text(MetricNamePrefix.Apply(Metrics(context, engine, requests, tls), prefix), "text/plain; version=0.0.4", Encoding.UTF8));
        var cluster = app.Services.GetService<Cluster.ConsensusNode>();
        app.MapGet("/telemetry", (HttpContext context, VectorEngine engine) => Telemetry(context, new TelemetryReport(engine, requests, jwtRbac, cluster)));
        if (cluster is null)
        {
            app.MapGet("/cluster", () => Envelope(new ClusterStatusDto("disabled"), ServerJsonContext.Default.ClusterStatusDto));
        }

        app.MapGet("/issues", (HttpContext context, VectorEngine engine) =>
            Reply(Stopwatch.GetTimestamp(), engine.Issues(RestAccess.Get(context)), IssuesJson.Write));
        app.MapDelete("/issues", (HttpContext context, VectorEngine engine) =>
            Reply(Stopwatch.GetTimestamp(), engine.ClearIssues(RestAccess.Get(context)), static (w, ok) => w.WriteBooleanValue(ok)));
        app.MapGet("/collections/{name}/optimizations", (HttpContext context, VectorEngine engine, string name) => Optimizations(context, engine, name));
    }

    private static string Metrics(HttpContext context, VectorEngine engine, RequestStatistics requests, CertificateProvider? tls)
    {
        var sb = new StringBuilder();
        var perCollection = string.Equals(context.Request.Query["per_collection"], "true", StringComparison.OrdinalIgnoreCase);
        ReferenceMetrics.Write(sb, engine, RestAccess.Get(context), requests, perCollection);
        var text = new PrometheusText(sb);
        text.Single("process_uptime_seconds", "seconds since the process started", "gauge", Math.Round(ProcessStatistics.UptimeSeconds, 3));
        text.Single("process_resident_memory_bytes", "resident memory", "gauge", Environment.WorkingSet);
        SecurityMetrics.Append(sb);
        CertificateMetrics.Write(sb, tls);
        return sb.ToString();
    }

    /// <summary>details_level 0-4 (higher counts as 4), anonymize true/false; anything else is a 400.</summary>
    private static IResult Telemetry(HttpContext context, TelemetryReport report)
    {
        var start = Stopwatch.GetTimestamp();
        var query = context.Request.Query;
        var level = 0;
        if (query["details_level"] is { Count: > 0 } levelText)
        {
            if (!int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out level))
            {
                return Error(start, AvError.BadRequest($"Deserialize error in query parameters: details_level: invalid digit found in string ('{levelText}')"));
            }
        }

        var anonymize = false;
        if (query["anonymize"] is { Count: > 0 } anonymizeText && !bool.TryParse(anonymizeText, out anonymize))
        {
            return Error(start, AvError.BadRequest($"Deserialize error in query parameters: anonymize: provided string was not `true` or `false` ('{anonymizeText}')"));
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        report.Write(buffer, RestAccess.Get(context), Math.Min(level, 4), anonymize, start);
        return Results.Bytes(buffer.WrittenSpan.ToArray(), "application/json");
    }

    private static IResult Optimizations(HttpContext context, VectorEngine engine, string name)
    {
        var start = Stopwatch.GetTimestamp();
        var query = context.Request.Query;
        bool queued = false, completed = false, idle = false;
        foreach (var part in (query["with"].ToString() ?? "").Split(','))
        {
            switch (part.Trim())
            {
                case "":
                    break;
                case "queued":
                    queued = true;
                    break;
                case "completed":
                    completed = true;
                    break;
                case "idle_segments":
                    idle = true;
                    break;
                default:
                    return Error(start, AvError.BadRequest($"Bad request: Unknown field in 'with' parameter: {part}"));
            }
        }

        var limit = VectorEngine.DefaultCompletedLimit;
        if (query["completed_limit"] is { Count: > 0 } limitText)
        {
            if (!ulong.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Error(start, AvError.BadRequest($"Deserialize error in query parameters: completed_limit: invalid digit found in string ('{limitText}')"));
            }

            limit = (int)Math.Min(parsed, int.MaxValue);
        }

        return Reply(start, engine.GetOptimizations(RestAccess.Get(context), name, limit), (w, report) => OptimizationsJson.Write(w, report, queued, completed, idle));
    }

    private static IResult Reply<T>(long start, Result<T> result, Action<Utf8JsonWriter, T> write) =>
        result.TryGet(out var value, out var error) ? Ok(start, value, write) : Error(start, error);

    private static IResult Reply<T>(long start, T value, Action<Utf8JsonWriter, T> write) => Ok(start, value, write);

    private static IResult Ok<T>(long start, T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("result");
            write(w, value);
            w.WriteString("status", "ok");
            w.WriteNumber("time", Stopwatch.GetElapsedTime(start).TotalSeconds);
            w.WriteEndObject();
        }

        return Results.Bytes(buffer.WrittenSpan.ToArray(), "application/json");
    }

    private static IResult Error(long start, AvError error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("status");
            w.WriteString("error", error.Message);
            w.WriteEndObject();
            w.WriteNumber("time", Stopwatch.GetElapsedTime(start).TotalSeconds);
            w.WriteEndObject();
        }

        var status = error.Kind switch
        {
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            ErrorKind.Internal => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status400BadRequest,
        };
        return Results.Text(Encoding.UTF8.GetString(buffer.WrittenSpan), "application/json", Encoding.UTF8, status);
    }

    private static IResult Envelope<T>(T result, JsonTypeInfo<T> contract)
    {
        var start = Stopwatch.GetTimestamp();
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("result");
            JsonSerializer.Serialize(w, result, contract);
            w.WriteString("status", "ok");
            w.WriteNumber("time", Stopwatch.GetElapsedTime(start).TotalSeconds);
            w.WriteEndObject();
        }

        return Results.Bytes(buffer.WrittenSpan.ToArray(), "application/json");
    }
}
