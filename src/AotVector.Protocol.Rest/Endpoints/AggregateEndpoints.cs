using System.Text.Json;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Http;
using AotVector.Protocol.Rest.Json;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>/points/{query,search,recommend}/groups, /facet and /points/search/matrix/{pairs,offsets}.</summary>
internal static class AggregateEndpoints
{
    public static Task QueryGroupsAsync(RestCall call) => GroupsAsync(call, GroupRequestReader.ReadQueryGroups, allowEmpty: false);

    public static Task SearchGroupsAsync(RestCall call) => GroupsAsync(call, GroupRequestReader.ReadSearchGroups, allowEmpty: false);

    public static Task RecommendGroupsAsync(RestCall call) => GroupsAsync(call, GroupRequestReader.ReadRecommendGroups, allowEmpty: false);

    public static async Task FacetAsync(RestCall call)
    {
        if (await PointsReadEndpoints.ReadAsync(call, AggregateRequestReader.ReadFacet, allowEmpty: false).ConfigureAwait(false) is { } request)
        {
            var result = await call.Points.FacetAsync(call.Access, call.CollectionName, request, Options(call), call.Aborted).ConfigureAwait(false);
            await call.ReplyAsync(result, AggregateWriter.WriteFacet).ConfigureAwait(false);
        }
    }

    public static Task MatrixPairsAsync(RestCall call) => MatrixAsync(call, AggregateWriter.WritePairs);

    public static Task MatrixOffsetsAsync(RestCall call) => MatrixAsync(call, AggregateWriter.WriteOffsets);

    private static ReadOptions Options(RestCall call) => QueryParams.ReadOptionsOf(call.Query);

    private static async Task GroupsAsync(RestCall call, Func<JsonElement, GroupsRequest> read, bool allowEmpty)
    {
        if (await PointsReadEndpoints.ReadAsync(call, read, allowEmpty).ConfigureAwait(false) is { } request)
        {
            var result = await call.Points.QueryGroupsAsync(call.Access, call.CollectionName, request, Options(call), call.Aborted).ConfigureAwait(false);
            await call.ReplyAsync(result, AggregateWriter.WriteGroups).ConfigureAwait(false);
        }
    }

    private static async Task MatrixAsync(RestCall call, Action<Utf8JsonWriter, DistanceMatrix> write)
    {
        if (await PointsReadEndpoints.ReadAsync(call, AggregateRequestReader.ReadMatrix, allowEmpty: true).ConfigureAwait(false) is { } request)
        {
            var result = await call.Points.SearchMatrixAsync(call.Access, call.CollectionName, request, Options(call), call.Aborted).ConfigureAwait(false);
            await call.ReplyAsync(result, write).ConfigureAwait(false);
        }
    }
}
