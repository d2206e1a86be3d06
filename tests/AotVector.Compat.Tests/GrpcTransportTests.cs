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

    [Fact]
    public async Task LargeUpsertUnderTheLimit_IsStored()
    {
        // About 2.9 MB in one message: it reaches the server in many reads, which the server buffers before gRPC
        // parses it off the socket thread.
        await using var server = await ServerProcess.StartAsync();
        using var client = new QdrantClient("127.0.0.1", server.GrpcPort);
        await client.CreateCollectionAsync("big", new VectorParams { Size = 1024, Distance = Distance.Euclid });
        var points = Enumerable.Range(0, 700).Select(i => new PointStruct { Id = (ulong)i, Vectors = Enumerable.Repeat((float)i, 1024).ToArray() }).ToList();
        await client.UpsertAsync("big", points);
        Assert.Equal(700UL, await client.CountAsync("big"));
        var hit = Assert.Single(await client.QueryAsync("big", Enumerable.Repeat(421.2f, 1024).ToArray(), limit: 1));
        Assert.Equal(421UL, hit.Id.Num);
    }

    [Fact]
    public async Task OneChannel_SequentialThenMultiplexedCalls_AllAnswered()
    {
        // One channel is one HTTP/2 connection. Sequential queries let the server run them on the socket thread;
        // then many calls at once on the same connection, writes among them, must all be answered, and correctly.
        await using var server = await ServerProcess.StartAsync();
        using var client = new QdrantClient("127.0.0.1", server.GrpcPort);
        await client.CreateCollectionAsync("mux", new VectorParams { Size = 8, Distance = Distance.Euclid });
        await client.UpsertAsync("mux", Enumerable.Range(0, 200).Select(i => Point(i)).ToList());

        for (var i = 0; i < 3 * 64; i++)
        {
            Assert.Equal((ulong)(i % 200), await NearestAsync(client, i % 200));
        }

        var queries = Enumerable.Range(0, 64).Select(async i => (Expected: (ulong)((i * 7) % 200), Got: await NearestAsync(client, (i * 7) % 200)));
        var writes = Enumerable.Range(200, 16).Select(i => client.UpsertAsync("mux", [Point(i)]));
        var answers = await Task.WhenAll(queries);
        await Task.WhenAll(writes);
        Assert.All(answers, a => Assert.Equal(a.Expected, a.Got));
        Assert.Equal(216UL, await client.CountAsync("mux"));
        Assert.Equal(215UL, await NearestAsync(client, 215));
        Assert.Contains("HTTP/2 scheduling: inline", server.Logs());
    }

    private static PointStruct Point(int i) => new() { Id = (ulong)i, Vectors = Enumerable.Range(0, 8).Select(d => (float)(i * 10 + d)).ToArray() };

    private static async Task<ulong> NearestAsync(QdrantClient client, int i) =>
        Assert.Single(await client.QueryAsync("mux", Enumerable.Range(0, 8).Select(d => (float)(i * 10 + d) + 0.1f).ToArray(), limit: 1)).Id.Num;
}
