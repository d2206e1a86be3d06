using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Decoding;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PeerWire = AotVector.Protocol.Grpc.P2p.Wire;

namespace AotVector.Protocol.Grpc.P2p;

/// <summary>
/// What the host calls to serve the internal peer-to-peer API (<c>aotvector.p2p.*</c>) on the p2p listener. The
/// services resolve <see cref="ILocalShards"/> from DI, which the host registers (the engine).
/// </summary>
public static class PeerEndpoints
{
    /// <summary>
    /// Registers gRPC (if the host has not) and the p2p services. Peers exchange whole batches and are authenticated
    /// by the listener, so their messages have no size limit, as the reference's internal services.
    /// </summary>
    public static IServiceCollection AddPeerServices(this IServiceCollection services)
    {
        services.AddGrpc().AddServiceOptions<ShardsInternalService>(options =>
        {
            options.MaxReceiveMessageSize = null;
            options.MaxSendMessageSize = null;
        });

        services.AddSingleton(static p => new ShardsInternalService(p.GetRequiredService<ILocalShards>()));

        // As for the public services: methods bound by our provider only, each request decoded by a checked marshaller.
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        services.AddSingleton<IServiceMethodProvider<ShardsInternalService>>(provider => new CheckedMethodProvider<ShardsInternalService>(
            provider.GetRequiredService<ShardsInternalService>(),
            static (binder, service) => PeerWire.ShardsInternal.BindService(binder, service),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(RequestDecodeLog.Category)));
        return services;
    }

    /// <summary>
    /// Maps the p2p services. The returned builder lets the host confine them to the p2p port (e.g. <c>RequireHost</c>).
    /// </summary>
    public static GrpcServiceEndpointConventionBuilder MapPeerServices(this IEndpointRouteBuilder app) =>
        app.MapGrpcService<ShardsInternalService>();
}
