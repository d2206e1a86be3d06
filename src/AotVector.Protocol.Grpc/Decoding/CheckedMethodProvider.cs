using System.Diagnostics.CodeAnalysis;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace AotVector.Protocol.Grpc.Decoding;

/// <summary>
/// Discovers a service's methods by calling its generated <c>BindService</c> directly (gRPC's own provider finds
/// and calls it by reflection) and registers each with <see cref="RequestDecoding.Checked"/>'s request marshaller.
/// The handlers are bound to the one service instance, which is a DI singleton.
/// </summary>
internal sealed class CheckedMethodProvider<[DynamicallyAccessedMembers(GrpcEndpoints.ServiceMembers)] TService>(
    TService service,
    Action<ServiceBinderBase, TService> bind,
    ILogger logger) : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context) => bind(new Binder(context, logger), service);

    private static List<object> Metadata() =>
        // What gRPC's own provider adds: POST only, with CORS pre-flights let through to the CORS middleware.
        [new HttpMethodMetadata(["POST"], acceptCorsPreflight: true)];

    private sealed class Binder(ServiceMethodProviderContext<TService> context, ILogger logger) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            context.AddUnaryMethod(RequestDecoding.Checked(method, logger), Metadata(), (_, request, call) => handler(request, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            context.AddServerStreamingMethod(RequestDecoding.Checked(method, logger), Metadata(), (_, request, stream, call) => handler(request, stream, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            context.AddClientStreamingMethod(RequestDecoding.Checked(method, logger), Metadata(), (_, requests, call) => handler(requests, call));
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            ArgumentNullException.ThrowIfNull(handler);
            context.AddDuplexStreamingMethod(RequestDecoding.Checked(method, logger), Metadata(), (_, requests, stream, call) => handler(requests, stream, call));
        }
    }
}
