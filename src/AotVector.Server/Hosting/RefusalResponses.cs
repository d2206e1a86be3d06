using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace AotVector.Server.Hosting;

/// <summary>
/// Answers written by the server's own middleware before any endpoint runs: the REST JSON error envelope, and
/// for gRPC a trailers-only response (HTTP 200, grpc-status and grpc-message in the headers, no body), which
/// clients read as the call's status.
/// </summary>
internal static class RefusalResponses
{
    public const int GrpcInvalidArgument = 3;
    public const int GrpcResourceExhausted = 8;
    public const int GrpcPermissionDenied = 7;
    public const int GrpcUnauthenticated = 16;

    /// <summary>Qdrant's envelope, <c>{"status":{"error":"…"},"time":0.0}</c>, with a Content-Length.</summary>
    public static Task JsonErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = "{\"status\":{\"error\":\"" + JavaScriptEncoder.Default.Encode(message) + "\"},\"time\":0.0}";
        return WriteAsync(context, Encoding.UTF8.GetBytes(body));
    }

    public static Task TextAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return WriteAsync(context, Encoding.UTF8.GetBytes(message));
    }

    public static Task GrpcStatusAsync(HttpContext context, int status, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
        return Task.CompletedTask;
    }

    /// <summary>grpc-message is percent-encoded UTF-8 outside printable ASCII (and '%' itself).</summary>
    internal static string PercentEncode(string message)
    {
        var sb = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>With a Content-Length, so HTTP/1.1 clients get the body in one piece rather than chunked.</summary>
    private static Task WriteAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }
}
