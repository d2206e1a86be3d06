using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AotVector.Server.Security.Audit;

/// <summary>
/// Notes the collection a gRPC call names on the request's <see cref="AuditScope"/>: the audit middleware sees
/// only HTTP, and the message is parsed here, after the security layer let the call through. Qdrant's RPCs that
/// name a collection are all unary.
/// </summary>
internal sealed class AuditInterceptor : Interceptor
{
    /// <summary>Registered as a DI singleton, so gRPC takes it from there instead of constructing one by reflection.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<AuditInterceptor>();
        services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<AuditInterceptor>());
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (context.GetHttpContext().Features.Get<AuditScope>() is { } scope)
        {
            scope.Collection = GrpcCollectionName.Of(request);
        }

        return continuation(request, context);
    }
}
