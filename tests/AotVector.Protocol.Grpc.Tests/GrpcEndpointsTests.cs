using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AotVector.Protocol.Grpc.Tests;

public sealed class GrpcEndpointsTests
{
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
    }

    [Fact]
    public void AddQdrantGrpc_NonPositiveLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddQdrantGrpc(0));
    }
}
