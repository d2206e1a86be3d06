using System.Net;
using System.Text.Json;
using AotVector.Common.Errors;

namespace AotVector.Server.Cluster;

/// <summary>
/// Our internal consensus calls on the p2p port (JSON over HTTP/2): a follower forwards a proposal to the leader, a
/// joining peer asks any peer to add it, a peer removal reaches the leader. Each answers a <see cref="P2pAnswer"/>.
/// </summary>
internal static class P2pEndpoints
{
    /// <summary>Internal request bodies are small; anything larger is not ours.</summary>
    private const int MaxBody = 16 * 1024 * 1024;

    public static void Map(WebApplication app, ConsensusNode node)
    {
        app.MapPost(MetaProposer.ProposePath, (RequestDelegate)(async context =>
        {
            if (await ReadBodyAsync(context).ConfigureAwait(false) is not { } body)
            {
                return;
            }

            var (status, answer) = await node.Proposer.AppendForwardedAsync(body, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, status, answer).ConfigureAwait(false);
        }));

        app.MapPost(ConsensusNode.JoinPath, (RequestDelegate)(async context =>
        {
            if (await ReadBodyAsync(context).ConfigureAwait(false) is not { } body)
            {
                return;
            }

            var request = Deserialize(body, P2pJsonContext.Default.JoinRequest);
            if (request is null)
            {
                await WriteAsync(context, HttpStatusCode.BadRequest, new P2pAnswer(false, ErrorKind.BadRequest, "not a join request")).ConfigureAwait(false);
                return;
            }

            var result = await node.JoinOnLeaderAsync(request, body).ConfigureAwait(false);
            await WriteAsync(context, result).ConfigureAwait(false);
        }));

        app.MapPost(ConsensusNode.RemovePeerPath, (RequestDelegate)(async context =>
        {
            if (await ReadBodyAsync(context).ConfigureAwait(false) is not { } body)
            {
                return;
            }

            var request = Deserialize(body, P2pJsonContext.Default.RemovePeerRequest);
            if (request is null)
            {
                await WriteAsync(context, HttpStatusCode.BadRequest, new P2pAnswer(false, ErrorKind.BadRequest, "not a remove-peer request")).ConfigureAwait(false);
                return;
            }

            var result = await node.RemovePeerOnLeaderAsync(request.PeerId, body).ConfigureAwait(false);
            await WriteAsync(context, result).ConfigureAwait(false);
        }));
    }

    private static T? Deserialize<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody)
            {
                await WriteAsync(context, HttpStatusCode.RequestEntityTooLarge, new P2pAnswer(false, ErrorKind.BadRequest, "request too large")).ConfigureAwait(false);
                return null;
            }
        }

        return buffer.ToArray();
    }

    private static Task WriteAsync(HttpContext context, Result<bool> result)
    {
        var status = result.IsOk ? HttpStatusCode.OK : result.Error.Kind switch
        {
            ErrorKind.Unavailable or ErrorKind.Timeout => HttpStatusCode.ServiceUnavailable,
            ErrorKind.NotFound => HttpStatusCode.NotFound,
            _ => HttpStatusCode.BadRequest,
        };
        return WriteAsync(context, status, P2pAnswer.From(result));
    }

    private static async Task WriteAsync(HttpContext context, HttpStatusCode status, P2pAnswer answer)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, answer, P2pJsonContext.Default.P2pAnswer, context.RequestAborted).ConfigureAwait(false);
    }
}
