using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using AotVector.Server.Hosting;

namespace AotVector.Server.Security;

/// <summary>
/// The bodies of refused requests. REST: 401 plain text (as the reference server), 403 plain text for a
/// rejected token, 403 with the JSON error envelope for a missing right, 429 with the envelope and Retry-After
/// for a throttled address. gRPC: a trailers-only response
/// (HTTP 200, grpc-status and grpc-message in the headers, no body), which clients read as the call's status.
/// </summary>
internal static class AuthResponses
{
    private const int GrpcUnauthenticated = 16;
    private const int GrpcPermissionDenied = 7;
    private const int GrpcResourceExhausted = 8;

    public static Task UnauthenticatedAsync(HttpContext context, string message) =>
        GrpcRequest.Is(context)
            ? GrpcAsync(context, GrpcUnauthenticated, message)
            : TextAsync(context, StatusCodes.Status401Unauthorized, message);

    public static Task RejectedTokenAsync(HttpContext context, string message) =>
        GrpcRequest.Is(context)
            ? GrpcAsync(context, GrpcPermissionDenied, message)
            : TextAsync(context, StatusCodes.Status403Forbidden, message);

    /// <summary>A valid caller without the right: the same envelope the engine's Forbidden errors get.</summary>
    public static Task ForbiddenAsync(HttpContext context, string message)
    {
        if (GrpcRequest.Is(context))
        {
            return GrpcAsync(context, GrpcPermissionDenied, message);
        }

        return EnvelopeAsync(context, StatusCodes.Status403Forbidden, message);
    }

    /// <summary>
    /// An address that failed authentication too often. gRPC gets RESOURCE_EXHAUSTED, the code of the reference
    /// server's own rate limits: clients do not retry it on their own (as many do UNAVAILABLE), and the retry-after
    /// metadata says when to come back, as Retry-After does on REST.
    /// </summary>
    public static Task TooManyFailuresAsync(HttpContext context, string message, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (GrpcRequest.Is(context))
        {
            context.Response.Headers["retry-after"] = seconds;
            return GrpcAsync(context, GrpcResourceExhausted, message);
        }

        context.Response.Headers.RetryAfter = seconds;
        return EnvelopeAsync(context, StatusCodes.Status429TooManyRequests, message);
    }

    private static Task EnvelopeAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = "{\"status\":{\"error\":\"" + JavaScriptEncoder.Default.Encode(message) + "\"},\"time\":0.0}";
        return WriteAsync(context, Encoding.UTF8.GetBytes(body));
    }

    private static Task TextAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return WriteAsync(context, Encoding.UTF8.GetBytes(message));
    }

    /// <summary>With a Content-Length, so HTTP/1.1 clients get the body in one piece rather than chunked.</summary>
    private static Task WriteAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    private static Task GrpcAsync(HttpContext context, int status, string message)
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
}
