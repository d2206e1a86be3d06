using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace AotVector.Server.Hosting;

/// <summary>
/// Answers 413 with Qdrant's JSON error body when a request is larger than max_request_size_mb:
/// up front from Content-Length, or when Kestrel's body limit trips while a handler reads.
/// </summary>
internal sealed class RequestSizeMiddleware(RequestDelegate next, long maxBytes)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength is { } length && length > maxBytes && !GrpcRequest.Is(context))
        {
            await WriteTooLargeAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await WriteTooLargeAsync(context).ConfigureAwait(false);
        }
    }

    private async Task WriteTooLargeAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.ContentType = "application/json";
        var body = $"{{\"status\":{{\"error\":\"Payload too large: the request body exceeds max_request_size_mb ({maxBytes / (1024 * 1024)} MB)\"}},\"time\":0.0}}";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body)).ConfigureAwait(false);
    }
}
