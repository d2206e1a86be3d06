using System.Text.Json;
using AotVector.Engine.Operations;
using AotVector.Protocol.Rest.Dto;
using AotVector.Protocol.Rest.Http;
using AotVector.Protocol.Rest.Json;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>Point writes: each body becomes one <see cref="UpdateOperation"/>, answered with an UpdateResult.</summary>
internal static class PointsEndpoints
{
    public static Task UpsertAsync(RestCall call) => UpdateAsync(call, UpdateRequestReader.ReadUpsert);

    public static Task DeleteAsync(RestCall call) => UpdateAsync(call, UpdateRequestReader.ReadDelete);

    public static Task SetPayloadAsync(RestCall call) => UpdateAsync(call, UpdateRequestReader.ReadSetPayload);

    public static Task OverwritePayloadAsync(RestCall call) => UpdateAsync(call, UpdateRequestReader.ReadOverwritePayload);

    public static Task DeletePayloadAsync(RestCall call) => UpdateAsync(call, UpdateRequestReader.ReadDeletePayload);

    public static Task ClearPayloadAsync(RestCall call) => UpdateAsync(call, UpdateRequestReader.ReadClearPayload);

    public static Task UpdateVectorsAsync(RestCall call) => UpdateAsync(call, UpdateRequestReader.ReadUpdateVectors);

    public static Task DeleteVectorsAsync(RestCall call) => UpdateAsync(call, UpdateRequestReader.ReadDeleteVectors);

    /// <summary>POST /points/batch: the operations in order, answered with one UpdateResult each.</summary>
    public static async Task BatchAsync(RestCall call)
    {
        if (!QueryParams.ReadWriteOptions(call.Query).TryGet(out var options, out var paramError))
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var request = await call.ReadBodyAsync(UpdateRequestReader.ReadBatchOperations).ConfigureAwait(false);
        if (!request.TryGet(out var operations, out var error))
        {
            await call.FailAsync(error).ConfigureAwait(false);
            return;
        }

        var result = await call.Points.UpdateBatchAsync(call.Access, call.CollectionName, operations, options, call.Aborted).ConfigureAwait(false);
        await call.ReplyAsync(result.Map(UpdateResultDto.FromAll), RestJsonContext.Default.UpdateResultDtoArray).ConfigureAwait(false);
    }

    /// <summary>Reads ?wait/timeout/ordering and the body (read from the root, path ""), then applies the operation.</summary>
    public static async Task UpdateAsync(RestCall call, Func<JsonElement, string, UpdateOperation> read, bool allowEmpty = false)
    {
        if (!QueryParams.ReadWriteOptions(call.Query).TryGet(out var options, out var paramError))
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var request = await call.ReadBodyAsync(root => read(root, ""), allowEmpty).ConfigureAwait(false);
        if (!request.TryGet(out var operation, out var error))
        {
            await call.FailAsync(error).ConfigureAwait(false);
            return;
        }

        var result = await call.Points.UpdateAsync(call.Access, call.CollectionName, operation, options, call.Aborted).ConfigureAwait(false);
        await call.ReplyAsync(result.Map(UpdateResultDto.From), RestJsonContext.Default.UpdateResultDto).ConfigureAwait(false);
    }

    /// <summary>An operation that needs no body (DELETE /index/{field_name}).</summary>
    public static async Task RunUpdateAsync(RestCall call, UpdateOperation operation)
    {
        if (!QueryParams.ReadWriteOptions(call.Query).TryGet(out var options, out var paramError))
        {
            await call.FailAsync(paramError).ConfigureAwait(false);
            return;
        }

        var result = await call.Points.UpdateAsync(call.Access, call.CollectionName, operation, options, call.Aborted).ConfigureAwait(false);
        await call.ReplyAsync(result.Map(UpdateResultDto.From), RestJsonContext.Default.UpdateResultDto).ConfigureAwait(false);
    }
}
