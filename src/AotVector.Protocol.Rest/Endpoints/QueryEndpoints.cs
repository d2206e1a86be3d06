using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Http;
using AotVector.Protocol.Rest.Json;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>
/// /points/query and /points/query/batch, plus the legacy /points/search and /points/recommend (and their
/// batch forms) that older clients still call; all go through the engine's one query path.
/// </summary>
internal static class QueryEndpoints
{
    public static async Task QueryAsync(RestCall call)
    {
        if (await PointsReadEndpoints.ReadAsync(call, root => QueryRequestReader.ReadQuery(root, ""), allowEmpty: true).ConfigureAwait(false) is { } request)
        {
            var result = await call.Points.QueryAsync(call.Access, call.CollectionName, request, Options(call), call.Aborted).ConfigureAwait(false);
            await call.ReplyAsync(result, ResultWriter.WriteQueryResponse).ConfigureAwait(false);
        }
    }

    public static Task QueryBatchAsync(RestCall call) => BatchAsync(call, QueryRequestReader.ReadQuery, ResultWriter.WriteQueryBatchResponse);

    /// <summary>Legacy search: the result is a bare list of scored points.</summary>
    public static Task SearchAsync(RestCall call) => SingleAsync(call, QueryRequestReader.ReadSearch);

    public static Task SearchBatchAsync(RestCall call) => BatchAsync(call, QueryRequestReader.ReadSearch, ResultWriter.WriteScoredPointBatches);

    public static Task RecommendAsync(RestCall call) => SingleAsync(call, QueryRequestReader.ReadRecommend);

    public static Task RecommendBatchAsync(RestCall call) => BatchAsync(call, QueryRequestReader.ReadRecommend, ResultWriter.WriteScoredPointBatches);

    /// <summary>Legacy discover: the result is a bare list of scored points, as for search and recommend.</summary>
    public static Task DiscoverAsync(RestCall call) => SingleAsync(call, QueryRequestReader.ReadDiscover);

    public static Task DiscoverBatchAsync(RestCall call) => BatchAsync(call, QueryRequestReader.ReadDiscover, ResultWriter.WriteScoredPointBatches);

    /// <summary>?timeout=seconds bounds the search, as in Qdrant (already checked with the other read parameters).</summary>
    private static ReadOptions Options(RestCall call) => QueryParams.ReadOptionsOf(call.Query);

    private static async Task SingleAsync(RestCall call, Func<System.Text.Json.JsonElement, string, QueryRequest> read)
    {
        if (await PointsReadEndpoints.ReadAsync(call, root => read(root, ""), allowEmpty: false).ConfigureAwait(false) is { } request)
        {
            var result = await call.Points.QueryAsync(call.Access, call.CollectionName, request, Options(call), call.Aborted).ConfigureAwait(false);
            await call.ReplyAsync(result, ResultWriter.WriteScoredPoints).ConfigureAwait(false);
        }
    }

    private static async Task BatchAsync(
        RestCall call,
        Func<System.Text.Json.JsonElement, string, QueryRequest> readOne,
        Action<System.Text.Json.Utf8JsonWriter, IReadOnlyList<IReadOnlyList<ScoredPoint>>> write)
    {
        if (await PointsReadEndpoints.ReadAsync(call, root => QueryRequestReader.ReadBatch(root, readOne), allowEmpty: false).ConfigureAwait(false) is { } requests)
        {
            var result = await call.Points.QueryBatchAsync(call.Access, call.CollectionName, requests, Options(call), call.Aborted).ConfigureAwait(false);
            await call.ReplyAsync(result, write).ConfigureAwait(false);
        }
    }
}
