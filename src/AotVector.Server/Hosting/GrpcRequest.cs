namespace AotVector.Server.Hosting;

/// <summary>
/// Whether a request is a gRPC call: HTTP/2 with the content type every gRPC client sends (case-insensitive, as
/// media types are). The same content type over HTTP/1.1 is not gRPC (gRPC needs HTTP/2) and is treated as REST.
/// </summary>
internal static class GrpcRequest
{
    public static bool Is(HttpContext context) =>
        HttpProtocol.IsHttp2(context.Request.Protocol)
        && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}
