using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Dto;
using AotVector.Protocol.Rest.Errors;
using AotVector.Protocol.Rest.Http;
using AotVector.Protocol.Rest.Json;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>POST /collections/{name}/cluster: one change to the collection's replicas, answered <c>true</c> once agreed.</summary>
internal static class CollectionClusterEndpoints
{
    public static async Task UpdateAsync(RestCall call)
    {
        if (!QueryParams.ReadTimeout(call.Query).TryGet(out var timeout, out var paramError))
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var request = await call.ReadBodyAsync(ClusterRequestReader.Read).ConfigureAwait(false);
        if (!request.TryGet(out var operation, out var error))
        {
            await call.FailAsync(error).ConfigureAwait(false);
            return;
        }

        if (ClusterOperationRules.Validate(operation) is var (field, problem))
        {
            await call.FailAsync(RequestErrors.Validation(field, problem)).ConfigureAwait(false);
            return;
        }

        var result = await call.Collections.UpdateClusterAsync(call.Access, call.CollectionName, operation, timeout, call.Aborted).ConfigureAwait(false);
        await call.ReplyAsync(result, RestJsonContext.Default.Boolean).ConfigureAwait(false);
    }
}
