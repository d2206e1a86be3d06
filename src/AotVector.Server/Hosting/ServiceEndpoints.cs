using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest;
using AotVector.Kernels;
using AotVector.Server.Security;

namespace AotVector.Server.Hosting;

/// <summary>Server-level endpoints: /metrics (Prometheus text), /telemetry and /cluster (enveloped JSON).</summary>
internal static class ServiceEndpoints
{
    private static readonly long s_startedAt = Stopwatch.GetTimestamp();

    public static void Map(WebApplication app)
    {
        var tls = app.Services.GetService<CertificateProvider>();
        app.MapGet("/metrics", (VectorEngine engine) => Results.Text(Metrics(engine, tls), "text/plain; version=0.0.4", Encoding.UTF8));
        app.MapGet("/telemetry", (HttpContext context, VectorEngine engine) => Envelope(Telemetry(engine, RestAccess.Get(context)), ServerJsonContext.Default.TelemetryDto));
        app.MapGet("/cluster", () => Envelope(new ClusterStatusDto("disabled"), ServerJsonContext.Default.ClusterStatusDto));
    }

    /// <summary>
    /// A caller with rights on some collections only (a scoped JWT) gets what concerns those collections: their
    /// count, and no host name.
    /// </summary>
    private static TelemetryDto Telemetry(VectorEngine engine, AccessContext access)
    {
        var global = access.Global >= AccessLevel.Read;
        return new TelemetryDto(
            global ? Environment.MachineName : null,
            new AppTelemetryDto("aotvector", ServerHost.Version, SimdInfo.Describe(), Stopwatch.GetElapsedTime(s_startedAt).TotalSeconds),
            new CollectionsTelemetryDto(global ? engine.CollectionCount : engine.List(access).Value?.Count ?? 0));
    }

    private static string Metrics(VectorEngine engine, CertificateProvider? tls)
    {
        var sb = new StringBuilder();
        sb.Append("# HELP app_info information about the server\n# TYPE app_info gauge\n");
        sb.Append("app_info{name=\"aotvector\",version=\"").Append(ServerHost.Version).Append("\"} 1\n");
        sb.Append("# HELP collections_total number of collections\n# TYPE collections_total gauge\n");
        sb.Append("collections_total ").Append(engine.CollectionCount).Append('\n');
        sb.Append("# HELP collections_points_total number of points over all collections\n# TYPE collections_points_total gauge\n");
        sb.Append("collections_points_total ").Append(engine.TotalPoints).Append('\n');
        sb.Append("# HELP process_uptime_seconds seconds since start\n# TYPE process_uptime_seconds gauge\n");
        sb.Append("process_uptime_seconds ").Append(Stopwatch.GetElapsedTime(s_startedAt).TotalSeconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("# HELP process_resident_memory_bytes resident memory\n# TYPE process_resident_memory_bytes gauge\n");
        sb.Append("process_resident_memory_bytes ").Append(Environment.WorkingSet).Append('\n');
        SecurityMetrics.Append(sb);
        CertificateMetrics.Write(sb, tls);
        return sb.ToString();
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
