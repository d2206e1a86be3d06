using System.Buffers;
using AotVector.Common.Errors;
using CommunityToolkit.HighPerformance.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace AotVector.Protocol.Rest.Http;

/// <summary>
/// Reads a REST request body into pooled memory with a running count: the buffer grows with the bytes that
/// actually arrived (never sized from Content-Length, which a client can set to anything), and the read stops
/// at the request's body limit (the server sets it from max_request_size_mb).
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>Enough for a typical search or small upsert; larger bodies grow the buffer as they arrive.</summary>
    private const int InitialCapacity = 4096;

    /// <summary>The body, or why it could not be read. The caller disposes the buffer once it has parsed it.</summary>
    public static async Task<Result<ArrayPoolBufferWriter<byte>>> ReadAsync(HttpContext context, CancellationToken ct)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? long.MaxValue;
        var reader = context.Request.BodyReader;
        var body = new ArrayPoolBufferWriter<byte>(InitialCapacity);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (body.WrittenCount + buffer.Length > limit)
                {
                    reader.AdvanceTo(buffer.End);
                    body.Dispose();
                    return AvError.PayloadTooLarge(limit);
                }

                foreach (var segment in buffer)
                {
                    body.Write(segment.Span);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return body;
                }
            }
        }
        catch (BadHttpRequestException e)
        {
            body.Dispose();
            // Kestrel's own checks: the same body limit, a body that arrives too slowly (the connection is then
            // closed), or one the client sent broken (cut short, bad chunked framing).
            return e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => AvError.PayloadTooLarge(limit),
                StatusCodes.Status408RequestTimeout => AvError.Timeout("the request body was not received: " + e.Message.TrimEnd('.')),
                _ => new AvError(ErrorKind.BadRequest, "Bad request body: " + e.Message.TrimEnd('.')),
            };
        }
        catch (IOException e)
        {
            // The connection failed under the read (most often the client went away): a 400 if anyone still listens.
            body.Dispose();
            return AvError.BadRequest("the request body could not be read: " + e.Message);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }
}
