namespace AotVector.Server.Hosting;

/// <summary>Whether a request is a gRPC call: the content type every gRPC client sends (case-insensitive, as media types are).</summary>
internal static class GrpcRequest
{
    public static bool Is(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}
