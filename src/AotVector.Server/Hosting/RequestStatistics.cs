using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AotVector.Server.Hosting;

/// <summary>
/// Responses per endpoint and status, REST and gRPC, for /metrics and /telemetry. The endpoint is the routed
/// template, never the raw path, so the number of series stays bounded: REST keys read "POST
/// /collections/{collection_name}/points/query" (the reference's parameter name), gRPC keys the method path
/// ("/qdrant.Points/Search"); a request no route matched counts under "unknown". REST responses are also kept per
/// collection for /metrics?per_collection=true. Each response is recorded on the <see cref="Meter"/> as well, for
/// in-process listeners (dotnet-counters, an OpenTelemetry exporter).
/// </summary>
internal sealed class RequestStatistics
{
    public const string MeterName = "AotVector.Server";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Histogram<double> s_restDuration = s_meter.CreateHistogram<double>("rest_responses_duration_seconds", "s", "REST response duration");
    private static readonly Histogram<double> s_grpcDuration = s_meter.CreateHistogram<double>("grpc_responses_duration_seconds", "s", "gRPC response duration");

    private readonly ConcurrentDictionary<(string Endpoint, int Status), DurationStatistics> _rest = new();
    private readonly ConcurrentDictionary<(string Endpoint, int Status), DurationStatistics> _grpc = new();
    private readonly ConcurrentDictionary<(string Collection, string Endpoint, int Status), DurationStatistics> _restPerCollection = new();
    private readonly ConcurrentDictionary<Endpoint, string> _restKeys = new();
    private readonly TimeProvider _time;

    public RequestStatistics(TimeProvider time) => _time = time;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            Record(context, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private void Record(HttpContext context, double seconds)
    {
        var endpoint = context.GetEndpoint();
        var now = _time.GetUtcNow();
        if (GrpcRequest.Is(context))
        {
            var method = endpoint is RouteEndpoint route && route.RoutePattern.RawText is { } raw ? raw : "unknown";
            var status = GrpcStatus(context);
            _grpc.GetOrAdd((method, status), static _ => new DurationStatistics()).Add(seconds, now);
            if (s_grpcDuration.Enabled)
            {
                s_grpcDuration.Record(seconds, new KeyValuePair<string, object?>("endpoint", method), new KeyValuePair<string, object?>("status", status));
            }

            return;
        }

        var key = endpoint is null ? context.Request.Method + " unknown" : _restKeys.GetOrAdd(endpoint, static (e, method) => RestKey(e, method), context.Request.Method);
        var code = context.Response.StatusCode;
        _rest.GetOrAdd((key, code), static _ => new DurationStatistics()).Add(seconds, now);
        // Only answered requests name a collection here: a refused or unknown name (a stranger's 401, a 404) would let
        // anyone grow this table with names of their choosing.
        if (code is >= 200 and < 300 && endpoint is not null && context.Request.RouteValues.TryGetValue("name", out var name) && name is string collection)
        {
            _restPerCollection.GetOrAdd((collection, key, code), static _ => new DurationStatistics()).Add(seconds, now);
        }

        if (s_restDuration.Enabled)
        {
            s_restDuration.Record(seconds, new KeyValuePair<string, object?>("endpoint", key), new KeyValuePair<string, object?>("status", code));
        }
    }

    // One endpoint object per route and method set: the key is computed once per endpoint and kept.
    private static string RestKey(Endpoint endpoint, string method)
    {
        var template = endpoint is RouteEndpoint route && route.RoutePattern.RawText is { } raw
            ? raw.Replace("{name}", "{collection_name}", StringComparison.Ordinal)
            : "unknown";
        var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods;
        return (methods is { Count: 1 } ? methods[0] : method) + " " + template;
    }

    // A gRPC status is a trailer, or a header in a trailers-only answer (a refusal before the service ran).
    private static int GrpcStatus(HttpContext context)
    {
        var trailers = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseTrailersFeature>()?.Trailers;
        if (trailers is not null && trailers.TryGetValue("grpc-status", out var value) && int.TryParse(value, out var status))
        {
            return status;
        }

        return int.TryParse(context.Response.Headers["grpc-status"], out status) ? status : 2; // UNKNOWN: the call ended without a status
    }

    public IReadOnlyList<KeyValuePair<(string Endpoint, int Status), DurationSnapshot>> Rest() => Snapshot(_rest);

    public IReadOnlyList<KeyValuePair<(string Endpoint, int Status), DurationSnapshot>> Grpc() => Snapshot(_grpc);

    public IReadOnlyList<KeyValuePair<(string Collection, string Endpoint, int Status), DurationSnapshot>> RestPerCollection() =>
        [.. _restPerCollection.Select(p => KeyValuePair.Create(p.Key, p.Value.Snapshot())).OrderBy(p => p.Key.Collection, StringComparer.Ordinal).ThenBy(p => p.Key.Endpoint, StringComparer.Ordinal).ThenBy(p => p.Key.Status)];

    private static IReadOnlyList<KeyValuePair<(string Endpoint, int Status), DurationSnapshot>> Snapshot(ConcurrentDictionary<(string Endpoint, int Status), DurationStatistics> map) =>
        [.. map.Select(p => KeyValuePair.Create(p.Key, p.Value.Snapshot())).OrderBy(p => p.Key.Endpoint, StringComparer.Ordinal).ThenBy(p => p.Key.Status)];
}
