using Grpc.Core;
using Grpc.Net.Client;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// APIs of the reference not served yet, asked for over REST and over gRPC: REST 405 with the envelope and gRPC
/// UNIMPLEMENTED, with the same words, which say what is missing.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    [Fact]
    public async Task UnsupportedApis_405AndUnimplemented_SameText()
    {
        using var grpc = new QdrantGrpcClient("127.0.0.1", Server.GrpcPort, null!);
        await Rest(HttpMethod.Put, "/collections/apis", """{"vectors":{"size":2,"distance":"Dot"}}""");

        var cases = new (HttpMethod Method, string Path, string Body, Func<Task> Grpc, string Expected)[]
        {
            (HttpMethod.Get, "/collections/apis/shards", "",
                () => grpc.Collections.ListShardKeysAsync(new ListShardKeysRequest { CollectionName = "apis" }).ResponseAsync,
                "shard keys are not supported yet"),
        };

        foreach (var (method, path, body, call, expected) in cases)
        {
            var rest = await RestError(method, path, body.Length == 0 ? null : body);
            var refused = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal((path, 405, expected), (path, rest.Status, rest.Message));
            Assert.Equal((path, StatusCode.Unimplemented, expected), (path, refused.StatusCode, refused.Status.Detail));
        }
    }

    /// <summary>Services the reference registers on its public port and this server does not: the refusal's text, not gRPC's bare one.</summary>
    [Theory]
    [InlineData("qdrant.StorageRead", "ListFiles", "the storage read API (`qdrant.StorageRead`) is not supported yet")]
    [InlineData("grpc.reflection.v1.ServerReflection", "ServerReflectionInfo", "gRPC server reflection is not supported yet")]
    [InlineData("grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo", "gRPC server reflection is not supported yet")]
    public async Task UnboundReferenceServices_AreUnimplementedWithTheText(string service, string method, string expected)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Server.GrpcPort}");
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var call = new Method<byte[], byte[]>(MethodType.Unary, service, method, bytes, bytes);

        var refused = await Assert.ThrowsAsync<RpcException>(() => channel.CreateCallInvoker().AsyncUnaryCall(call, null, default, []).ResponseAsync);

        Assert.Equal((StatusCode.Unimplemented, expected), (refused.StatusCode, refused.Status.Detail));
    }
}
