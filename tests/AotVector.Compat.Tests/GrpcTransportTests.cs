using AotVector.Testing;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>Transport-level behaviour of port 6334: health services, the message size limit, and grpc_port: null.</summary>
public sealed class GrpcTransportTests
{
    [Fact]
    public async Task HealthChecks_AnswerOnBothServices()
    {
        await using var server = await ServerProcess.StartAsync();
        using var client = new QdrantClient("127.0.0.1", server.GrpcPort);
        var reply = await client.HealthAsync();
        Assert.Equal("qdrant - vector search engine", reply.Title);
        Assert.False(string.IsNullOrEmpty(reply.Version));

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var health = await new Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task MessageOverMaxRequestSize_IsResourceExhausted()
    {
        await using var server = await ServerProcess.StartAsync(new ServerOptions().WithEnv("QDRANT__SERVICE__MAX_REQUEST_SIZE_MB", "1"));
        using var client = new QdrantClient("127.0.0.1", server.GrpcPort);
        await client.CreateCollectionAsync("big", new VectorParams { Size = 1024, Distance = Distance.Dot });

        // 400 points x 1024 floats x 4 bytes is about 1.6 MB: over the 1 MB limit.
        var points = Enumerable.Range(0, 400).Select(i => new PointStruct { Id = (ulong)i, Vectors = new float[1024] }).ToList();
        var e = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync("big", points));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);

        // Nothing was written, and a small request still works.
        Assert.Equal(0UL, await client.CountAsync("big"));
        await client.UpsertAsync("big", points.Take(10).ToList());
        Assert.Equal(10UL, await client.CountAsync("big"));
    }

    [Fact]
    public async Task NullGrpcPort_DisablesGrpc()
    {
        await using var server = await ServerProcess.StartAsync(new ServerOptions().WithEnv("QDRANT__SERVICE__GRPC_PORT", "null"));
        using var client = new QdrantClient("127.0.0.1", server.GrpcPort);
        var e = await Assert.ThrowsAsync<RpcException>(() => client.ListCollectionsAsync());
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("gRPC disabled", server.Logs());
    }
}
