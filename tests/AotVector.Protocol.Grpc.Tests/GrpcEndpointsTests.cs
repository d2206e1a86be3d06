using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Decoding;
using AotVector.Protocol.Grpc.Services;
using AotVector.Protocol.Grpc.Tests.TestSupport;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AotVector.Protocol.Grpc.Tests;

public sealed class GrpcEndpointsTests
{
    private static readonly Marshaller<byte[]> s_bytes = Marshallers.Create(b => b, b => b);

    [Fact]
    public void AddQdrantGrpc_SetsReceiveLimitAndGzip()
    {
        var services = new ServiceCollection();
        services.AddLogging();

        services.AddQdrantGrpc(32 * 1024 * 1024);

        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
        Assert.Equal(32 * 1024 * 1024, options.MaxReceiveMessageSize);
        Assert.Null(options.MaxSendMessageSize);
        Assert.Equal("gzip", options.ResponseCompressionAlgorithm);
        Assert.Equal(["gzip", "deflate"], options.CompressionProviders.Select(p => p.EncodingName));
        Assert.All(options.CompressionProviders, p => Assert.IsType<CheckedCompressionProvider>(p));
    }

    [Fact]
    public void AddQdrantGrpc_NonPositiveLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddQdrantGrpc(0));
    }

    [Fact]
    public void AddQdrantGrpc_BindsEachServiceThroughTheCheckedProviderOnly()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IPointsApi>(new FakePointsApi());
        services.AddSingleton<ICollectionsApi>(new FakeCollectionsApi());
        services.AddSingleton<ISnapshotsApi>(new FakeSnapshotsApi());

        services.AddQdrantGrpc(1024);

        using var provider = services.BuildServiceProvider();
        Assert.IsType<CheckedMethodProvider<PointsService>>(Assert.Single(provider.GetServices<IServiceMethodProvider<PointsService>>()));
        Assert.IsType<CheckedMethodProvider<HealthService>>(Assert.Single(provider.GetServices<IServiceMethodProvider<HealthService>>()));
        Assert.IsType<CheckedMethodProvider<QdrantService>>(Assert.Single(provider.GetServices<IServiceMethodProvider<QdrantService>>()));
        Assert.IsType<CheckedMethodProvider<CollectionsService>>(Assert.Single(provider.GetServices<IServiceMethodProvider<CollectionsService>>()));
        Assert.IsType<CheckedMethodProvider<SnapshotsService>>(Assert.Single(provider.GetServices<IServiceMethodProvider<SnapshotsService>>()));
    }

    [Theory]
    [InlineData("qdrant.Qdrant", "HealthCheck", true)]
    [InlineData("grpc.health.v1.Health", "Check", true)]
    [InlineData("grpc.health.v1.Health", "Watch", false)]
    [InlineData("qdrant.Collections", "List", false)]
    [InlineData("qdrant.Points", "Search", false)]
    public void Only_the_health_methods_are_anonymous(string service, string method, bool anonymous)
    {
        var endpoint = Endpoint($"/{service}/{method}", new GrpcMethodMetadata(typeof(QdrantService), new Method<byte[], byte[]>(MethodType.Unary, service, method, s_bytes, s_bytes)));

        GrpcEndpoints.ApplyMethodConventions(endpoint);

        Assert.Equal(anonymous, endpoint.Metadata.OfType<IAllowAnonymous>().Any());
    }

    [Fact]
    public void The_catch_alls_for_unknown_services_and_methods_stay_as_they_are()
    {
        RequestDelegate unimplemented = _ => Task.CompletedTask;
        var endpoint = Endpoint("{unimplementedService}/{unimplementedMethod}");
        endpoint.RequestDelegate = unimplemented;

        GrpcEndpoints.ApplyMethodConventions(endpoint);

        Assert.Empty(endpoint.Metadata.OfType<IAllowAnonymous>());
        Assert.Same(unimplemented, endpoint.RequestDelegate);
    }

    private static RouteEndpointBuilder Endpoint(string pattern, params object[] metadata)
    {
        var builder = new RouteEndpointBuilder(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0);
        foreach (var item in metadata)
        {
            builder.Metadata.Add(item);
        }

        return builder;
    }
}
