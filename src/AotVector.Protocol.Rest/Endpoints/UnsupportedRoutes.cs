using AotVector.Common.Errors;
using AotVector.Engine.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>
/// Every route the reference (1.19) serves that this server does not serve yet, each answered with the refusal of its
/// <see cref="UnsupportedApi"/> (405 and the JSON envelope), so a client learns what is missing instead of reading an
/// empty 404 or 405. Any other path or method answers 404 with the envelope.
/// </summary>
/// <remarks>
/// These endpoints and the catch-all carry a late <see cref="RouteEndpointBuilder.Order"/>: a route served for real
/// (here or by the host) wins over its entry in this table, so serving a feature never needs this table edited first.
/// </remarks>
internal static class UnsupportedRoutes
{
    /// <summary>After every served route (whose order is 0), before the catch-all.</summary>
    private const int TableOrder = 1_000;

    private const int CatchAllOrder = int.MaxValue;

    private const string Get = "GET";
    private const string Post = "POST";
    private const string Put = "PUT";
    private const string Delete = "DELETE";
    private const string Patch = "PATCH";

    /// <summary>Method, pattern and feature, grouped as the reference's route files group them.</summary>
    internal static readonly (string Method, string Pattern, UnsupportedApi Api)[] Routes =
    [
        // Partial shard snapshots (the whole-snapshot routes are served).
        (Post, "/collections/{name}/shards/{shard}/snapshot/partial/create", UnsupportedApi.PartialSnapshots),
        (Post, "/collections/{name}/shards/{shard}/snapshot/partial/recover", UnsupportedApi.PartialSnapshots),
        (Post, "/collections/{name}/shards/{shard}/snapshot/partial/recover_from", UnsupportedApi.PartialSnapshots),
        (Get, "/collections/{name}/shards/{shard}/snapshot/partial/manifest", UnsupportedApi.PartialSnapshots),
        // Shard keys and the local shard API.
        (Get, "/collections/{name}/shards", UnsupportedApi.ShardKeys),
        (Put, "/collections/{name}/shards", UnsupportedApi.ShardKeys),
        (Post, "/collections/{name}/shards/delete", UnsupportedApi.ShardKeys),
        (Post, "/collections/{name}/shards/{shard}/points", UnsupportedApi.LocalShards),
        (Post, "/collections/{name}/shards/{shard}/points/scroll", UnsupportedApi.LocalShards),
        (Post, "/collections/{name}/shards/{shard}/points/count", UnsupportedApi.LocalShards),
        (Post, "/collections/{name}/shards/{shard}/cleanup", UnsupportedApi.LocalShards),
        // Cluster.
        (Post, "/cluster/recover", UnsupportedApi.Cluster),
        (Delete, "/cluster/peer/{peer_id}", UnsupportedApi.Cluster),
        (Get, "/cluster/telemetry", UnsupportedApi.Cluster),
        (Get, "/cluster/metadata/keys", UnsupportedApi.Cluster),
        (Get, "/cluster/metadata/keys/{key}", UnsupportedApi.Cluster),
        (Put, "/cluster/metadata/keys/{key}", UnsupportedApi.Cluster),
        (Delete, "/cluster/metadata/keys/{key}", UnsupportedApi.Cluster),
        // Service and debugging.
        (Get, "/quotas", UnsupportedApi.Quotas),
        (Put, "/quotas", UnsupportedApi.Quotas),
        (Get, "/collections/{name}/memory", UnsupportedApi.CollectionMemory),
        (Post, "/collections/{name}/truncate_unapplied_wal", UnsupportedApi.TruncateUnappliedWal),
        (Get, "/logger", UnsupportedApi.Logger),
        (Post, "/logger", UnsupportedApi.Logger),
        (Get, "/debugger", UnsupportedApi.Debugger),
        (Patch, "/debugger", UnsupportedApi.Debugger),
        (Get, "/profiler/slow_requests", UnsupportedApi.Profiler),
        (Post, "/audit/logs", UnsupportedApi.AuditLogQuery),
        (Get, "/stacktrace", UnsupportedApi.Stacktrace),
        // The reference's image serves its web UI here.
        (Get, "/dashboard", UnsupportedApi.WebUi),
        (Get, "/dashboard/{**path}", UnsupportedApi.WebUi),
    ];

    /// <summary>Routes an earlier version of the reference served and 1.19 answers 404 for: pattern and the version that removed it.</summary>
    internal static readonly (string Method, string Pattern, string RemovedIn)[] RemovedRoutes =
    [
        (Get, "/locks", "1.16"),
        (Post, "/locks", "1.16"),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (method, pattern, api) in Routes)
        {
            var refusal = Unsupported.Api(api);
            Late(app.MapMethods(pattern, [method], RestHandler.Wrap(call => call.FailAsync(refusal))), TableOrder);
        }

        foreach (var (method, pattern, removedIn) in RemovedRoutes)
        {
            var refusal = Unsupported.RemovedRoute(pattern, removedIn);
            Late(app.MapMethods(pattern, [method], RestHandler.Wrap(call => call.FailAsync(refusal))), TableOrder);
        }

        Late(app.Map("/{**path}", RestHandler.Wrap(NotFoundAsync)), CatchAllOrder);
    }

    private static Task NotFoundAsync(RestCall call) =>
        call.FailAsync(AvError.NotFound($"{call.Context.Request.Method} {call.Context.Request.Path} is not an API route"));

    private static void Late(IEndpointConventionBuilder endpoint, int order) =>
        endpoint.Add(builder => ((RouteEndpointBuilder)builder).Order = order);
}
