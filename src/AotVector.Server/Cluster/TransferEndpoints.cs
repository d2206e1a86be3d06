using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using AotVector.Common.Errors;

namespace AotVector.Server.Cluster;

/// <summary>Has the target of a transfer emptied its replica for this transfer (so the source may stream)?</summary>
internal sealed record TransferReadyRequest(string Collection, uint ShardId, Guid TransferId);

/// <summary>Wait until this peer has applied the consensus log up to <c>Index</c> (and acted on it locally).</summary>
internal sealed record WaitAppliedRequest(long Index);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TransferReadyRequest))]
[JsonSerializable(typeof(WaitAppliedRequest))]
internal sealed partial class TransferJsonContext : JsonSerializerContext;

/// <summary>
/// The internal calls a transfer's source makes on the p2p port (JSON over HTTP/2, answered with a
/// <see cref="P2pAnswer"/>): is the target ready, and has every peer applied the transfer's start (the reference's
/// wait on the consensus commit), so each peer's writes already reach the target before the source streams.
/// </summary>
internal static class TransferEndpoints
{
    public const string ReadyPath = "/aotvector.p2p/transfer_ready";
    public const string WaitAppliedPath = "/aotvector.p2p/wait_applied";

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

        app.MapPost(WaitAppliedPath, (RequestDelegate)(async context =>
        {
            var request = await ReadAsync(context, TransferJsonContext.Default.WaitAppliedRequest).ConfigureAwait(false);
            Result<bool> answer = request is null ? AvError.BadRequest("not a wait-applied request") : await WaitAppliedAsync(node, request.Index, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, answer).ConfigureAwait(false);
        }));
    }

    private static async Task<Result<bool>> WaitAppliedAsync(ConsensusNode node, long index, CancellationToken ct)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(MetaProposer.DefaultTimeout);
            await node.Log.WaitForApplyAsync(index, deadline.Token).ConfigureAwait(false);
            await node.Applier.DrainedAsync().WaitAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return AvError.Timeout($"this peer did not apply the consensus log up to {index} in time");
        }
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
