using AotVector.Protocol.Rest.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AotVector.Protocol.Rest;

/// <summary>
/// The Qdrant-compatible REST surface. The host registers <c>ICollectionsApi</c>, <c>IPointsApi</c> and <c>ISnapshotsApi</c> in DI,
/// sets an <c>AccessContext</c> request feature in its security middleware (see <see cref="RestAccess"/>),
/// calls <c>app.UseTrailingSlashTrim()</c> before <c>app.UseRouting()</c>, then <c>app.MapQdrantRest()</c>.
/// /metrics, /telemetry and /cluster belong to the host. Routes not served yet answer as <see cref="UnsupportedRoutes"/> says.
/// </summary>
public static class RestEndpoints
{
    public static IEndpointRouteBuilder MapQdrantRest(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Handlers are RequestDelegates over HttpContext: no parameter binding, nothing reflected, nothing for RDG to rewrite.
        // The probes and the version banner answer without a key; the server's auth reads this metadata on the routed endpoint.
        app.MapGet("/", RestHandler.Wrap(ServiceEndpoints.RootAsync)).AllowAnonymous();
        app.MapGet("/healthz", RestHandler.Wrap(ServiceEndpoints.HealthzAsync)).AllowAnonymous();
        app.MapGet("/livez", RestHandler.Wrap(ServiceEndpoints.HealthzAsync)).AllowAnonymous();
        app.MapGet("/readyz", RestHandler.Wrap(ServiceEndpoints.ReadyzAsync)).AllowAnonymous();

        app.MapGet("/collections", RestHandler.Wrap(CollectionsEndpoints.ListAsync));
        app.MapPut("/collections/{name}", RestHandler.Wrap(CollectionsEndpoints.CreateAsync));
        app.MapGet("/collections/{name}", RestHandler.Wrap(CollectionsEndpoints.GetAsync));
        app.MapDelete("/collections/{name}", RestHandler.Wrap(CollectionsEndpoints.DeleteAsync));
        app.MapMethods("/collections/{name}", [HttpMethods.Patch], RestHandler.Wrap(CollectionsEndpoints.UpdateAsync));
        app.MapGet("/collections/{name}/exists", RestHandler.Wrap(CollectionsEndpoints.ExistsAsync));

        app.MapPost("/collections/aliases", RestHandler.Wrap(CollectionsEndpoints.UpdateAliasesAsync));
        app.MapGet("/aliases", RestHandler.Wrap(CollectionsEndpoints.ListAliasesAsync));
        app.MapGet("/collections/{name}/aliases", RestHandler.Wrap(CollectionsEndpoints.ListCollectionAliasesAsync));
        app.MapGet("/collections/{name}/cluster", RestHandler.Wrap(CollectionsEndpoints.ClusterInfoAsync));
        app.MapPost("/collections/{name}/cluster", RestHandler.Wrap(CollectionClusterEndpoints.UpdateAsync));

        app.MapPut("/collections/{name}/index", RestHandler.Wrap(CollectionsEndpoints.CreateIndexAsync));
        app.MapDelete("/collections/{name}/index/{field_name}", RestHandler.Wrap(CollectionsEndpoints.DeleteIndexAsync));
        app.MapPut("/collections/{name}/vectors/{vector_name}", RestHandler.Wrap(VectorNameEndpoints.CreateAsync));
        app.MapDelete("/collections/{name}/vectors/{vector_name}", RestHandler.Wrap(VectorNameEndpoints.DeleteAsync));

        app.MapPut("/collections/{name}/points", RestHandler.Wrap(PointsEndpoints.UpsertAsync));
        app.MapPost("/collections/{name}/points/delete", RestHandler.Wrap(PointsEndpoints.DeleteAsync));
        app.MapPost("/collections/{name}/points/payload", RestHandler.Wrap(PointsEndpoints.SetPayloadAsync));
        app.MapPut("/collections/{name}/points/payload", RestHandler.Wrap(PointsEndpoints.OverwritePayloadAsync));
        app.MapPost("/collections/{name}/points/payload/delete", RestHandler.Wrap(PointsEndpoints.DeletePayloadAsync));
        app.MapPost("/collections/{name}/points/payload/clear", RestHandler.Wrap(PointsEndpoints.ClearPayloadAsync));
        app.MapPut("/collections/{name}/points/vectors", RestHandler.Wrap(PointsEndpoints.UpdateVectorsAsync));
        app.MapPost("/collections/{name}/points/vectors/delete", RestHandler.Wrap(PointsEndpoints.DeleteVectorsAsync));
        app.MapPost("/collections/{name}/points/batch", RestHandler.Wrap(PointsEndpoints.BatchAsync));

        app.MapGet("/collections/{name}/points/{id}", RestHandler.Wrap(PointsReadEndpoints.GetAsync));
        app.MapPost("/collections/{name}/points", RestHandler.Wrap(PointsReadEndpoints.RetrieveAsync));
        app.MapPost("/collections/{name}/points/scroll", RestHandler.Wrap(PointsReadEndpoints.ScrollAsync));
        app.MapPost("/collections/{name}/points/count", RestHandler.Wrap(PointsReadEndpoints.CountAsync));

        app.MapPost("/collections/{name}/points/query", RestHandler.Wrap(QueryEndpoints.QueryAsync));
        app.MapPost("/collections/{name}/points/query/batch", RestHandler.Wrap(QueryEndpoints.QueryBatchAsync));
        app.MapPost("/collections/{name}/points/search", RestHandler.Wrap(QueryEndpoints.SearchAsync));
        app.MapPost("/collections/{name}/points/search/batch", RestHandler.Wrap(QueryEndpoints.SearchBatchAsync));
        app.MapPost("/collections/{name}/points/recommend", RestHandler.Wrap(QueryEndpoints.RecommendAsync));
        app.MapPost("/collections/{name}/points/recommend/batch", RestHandler.Wrap(QueryEndpoints.RecommendBatchAsync));
        app.MapPost("/collections/{name}/points/query/groups", RestHandler.Wrap(AggregateEndpoints.QueryGroupsAsync));
        app.MapPost("/collections/{name}/points/search/groups", RestHandler.Wrap(AggregateEndpoints.SearchGroupsAsync));
        app.MapPost("/collections/{name}/points/recommend/groups", RestHandler.Wrap(AggregateEndpoints.RecommendGroupsAsync));
        app.MapPost("/collections/{name}/facet", RestHandler.Wrap(AggregateEndpoints.FacetAsync));
        app.MapPost("/collections/{name}/points/search/matrix/pairs", RestHandler.Wrap(AggregateEndpoints.MatrixPairsAsync));
        app.MapPost("/collections/{name}/points/search/matrix/offsets", RestHandler.Wrap(AggregateEndpoints.MatrixOffsetsAsync));
        app.MapPost("/collections/{name}/points/discover", RestHandler.Wrap(QueryEndpoints.DiscoverAsync));
        app.MapPost("/collections/{name}/points/discover/batch", RestHandler.Wrap(QueryEndpoints.DiscoverBatchAsync));

        // Snapshots: full, collection and shard. The upload routes carry StreamedUpload, for the host's body limit.
        app.MapGet("/snapshots", RestHandler.Wrap(SnapshotsEndpoints.ListAsync));
        app.MapPost("/snapshots", RestHandler.Wrap(SnapshotsEndpoints.CreateAsync));
        app.MapGet("/snapshots/{snapshot_name}", RestHandler.Wrap(SnapshotsEndpoints.DownloadAsync));
        app.MapDelete("/snapshots/{snapshot_name}", RestHandler.Wrap(SnapshotsEndpoints.DeleteAsync));
        foreach (var prefix in (ReadOnlySpan<string>)["/collections/{name}", "/collections/{name}/shards/{shard_id}"])
        {
            app.MapGet(prefix + "/snapshots", RestHandler.Wrap(SnapshotsEndpoints.ListAsync));
            app.MapPost(prefix + "/snapshots", RestHandler.Wrap(SnapshotsEndpoints.CreateAsync));
            app.MapPut(prefix + "/snapshots/recover", RestHandler.Wrap(SnapshotsEndpoints.RecoverAsync));
            app.MapPost(prefix + "/snapshots/upload", RestHandler.Wrap(SnapshotsEndpoints.UploadAsync)).WithMetadata(StreamedUpload.Instance);
            app.MapGet(prefix + "/snapshots/{snapshot_name}", RestHandler.Wrap(SnapshotsEndpoints.DownloadAsync));
            app.MapDelete(prefix + "/snapshots/{snapshot_name}", RestHandler.Wrap(SnapshotsEndpoints.DeleteAsync));
        }

        app.MapGet("/collections/{name}/shards/{shard_id}/snapshot", RestHandler.Wrap(SnapshotsEndpoints.StreamShardAsync));

        // The reference's routes not served yet, and a JSON 404 for any other path; ordered after every route served.
        UnsupportedRoutes.Map(app);
        return app;
    }

    /// <summary>
    /// Whether the routed endpoint streams a large upload to disk (snapshot uploads): the host holds it to the upload
    /// limit instead of max_request_size_mb, which bounds what a request may make the server buffer.
    /// </summary>
    public static bool IsStreamedUpload(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<StreamedUpload>() is not null;
}
