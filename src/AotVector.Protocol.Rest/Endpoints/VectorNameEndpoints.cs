using AotVector.Protocol.Rest.Dto;
using AotVector.Protocol.Rest.Http;
using AotVector.Protocol.Rest.Json;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>PUT and DELETE /collections/{name}/vectors/{vector_name}: a named vector added or removed, answered with an UpdateResult.</summary>
internal static class VectorNameEndpoints
{
    public static async Task CreateAsync(RestCall call)
    {
        if (!QueryParams.ReadWriteOptions(call.Query).TryGet(out var options, out var paramError))
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var vectorName = call.Route("vector_name");
        var request = await call.ReadBodyAsync(root => VectorNameReader.Read(root, vectorName)).ConfigureAwait(false);
        if (!request.TryGet(out var create, out var error))
        {
            await call.FailAsync(error).ConfigureAwait(false);
            return;
        }

        var result = await call.Points.CreateVectorNameAsync(call.Access, call.CollectionName, create, options, call.Aborted).ConfigureAwait(false);
        await call.ReplyAsync(result.Map(UpdateResultDto.From), RestJsonContext.Default.UpdateResultDto).ConfigureAwait(false);
    }

    public static async Task DeleteAsync(RestCall call)
    {
        if (!QueryParams.ReadWriteOptions(call.Query).TryGet(out var options, out var paramError))
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var result = await call.Points.DeleteVectorNameAsync(call.Access, call.CollectionName, call.Route("vector_name"), options, call.Aborted).ConfigureAwait(false);
        await call.ReplyAsync(result.Map(UpdateResultDto.From), RestJsonContext.Default.UpdateResultDto).ConfigureAwait(false);
    }
}
