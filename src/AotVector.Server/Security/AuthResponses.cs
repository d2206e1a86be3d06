using System.Globalization;
using AotVector.Server.Hosting;

namespace AotVector.Server.Security;

/// <summary>
/// The bodies of refused requests. REST: 401 plain text (as the reference server), 403 plain text for a
/// rejected token, 403 with the JSON error envelope for a missing right, 429 with the envelope and Retry-After
/// for a throttled address. gRPC: the matching status in a trailers-only response.
/// </summary>
internal static class AuthResponses
{
    public static Task UnauthenticatedAsync(HttpContext context, string message) =>
        GrpcRequest.Is(context)
            ? RefusalResponses.GrpcStatusAsync(context, RefusalResponses.GrpcUnauthenticated, message)
            : RefusalResponses.TextAsync(context, StatusCodes.Status401Unauthorized, message);

    public static Task RejectedTokenAsync(HttpContext context, string message) =>
        GrpcRequest.Is(context)
            ? RefusalResponses.GrpcStatusAsync(context, RefusalResponses.GrpcPermissionDenied, message)
            : RefusalResponses.TextAsync(context, StatusCodes.Status403Forbidden, message);

    /// <summary>A valid caller without the right: the same envelope the engine's Forbidden errors get.</summary>
    public static Task ForbiddenAsync(HttpContext context, string message) =>
        GrpcRequest.Is(context)
            ? RefusalResponses.GrpcStatusAsync(context, RefusalResponses.GrpcPermissionDenied, message)
            : RefusalResponses.JsonErrorAsync(context, StatusCodes.Status403Forbidden, message);

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
            return RefusalResponses.GrpcStatusAsync(context, RefusalResponses.GrpcResourceExhausted, message);
        }

        context.Response.Headers.RetryAfter = seconds;
        return RefusalResponses.JsonErrorAsync(context, StatusCodes.Status429TooManyRequests, message);
    }
}
