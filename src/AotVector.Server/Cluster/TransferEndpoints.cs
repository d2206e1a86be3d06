using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using AotVector.Common.Errors;

namespace AotVector.Server.Cluster;

/// <summary>Has the target of a transfer emptied its replica for this transfer (so the source may stream)?</summary>
internal sealed record TransferReadyRequest(string Collection, uint ShardId, Guid TransferId);

/// <summary>Is this peer up (a transfer's target watching its source)?</summary>
internal sealed record AliveRequest(ulong From);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TransferReadyRequest))]
[JsonSerializable(typeof(AliveRequest))]
internal sealed partial class TransferJsonContext : JsonSerializerContext;

/// <summary>
/// The internal calls a transfer's source makes on the p2p port (JSON over HTTP/2, answered with a
/// <see cref="P2pAnswer"/>): is the target ready, and (asked by a target of its source) is this peer up.
/// </summary>
internal static class TransferEndpoints
{
    public const string ReadyPath = "/aotvector.p2p/transfer_ready";
    public const string AlivePath = "/aotvector.p2p/alive";

    public static void Map(WebApplication app, ConsensusNode node)
    {
        app.MapPost(ReadyPath, (RequestDelegate)(async context =>
        {
            var request = await ReadAsync(context, TransferJsonContext.Default.TransferReadyRequest).ConfigureAwait(false);
            Result<bool> answer = request is null
                ? AvError.BadRequest("not a transfer-ready request")
                : node.Engine.IsTransferTargetReady(request.Collection, request.ShardId, request.TransferId)
                    ? true
                    : new AvError(ErrorKind.Unavailable, "the target has not prepared its replica for this transfer yet");
            await WriteAsync(context, answer).ConfigureAwait(false);
        }));

        app.MapPost(AlivePath, (RequestDelegate)(async context =>
        {
            var request = await ReadAsync(context, TransferJsonContext.Default.AliveRequest).ConfigureAwait(false);
            Result<bool> answer = request is null ? AvError.BadRequest("not an alive request") : true;
            await WriteAsync(context, answer).ConfigureAwait(false);
        }));
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpContext context, Result<bool> result)
    {
        context.Response.StatusCode = (int)(result.IsOk ? HttpStatusCode.OK : result.Error.Kind is ErrorKind.Unavailable or ErrorKind.Timeout ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.BadRequest);
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, P2pAnswer.From(result), P2pJsonContext.Default.P2pAnswer, context.RequestAborted).ConfigureAwait(false);
    }
}
