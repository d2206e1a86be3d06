using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Dto;
using AotVector.Protocol.Rest.Errors;
using AotVector.Protocol.Rest.Http;
using AotVector.Protocol.Rest.Json;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>Point reads: get one by id, retrieve by ids, scroll and count.</summary>
internal static class PointsReadEndpoints
{
    /// <summary>GET /collections/{name}/points/{id}: the record with payload and vectors, or 404.</summary>
    public static async Task GetAsync(RestCall call)
    {
        var text = call.Route("id");
        if (!PointId.TryParse(text, out var id))
        {
            await call.FailAsync(RequestErrors.PathParameter("value " + text + " " + RequestErrors.InvalidPointId)).ConfigureAwait(false);
            return;
        }

        if (QueryParams.CheckReadParams(call.Query) is { } paramError)
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var result = await call.Points.RetrieveAsync(call.Access, call.CollectionName, new RetrieveRequest([id], WithPayload.All, WithVector.All) { Consistency = QueryParams.ReadConsistencyParam(call.Query).Value }, call.Aborted).ConfigureAwait(false);
        if (!result.TryGet(out var records, out var error))
        {
            await call.FailAsync(error).ConfigureAwait(false);
            return;
        }

        if (records.Count == 0)
        {
            await call.FailAsync(AvError.PointNotFound(new PointIdText(id.ToString()))).ConfigureAwait(false);
            return;
        }

        await call.OkAsync(records[0], ResultWriter.WriteRecord).ConfigureAwait(false);
    }

    public static async Task RetrieveAsync(RestCall call)
    {
        if (await ReadAsync(call, ReadRequestReader.ReadRetrieve, allowEmpty: false).ConfigureAwait(false) is { } request)
        {
            var result = await call.Points.RetrieveAsync(call.Access, call.CollectionName, request with { Consistency = QueryParams.ReadConsistencyParam(call.Query).Value }, call.Aborted).ConfigureAwait(false);
            await call.ReplyAsync(result, ResultWriter.WriteRecords).ConfigureAwait(false);
        }
    }

    public static async Task ScrollAsync(RestCall call)
    {
        if (await ReadAsync(call, ReadRequestReader.ReadScroll, allowEmpty: true).ConfigureAwait(false) is { } request)
        {
            var result = await call.Points.ScrollAsync(call.Access, call.CollectionName, request with { Consistency = QueryParams.ReadConsistencyParam(call.Query).Value }, call.Aborted).ConfigureAwait(false);
            await call.ReplyAsync(result, ResultWriter.WriteScroll).ConfigureAwait(false);
        }
    }

    public static async Task CountAsync(RestCall call)
    {
        if (await ReadAsync(call, ReadRequestReader.ReadCount, allowEmpty: true).ConfigureAwait(false) is { } request)
        {
            var result = await call.Points.CountAsync(call.Access, call.CollectionName, request with { Consistency = QueryParams.ReadConsistencyParam(call.Query).Value }, call.Aborted).ConfigureAwait(false);
            await call.ReplyAsync(result.Map(static count => new CountResultDto(count)), RestJsonContext.Default.CountResultDto).ConfigureAwait(false);
        }
    }

    /// <summary>Checks the read query parameters and reads the body; on failure answers the error and returns null.</summary>
    public static async Task<T?> ReadAsync<T>(RestCall call, Func<System.Text.Json.JsonElement, T> read, bool allowEmpty)
        where T : class
    {
        if (QueryParams.CheckReadParams(call.Query) is { } paramError)
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return null;
        }

        var request = await call.ReadBodyAsync(read, allowEmpty).ConfigureAwait(false);
        if (!request.TryGet(out var value, out var error))
        {
            await call.FailAsync(error).ConfigureAwait(false);
            return null;
        }

        return value;
    }
}
