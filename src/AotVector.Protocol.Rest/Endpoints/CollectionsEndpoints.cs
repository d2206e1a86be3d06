using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Protocol.Rest.Dto;
using AotVector.Protocol.Rest.Http;
using AotVector.Protocol.Rest.Json;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>/collections…: list, create, info, update, delete, exists, aliases and payload indexes.</summary>
internal static class CollectionsEndpoints
{
    public static Task ListAsync(RestCall call) =>
        call.ReplyAsync(call.Collections.List(call.Access).Map(CollectionsResponseDto.From), RestJsonContext.Default.CollectionsResponseDto);

    public static async Task CreateAsync(RestCall call)
    {
        if (!QueryParams.ReadTimeout(call.Query).TryGet(out _, out var paramError))
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var name = call.CollectionName;
        var unknownFields = new List<string>();
        var request = await call.ReadBodyAsync(root => CollectionRequestReader.ReadCreate(root, name, unknownFields), allowEmpty: true).ConfigureAwait(false);
        if (!request.TryGet(out var value, out var error))
        {
            await call.FailAsync(error).ConfigureAwait(false);
            return;
        }

        RequestLog.UnknownFields(call.Context, name, unknownFields);
        var result = await call.Collections.CreateAsync(call.Access, value, call.Aborted).ConfigureAwait(false);
        await call.ReplyAsync(result, RestJsonContext.Default.Boolean).ConfigureAwait(false);
    }

    public static async Task UpdateAsync(RestCall call)
    {
        if (!QueryParams.ReadTimeout(call.Query).TryGet(out _, out var paramError))
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var name = call.CollectionName;
        var request = await call.ReadBodyAsync(root => CollectionRequestReader.ReadUpdate(root, name), allowEmpty: true).ConfigureAwait(false);
        if (!request.TryGet(out var value, out var error))
        {
            await call.FailAsync(error).ConfigureAwait(false);
            return;
        }

        var result = await call.Collections.UpdateAsync(call.Access, value, call.Aborted).ConfigureAwait(false);
        await call.ReplyAsync(result, RestJsonContext.Default.Boolean).ConfigureAwait(false);
    }

    public static Task GetAsync(RestCall call) =>
        call.ReplyAsync(call.Collections.GetInfo(call.Access, call.CollectionName).Map(CollectionInfoDto.From), RestJsonContext.Default.CollectionInfoDto);

    public static async Task DeleteAsync(RestCall call)
    {
        if (!QueryParams.ReadTimeout(call.Query).TryGet(out _, out var paramError))
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var result = await call.Collections.DeleteAsync(call.Access, call.CollectionName, call.Aborted).ConfigureAwait(false);
        await call.ReplyAsync(result, RestJsonContext.Default.Boolean).ConfigureAwait(false);
    }

    public static Task ExistsAsync(RestCall call) =>
        call.ReplyAsync(call.Collections.Exists(call.Access, call.CollectionName).Map(static exists => new CollectionExistenceDto(exists)), RestJsonContext.Default.CollectionExistenceDto);

    public static async Task UpdateAliasesAsync(RestCall call)
    {
        if (!QueryParams.ReadTimeout(call.Query).TryGet(out _, out var paramError))
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var request = await call.ReadBodyAsync(CollectionRequestReader.ReadAliasActions).ConfigureAwait(false);
        if (!request.TryGet(out var actions, out var error))
        {
            await call.FailAsync(error).ConfigureAwait(false);
            return;
        }

        var result = await call.Collections.UpdateAliasesAsync(call.Access, actions, call.Aborted).ConfigureAwait(false);
        await call.ReplyAsync(result, RestJsonContext.Default.Boolean).ConfigureAwait(false);
    }

    public static Task ListAliasesAsync(RestCall call) =>
        call.ReplyAsync(call.Collections.ListAliases(call.Access).Map(AliasesResponseDto.From), RestJsonContext.Default.AliasesResponseDto);

    public static Task ListCollectionAliasesAsync(RestCall call) =>
        call.ReplyAsync(call.Collections.ListCollectionAliases(call.Access, call.CollectionName).Map(AliasesResponseDto.From), RestJsonContext.Default.AliasesResponseDto);

    /// <summary>GET /collections/{name}/cluster: this peer's id, the shard count, local and remote replicas.</summary>
    public static Task ClusterInfoAsync(RestCall call) =>
        call.ReplyAsync(call.Collections.ClusterInfo(call.Access, call.CollectionName).Map(CollectionClusterInfoDto.From), RestJsonContext.Default.CollectionClusterInfoDto);

    /// <summary>PUT /collections/{name}/index, answered with an UpdateResult like every point write.</summary>
    public static Task CreateIndexAsync(RestCall call) =>
        PointsEndpoints.UpdateAsync(call, static (root, _) => CollectionRequestReader.ReadCreateIndex(root), allowEmpty: false);

    public static Task DeleteIndexAsync(RestCall call)
    {
        var field = call.Route("field_name");
        return PointsEndpoints.RunUpdateAsync(call, new DeleteFieldIndex(field));
    }
}
