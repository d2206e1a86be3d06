using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Decoding;
using AotVector.Protocol.Grpc.Services;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Grpc.Net.Compression;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc;

/// <summary>What the host calls to serve the Qdrant gRPC API (plus grpc.health.v1). No reflection service.</summary>
public static class GrpcEndpoints
{
    /// <summary>What gRPC's route builder asks of a service type, for trimming.</summary>
    internal const DynamicallyAccessedMemberTypes ServiceMembers =
        DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods;

    /// <summary>The only methods that answer without credentials (of grpc.health.v1 only Check, not Watch).</summary>
    private static readonly HashSet<string> s_anonymousMethods = new(StringComparer.Ordinal)
    {
        "/qdrant.Qdrant/HealthCheck",
        "/grpc.health.v1.Health/Check",
    };

    /// <summary>
    /// Registers gRPC with a receive limit of <paramref name="maxMessageBytes"/>, before and after decompression
    /// (Qdrant leaves gRPC unbounded; we follow max_request_size_mb), and no send limit. The services resolve
    /// <c>ICollectionsApi</c>, <c>IPointsApi</c> and <c>ISnapshotsApi</c> from DI, which the host registers.
    /// </summary>
    public static IServiceCollection AddQdrantGrpc(this IServiceCollection services, int maxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = maxMessageBytes;
            options.MaxSendMessageSize = null;
            options.EnableDetailedErrors = false;
            // Like Qdrant: gzip responses to clients that accept it.
            options.ResponseCompressionAlgorithm = "gzip";
            options.ResponseCompressionLevel = CompressionLevel.Fastest;
        });

        // gRPC's default providers (gzip and deflate), held to the receive limit after decompression too (gRPC's own
        // providers inflate without one), with decompression failures answered as statuses.
        services.AddOptions<GrpcServiceOptions>().Configure<ILoggerFactory>((options, loggers) =>
        {
            var logger = loggers.CreateLogger(RequestDecodeLog.Category);
            options.CompressionProviders =
            [
                new CheckedCompressionProvider(new GzipCompressionProvider(CompressionLevel.Fastest), maxMessageBytes, logger),
                new CheckedCompressionProvider(new DeflateCompressionProvider(CompressionLevel.Fastest), maxMessageBytes, logger),
            ];
        });

        // The services are stateless: registered as singletons, gRPC takes them from DI instead of constructing
        // one per call (by reflection under Native AOT).
        services.AddSingleton(static p => new Readiness(p.GetService<IStorageStatus>(), p.GetService<IHostApplicationLifetime>()));
        services.AddSingleton(static p => new QdrantService(p.GetRequiredService<Readiness>()));
        services.AddSingleton(static p => new HealthService(p.GetRequiredService<Readiness>()));
        services.AddSingleton<CollectionsService>();
        services.AddSingleton<PointsService>();
        services.AddSingleton<SnapshotsService>();

        // Methods are bound by our provider only, so that every request message is decoded by a checked
        // marshaller (RequestDecoding); gRPC's reflection-based providers would bind each method a second time.
        services.RemoveAll(typeof(IServiceMethodProvider<>));
        AddMethods<QdrantService>(services, static (binder, service) => Wire.Qdrant.BindService(binder, service));
        AddMethods<HealthService>(services, static (binder, service) => Health.Health.BindService(binder, service));
        AddMethods<CollectionsService>(services, static (binder, service) => Wire.Collections.BindService(binder, service));
        AddMethods<PointsService>(services, static (binder, service) => Wire.Points.BindService(binder, service));
        AddMethods<SnapshotsService>(services, static (binder, service) => Wire.Snapshots.BindService(binder, service));
        return services;
    }

    public static IEndpointRouteBuilder MapQdrantGrpc(this IEndpointRouteBuilder app)
    {
        static void Conventions(EndpointBuilder endpoint) => ApplyMethodConventions(endpoint);

        // The conventions reach every endpoint a MapGrpcService call creates, which includes gRPC's catch-alls
        // for unknown services and methods (UNIMPLEMENTED); only the real methods carry GrpcMethodMetadata.
        app.MapGrpcService<QdrantService>().Add(Conventions);
        app.MapGrpcService<HealthService>().Add(Conventions);
        app.MapGrpcService<CollectionsService>().Add(Conventions);
        app.MapGrpcService<PointsService>().Add(Conventions);
        app.MapGrpcService<SnapshotsService>().Add(Conventions);
        UnsupportedServices.Map(app);
        return app;
    }

    /// <summary>
    /// Health checks answer without a key (the server's auth reads this metadata on the routed endpoint). A
    /// catch-all is left alone, so an unknown method needs credentials like any other call and UNIMPLEMENTED tells
    /// an anonymous caller nothing. The message framing (prefix, length, one message) is checked by the server
    /// before gRPC reads the body.
    /// </summary>
    internal static void ApplyMethodConventions(EndpointBuilder endpoint)
    {
        if (endpoint.Metadata.OfType<GrpcMethodMetadata>().FirstOrDefault() is not { } grpc)
        {
            return;
        }

        if (s_anonymousMethods.Contains(grpc.Method.FullName))
        {
            endpoint.Metadata.Add(new AllowAnonymousAttribute());
        }
    }

    private static void AddMethods<[DynamicallyAccessedMembers(ServiceMembers)] TService>(IServiceCollection services, Action<ServiceBinderBase, TService> bind)
        where TService : class =>
        services.AddSingleton<IServiceMethodProvider<TService>>(provider => new CheckedMethodProvider<TService>(
            provider.GetRequiredService<TService>(),
            bind,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(RequestDecodeLog.Category)));
}
