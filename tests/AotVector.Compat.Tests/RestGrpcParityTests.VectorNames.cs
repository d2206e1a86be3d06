using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>Named vectors added and removed over both wires: the same collection config after each, the same refusals.</summary>
public sealed partial class RestGrpcParityTests
{
    [Fact]
    public async Task VectorNames_SameEffectAndRefusals()
    {
        using var grpc = new QdrantGrpcClient("127.0.0.1", Server.GrpcPort, null!);
        await Rest(HttpMethod.Put, "/collections/names_rest", """{"vectors":{"a":{"size":2,"distance":"Dot"}}}""");
        await Rest(HttpMethod.Put, "/collections/names_grpc", """{"vectors":{"a":{"size":2,"distance":"Dot"}}}""");

        await Rest(HttpMethod.Put, "/collections/names_rest/vectors/colbert?wait=true", """{"dense":{"size":4,"distance":"Cosine","multivector_config":{"comparator":"max_sim"}}}""");
        await Rest(HttpMethod.Put, "/collections/names_rest/vectors/text?wait=true", """{"sparse":{"modifier":"idf"}}""");
        await grpc.Points.CreateVectorNameAsync(new CreateVectorNameRequest
        {
            CollectionName = "names_grpc",
            VectorName = "colbert",
            Wait = true,
            DenseConfig = new DenseVectorCreationConfig { Size = 4, Distance = Distance.Cosine, MultivectorConfig = new MultiVectorConfig { Comparator = MultiVectorComparator.MaxSim } },
        });
        await grpc.Points.CreateVectorNameAsync(new CreateVectorNameRequest
        {
            CollectionName = "names_grpc",
            VectorName = "text",
            Wait = true,
            SparseConfig = new SparseVectorCreationConfig { Modifier = Modifier.Idf },
        });
        var restParams = (await Rest(HttpMethod.Get, "/collections/names_rest", null)).GetProperty("config").GetProperty("params");
        var grpcParams = (await Rest(HttpMethod.Get, "/collections/names_grpc", null)).GetProperty("config").GetProperty("params");
        Assert.Equal(restParams.GetProperty("vectors").GetRawText(), grpcParams.GetProperty("vectors").GetRawText());
        Assert.Equal(restParams.GetProperty("sparse_vectors").GetRawText(), grpcParams.GetProperty("sparse_vectors").GetRawText());

        await Rest(HttpMethod.Delete, "/collections/names_rest/vectors/colbert?wait=true", null);
        var deleted = await grpc.Points.DeleteVectorNameAsync(new DeleteVectorNameRequest { CollectionName = "names_grpc", VectorName = "colbert", Wait = true });
        Assert.Equal(UpdateStatus.Completed, deleted.Result.Status);
        Assert.Equal(
            (await Rest(HttpMethod.Get, "/collections/names_rest", null)).GetProperty("config").GetProperty("params").GetProperty("vectors").GetRawText(),
            (await Rest(HttpMethod.Get, "/collections/names_grpc", null)).GetProperty("config").GetProperty("params").GetProperty("vectors").GetRawText());

        var cases = new (string Name, string Body, CreateVectorNameRequest Grpc, string Expected)[]
        {
            ("a", """{"dense":{"size":3,"distance":"Dot"}}""",
                new() { VectorName = "a", DenseConfig = new DenseVectorCreationConfig { Size = 3, Distance = Distance.Dot } },
                "Wrong input: Vector `a` already exists with a different configuration"),
            ("text", """{"dense":{"size":3,"distance":"Dot"}}""",
                new() { VectorName = "text", DenseConfig = new DenseVectorCreationConfig { Size = 3, Distance = Distance.Dot } },
                "Wrong input: Vector `text` already exists as a sparse vector"),
            ("a", """{"sparse":{}}""",
                new() { VectorName = "a", SparseConfig = new SparseVectorCreationConfig() },
                "Wrong input: Vector `a` already exists as a dense vector"),
            ("b", """{"dense":{"size":0,"distance":"Dot"}}""",
                new() { VectorName = "b", DenseConfig = new DenseVectorCreationConfig { Size = 0, Distance = Distance.Dot } },
                "Validation error in JSON body: [dense.size: value 0 invalid, must be from 1 to 65536]"),
            ("x*y", """{"sparse":{}}""",
                new() { VectorName = "x*y", SparseConfig = new SparseVectorCreationConfig() },
                "Wrong input: Invalid vector name `x*y`: vector name cannot contain \"*\" char"),
        };

        foreach (var (name, body, request, expected) in cases)
        {
            var rest = await RestError(HttpMethod.Put, "/collections/names_rest/vectors/" + Uri.EscapeDataString(name), body);
            request.CollectionName = "names_grpc";
            var refused = await Assert.ThrowsAsync<RpcException>(() => grpc.Points.CreateVectorNameAsync(request).ResponseAsync);
            Assert.Equal((name, expected), (name, rest.Message));
            Assert.Equal((name, StatusCode.InvalidArgument, expected), (name, refused.StatusCode, refused.Status.Detail));
        }
    }
}
