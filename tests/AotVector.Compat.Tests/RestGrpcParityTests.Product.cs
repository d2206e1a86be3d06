using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>Product quantization over both wires: the config set on one is shown alike on the other, PATCH on either, and searches with quantization params answer alike.</summary>
public sealed partial class RestGrpcParityTests
{
    [Fact]
    public async Task Product_SameConfigAndHits()
    {
        using var grpc = new QdrantGrpcClient("127.0.0.1", Server.GrpcPort, null!);

        // Created over REST with the collection's config, over gRPC with a vector's own: each read back on both.
        await Rest(HttpMethod.Put, "/collections/pq_rest", """{"vectors":{"size":8,"distance":"Dot"},"quantization_config":{"product":{"compression":"x8","always_ram":true}},"optimizers_config":{"indexing_threshold":10}}""");
        await grpc.Collections.CreateAsync(new CreateCollection
        {
            CollectionName = "pq_grpc",
            VectorsConfig = new VectorsConfig
            {
                Params = new VectorParams
                {
                    Size = 8,
                    Distance = Distance.Dot,
                    QuantizationConfig = new QuantizationConfig { Product = new ProductQuantization { Compression = CompressionRatio.X32, Memory = Memory.Cold } },
                },
            },
        });

        Assert.Equal("""{"product":{"compression":"x8","always_ram":true}}""", (await Rest(HttpMethod.Get, "/collections/pq_rest", null)).GetProperty("config").GetProperty("quantization_config").GetRawText());
        var restShown = (await grpc.Collections.GetAsync(new GetCollectionInfoRequest { CollectionName = "pq_rest" })).Result.Config.QuantizationConfig.Product;
        Assert.Equal(CompressionRatio.X8, restShown.Compression);
#pragma warning disable CS0612 // always_ram is deprecated on the wire; the config shows it as given.
        Assert.True(restShown.AlwaysRam);
#pragma warning restore CS0612
        Assert.Equal(
            """{"product":{"compression":"x32","memory":"cold"}}""",
            (await Rest(HttpMethod.Get, "/collections/pq_grpc", null)).GetProperty("config").GetProperty("params").GetProperty("vectors").GetProperty("quantization_config").GetRawText());
        Assert.Equal(CompressionRatio.X32, (await grpc.Collections.GetAsync(new GetCollectionInfoRequest { CollectionName = "pq_grpc" })).Result.Config.Params.VectorsConfig.Params.QuantizationConfig.Product.Compression);

        // PATCH over gRPC is shown over REST.
        await grpc.Collections.UpdateAsync(new UpdateCollection
        {
            CollectionName = "pq_rest",
            QuantizationConfig = new QuantizationConfigDiff { Product = new ProductQuantization { Compression = CompressionRatio.X16 } },
        });
        Assert.Equal("""{"product":{"compression":"x16"}}""", (await Rest(HttpMethod.Get, "/collections/pq_rest", null)).GetProperty("config").GetProperty("quantization_config").GetRawText());

        var random = new Random(23);
        var vectors = Enumerable.Range(0, 600).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)Math.Round((random.NextDouble() * 2) - 1, 3)).ToArray()).ToArray();
        await Rest(HttpMethod.Put, "/collections/pq_rest/points?wait=true", "{\"points\":[" + string.Join(",", vectors.Select((v, i) => "{\"id\":" + i + ",\"vector\":[" + Floats(v) + "]}")) + "]}");
        for (var wait = 0; wait < 600 && (await Rest(HttpMethod.Get, "/collections/pq_rest", null)).GetProperty("indexed_vectors_count").GetInt64() < vectors.Length; wait++)
        {
            await Task.Delay(500);
        }

        foreach (var (rescore, q) in new[] { (false, vectors[5]), (true, vectors[77]), (false, vectors[300]) })
        {
            var rest = await Rest(HttpMethod.Post, "/collections/pq_rest/points/query",
                "{\"query\":[" + Floats(q) + "],\"limit\":5,\"params\":{\"hnsw_ef\":64,\"quantization\":{\"rescore\":" + (rescore ? "true" : "false") + ",\"oversampling\":2}}}");
            var restHits = rest.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("id").GetUInt64(), p.GetProperty("score").GetSingle())).ToArray();
            var viaGrpc = await grpc.Points.QueryAsync(new QueryPoints
            {
                CollectionName = "pq_rest",
                Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { q } } } },
                Limit = 5,
                Params = new SearchParams { HnswEf = 64, Quantization = new QuantizationSearchParams { Rescore = rescore, Oversampling = 2 } },
            });
            Assert.Equal(restHits, viaGrpc.Result.Select(p => (p.Id.Num, p.Score)).ToArray());
            Assert.Equal(5, restHits.Length);
        }
    }
}
