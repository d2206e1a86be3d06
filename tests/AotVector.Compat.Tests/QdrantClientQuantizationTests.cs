using AotVector.Testing;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>The official .NET client with scalar, binary and product quantization: create, read the config back, search with its params.</summary>
public sealed class QdrantClientQuantizationTests
{
    [Fact]
    public async Task ScalarQuantizedCollection_CreateInfoAndSearch()
    {
        await using var server = await ServerProcess.StartAsync();
        using var client = new QdrantClient("127.0.0.1", server.GrpcPort);
        await client.CreateCollectionAsync(
            "quantized",
            new VectorParams { Size = 16, Distance = Distance.Cosine },
            optimizersConfig: new OptimizersConfigDiff { IndexingThreshold = 10 },
            quantizationConfig: new QuantizationConfig { Scalar = new ScalarQuantization { Type = QuantizationType.Int8, Quantile = 0.99f, Memory = Memory.Pinned } });

        var info = await client.GetCollectionInfoAsync("quantized");
        Assert.Equal(QuantizationType.Int8, info.Config.QuantizationConfig.Scalar.Type);
        Assert.Equal(0.99f, info.Config.QuantizationConfig.Scalar.Quantile);

        var vectors = SeededRandom.Vectors(31, 1000, 16);
        await client.UpsertAsync("quantized", [.. vectors.Select((v, i) => new PointStruct { Id = (ulong)i, Vectors = v })]);
        for (var wait = 0; wait < 600 && (await client.GetCollectionInfoAsync("quantized")).IndexedVectorsCount < 1000; wait++)
        {
            await Task.Delay(500);
        }

        Assert.Equal(1000UL, (await client.GetCollectionInfoAsync("quantized")).IndexedVectorsCount);
        var hits = await client.QueryAsync("quantized", vectors[42], limit: 3,
            searchParams: new SearchParams { HnswEf = 64, Quantization = new QuantizationSearchParams { Rescore = true, Oversampling = 2 } });
        Assert.Equal(42UL, hits[0].Id.Num);
        Assert.Equal(1f, hits[0].Score, 4);
        var legacy = await client.SearchAsync("quantized", vectors[7], limit: 1,
            searchParams: new SearchParams { Quantization = new QuantizationSearchParams { Ignore = true } });
        Assert.Equal(7UL, legacy[0].Id.Num);

        await client.UpdateCollectionAsync("quantized", quantizationConfig: new QuantizationConfigDiff { Disabled = new Disabled() });
        Assert.Null((await client.GetCollectionInfoAsync("quantized")).Config.QuantizationConfig);
    }

    [Fact]
    public async Task BinaryQuantizedCollection_CreateInfoAndSearch()
    {
        await using var server = await ServerProcess.StartAsync();
        using var client = new QdrantClient("127.0.0.1", server.GrpcPort);
        await client.CreateCollectionAsync(
            "binary",
            new VectorParams { Size = 64, Distance = Distance.Dot },
            optimizersConfig: new OptimizersConfigDiff { IndexingThreshold = 10 },
            quantizationConfig: new QuantizationConfig
            {
                Binary = new BinaryQuantization
                {
                    Encoding = BinaryQuantizationEncoding.OneAndHalfBits,
                    QueryEncoding = new BinaryQuantizationQueryEncoding { Setting = BinaryQuantizationQueryEncoding.Types.Setting.Scalar4Bits },
                },
            });

        var info = await client.GetCollectionInfoAsync("binary");
        Assert.Equal(BinaryQuantizationEncoding.OneAndHalfBits, info.Config.QuantizationConfig.Binary.Encoding);
        Assert.Equal(BinaryQuantizationQueryEncoding.Types.Setting.Scalar4Bits, info.Config.QuantizationConfig.Binary.QueryEncoding.Setting);

        var vectors = SeededRandom.Vectors(32, 1000, 64);
        await client.UpsertAsync("binary", [.. vectors.Select((v, i) => new PointStruct { Id = (ulong)i, Vectors = v })]);
        for (var wait = 0; wait < 600 && (await client.GetCollectionInfoAsync("binary")).IndexedVectorsCount < 1000; wait++)
        {
            await Task.Delay(500);
        }

        // Rescored by default: the best hit is the point itself, with its float32 score.
        var hits = await client.QueryAsync("binary", vectors[42], limit: 3,
            searchParams: new SearchParams { HnswEf = 64, Quantization = new QuantizationSearchParams { Oversampling = 3 } });
        Assert.Equal(42UL, hits[0].Id.Num);
        Assert.Equal(vectors[42].Sum(x => x * x), hits[0].Score, 3);

        await client.UpdateCollectionAsync("binary", quantizationConfig: new QuantizationConfigDiff { Disabled = new Disabled() });
        Assert.Null((await client.GetCollectionInfoAsync("binary")).Config.QuantizationConfig);
    }

    [Fact]
    public async Task ProductQuantizedCollection_CreateInfoAndSearch()
    {
        await using var server = await ServerProcess.StartAsync();
        using var client = new QdrantClient("127.0.0.1", server.GrpcPort);
        await client.CreateCollectionAsync(
            "product",
            new VectorParams { Size = 16, Distance = Distance.Euclid },
            optimizersConfig: new OptimizersConfigDiff { IndexingThreshold = 10 },
            quantizationConfig: new QuantizationConfig { Product = new ProductQuantization { Compression = CompressionRatio.X8, Memory = Memory.Cached } });

        var info = await client.GetCollectionInfoAsync("product");
        Assert.Equal(CompressionRatio.X8, info.Config.QuantizationConfig.Product.Compression);
        Assert.Equal(Memory.Cached, info.Config.QuantizationConfig.Product.Memory);

        var vectors = SeededRandom.Vectors(37, 1000, 16);
        await client.UpsertAsync("product", [.. vectors.Select((v, i) => new PointStruct { Id = (ulong)i, Vectors = v })]);
        for (var wait = 0; wait < 600 && (await client.GetCollectionInfoAsync("product")).IndexedVectorsCount < 1000; wait++)
        {
            await Task.Delay(500);
        }

        Assert.Equal(1000UL, (await client.GetCollectionInfoAsync("product")).IndexedVectorsCount);
        var hits = await client.QueryAsync("product", vectors[42], limit: 3,
            searchParams: new SearchParams { HnswEf = 64, Quantization = new QuantizationSearchParams { Rescore = true, Oversampling = 3 } });
        Assert.Equal(42UL, hits[0].Id.Num);
        Assert.Equal(0f, hits[0].Score, 4);

        await client.UpdateCollectionAsync("product", quantizationConfig: new QuantizationConfigDiff { Disabled = new Disabled() });
        Assert.Null((await client.GetCollectionInfoAsync("product")).Config.QuantizationConfig);
    }
}
