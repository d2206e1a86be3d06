using AotVector.Server.Hosting;

namespace AotVector.Server.Security;

/// <summary>
/// The bodies of refused requests. REST: 401 plain text (as the reference server), 403 plain text for a
/// rejected token, 403 with the JSON error envelope for a missing right. gRPC: the matching status in a
/// trailers-only response.
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
}
