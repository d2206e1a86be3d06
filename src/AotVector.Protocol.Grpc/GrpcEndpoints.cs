using System.IO.Compression;
using AotVector.Protocol.Grpc.Compression;
using AotVector.Protocol.Grpc.Services;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AotVector.Protocol.Grpc;

/// <summary>What the host calls to serve the Qdrant gRPC API (plus grpc.health.v1). No reflection service.</summary>
public static class GrpcEndpoints
{
    /// <summary>
    /// Registers gRPC with a receive limit of <paramref name="maxMessageBytes"/>, before and after decompression
    /// (Qdrant leaves gRPC unbounded; we follow max_request_size_mb), and no send limit. The services resolve
    /// <c>ICollectionsApi</c> and <c>IPointsApi</c> from DI, which the host registers.
    /// </summary>
    public static IServiceCollection AddQdrantGrpc(this IServiceCollection services, int maxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = maxMessageBytes;
            options.MaxSendMessageSize = null;
            options.EnableDetailedErrors = false;
            // Like Qdrant: gzip responses to clients that accept it. Requests may be gzip-compressed too; their
            // decompressed size is held to the same limit (gRPC's own provider has none).
            options.CompressionProviders = [new BoundedGzipCompressionProvider(maxMessageBytes, CompressionLevel.Fastest)];
            options.ResponseCompressionAlgorithm = "gzip";
            options.ResponseCompressionLevel = CompressionLevel.Fastest;
        });

        // The services are stateless: registered as singletons, gRPC takes them from DI instead of constructing
        // one per call (by reflection under Native AOT).
        services.AddSingleton<QdrantService>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<CollectionsService>();
        services.AddSingleton<PointsService>();
        services.AddSingleton<SnapshotsService>();
        return services;
    }

    public static IEndpointRouteBuilder MapQdrantGrpc(this IEndpointRouteBuilder app)
    {
        // Health checks answer without a key (qdrant.Qdrant has only HealthCheck; of grpc.health.v1 only Check,
        // not Watch). The server's auth reads this metadata on the routed endpoint.
        app.MapGrpcService<QdrantService>().AllowAnonymous();
        app.MapGrpcService<HealthService>().Add(static endpoint =>
        {
            if (endpoint.Metadata.OfType<GrpcMethodMetadata>().Any(m => m.Method.Name == "Check"))
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
        });
        app.MapGrpcService<CollectionsService>();
        app.MapGrpcService<PointsService>();
        app.MapGrpcService<SnapshotsService>();
        return app;
    }
}
