using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Routing;

namespace AotVector.Server.Security.Audit;

/// <summary>
/// What the routed endpoint is, for the audit line: REST by route pattern and method, gRPC by its method
/// metadata, never by the raw path (an unrouted request has no <see cref="Api"/>). Management actions (collections,
/// aliases, payload indexes, vector names) get a line whatever their result; every other request only when refused.
/// </summary>
internal readonly record struct AuditOperation(string Method, string? Api, bool IsManagement, bool IsGrpc)
{
    public const string GrpcMethod = "grpc";

    public static AuditOperation Of(Endpoint? endpoint, string httpMethod)
    {
        if (endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } grpc)
        {
            var path = grpc.Method.FullName;
            return new AuditOperation(GrpcMethod, path, IsGrpcManagement(path), IsGrpc: true);
        }

        var pattern = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
        return new AuditOperation(httpMethod, pattern, pattern is not null && IsRestManagement(httpMethod, pattern), IsGrpc: false);
    }

    private static bool IsRestManagement(string method, string pattern) => pattern switch
    {
        "/collections/{name}" => HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method),
        "/collections/aliases" => HttpMethods.IsPost(method),
        "/collections/{name}/index" => HttpMethods.IsPut(method),
        "/collections/{name}/index/{field_name}" => HttpMethods.IsDelete(method),
        "/collections/{name}/vectors/{vector_name}" => HttpMethods.IsPut(method) || HttpMethods.IsDelete(method),
        _ => false,
    };

    private static bool IsGrpcManagement(string path) => path is
        "/qdrant.Collections/Create" or "/qdrant.Collections/Update" or "/qdrant.Collections/Delete"
        or "/qdrant.Collections/UpdateAliases" or "/qdrant.Points/CreateFieldIndex" or "/qdrant.Points/DeleteFieldIndex"
        or "/qdrant.Points/CreateVectorName" or "/qdrant.Points/DeleteVectorName";
}
