using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;
using Google.Protobuf;
using Qdrant.Client.Grpc;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// Int8 scalar quantization against the published binary: the config on create and PATCH over REST and gRPC, shown
/// in collection info on both; codes built by the optimizer beside the graph, searched with and without rescoring
/// or ignored; kept across a restart without a rebuild and across kill -9; removed by "disabled"; the kinds not built
/// yet refused with the engine's words on both wires.
/// </summary>
public sealed partial class QuantizationTests
{
    private const string Collection = "quantized";
    private const int Dim = 32;
    private const int Points = 3000;
    private const int K = 10;

    [Fact]
    public async Task ScalarQuantization_EndToEnd_OverRestAndGrpc()
    {
        await using var server = await ServerProcess.StartAsync();
        (await server.PutAsync($"/collections/{Collection}", $$"""
            {"vectors": {"size": {{Dim}}, "distance": "Cosine"},
             "quantization_config": {"scalar": {"type": "int8", "quantile": 0.99, "always_ram": true} },
             "optimizers_config": {"indexing_threshold": 10} }
            """)).Ok();
        Calls.AssertJson("""{"scalar": {"type": "int8", "quantile": 0.99, "always_ram": true}}""", (await server.InfoAsync(Collection)).At("config.quantization_config"));

        var (data, queries) = Data(Points, 30);
        for (var start = 0; start < Points; start += 500)
        {
            await server.UpsertAsync(Collection, "[" + string.Join(",", Enumerable.Range(start, 500).Select(i => $$"""{"id": {{i}}, "vector": {{Json(data[i])}} }""")) + "]");
        }

        await WaitIndexed(server, Points);
        var codes = await WaitForCodes(server, present: true);

        using var grpc = new GrpcCalls(server.GrpcPort);
        double rescoredRecall = 0;
        var approximate = 0;
        foreach (var query in queries)
        {
            var exact = (await Query(server, query, """{"exact": true}""")).Ids();
            var rescored = await Query(server, query, """{"hnsw_ef": 128, "quantization": {"rescore": true, "oversampling": 2.0}}""");
            rescoredRecall += (double)rescored.Ids().Intersect(exact).Count() / K;

            // Rescored and ignored answers carry float32 scores; plain quantized ones the codes' approximations.
            var floatScores = Scores(await Query(server, query, """{"exact": true}""", limit: Points));
            foreach (var (id, score) in rescored.Ids().Zip(rescored.Scores()))
            {
                Assert.Equal(floatScores[id], score, 4);
            }

            var ignored = await Query(server, query, """{"hnsw_ef": 128, "quantization": {"ignore": true}}""");
            foreach (var (id, score) in ignored.Ids().Zip(ignored.Scores()))
            {
                Assert.Equal(floatScores[id], score, 4);
            }

            var quantized = await Query(server, query, """{"hnsw_ef": 128}""");
            approximate += quantized.Ids().Zip(quantized.Scores()).Count(p => Math.Abs(floatScores[p.First] - p.Second) > 1e-5);

            // gRPC takes the same params and gives the same answer.
            var viaGrpc = await grpc.CallAsync("/qdrant.Points/Query", new QueryPoints
            {
                CollectionName = Collection,
                Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { query } } } },
                Limit = K,
                Params = new SearchParams { HnswEf = 128, Quantization = new QuantizationSearchParams { Rescore = true, Oversampling = 2 } },
            }, QueryResponse.Parser);
            Assert.Equal(rescored.Ids(), viaGrpc.Result.Select(p => p.Id.Num.ToString(CultureInfo.InvariantCulture)));
        }

        Assert.True(rescoredRecall / queries.Length >= 0.95, $"recall@{K} with rescoring {rescoredRecall / queries.Length:F3}");
        Assert.True(approximate > queries.Length, $"only {approximate} quantized scores differ from the float32 ones: the codes were not searched");

        // Legacy search, recommend and a prefetch branch take the params too.
        var legacy = (await server.PostAsync($"/collections/{Collection}/points/search",
            $$"""{"vector": {{Json(queries[0])}}, "limit": {{K}}, "params": {"quantization": {"rescore": true, "oversampling": 3} } }""")).Ok();
        Assert.Equal(K, legacy.GetArrayLength());
        (await server.PostAsync($"/collections/{Collection}/points/recommend",
            """{"positive": [5], "limit": 5, "params": {"quantization": {"ignore": false, "rescore": false}} }""")).Ok();
        (await server.PostAsync($"/collections/{Collection}/points/query",
            $$"""{"prefetch": {"query": {{Json(queries[1])}}, "limit": 50, "params": {"quantization": {"oversampling": 2} } }, "query": {{Json(queries[1])}}, "limit": 5}""")).Ok();
        (await server.PostAsync($"/collections/{Collection}/points/search/batch",
            $$"""{"searches": [{"vector": {{Json(queries[2])}}, "limit": 3, "params": {"quantization": {"rescore": true} } }]}""")).Ok();
        Assert.Contains("oversampling", (await server.PostAsync($"/collections/{Collection}/points/query",
            $$"""{"query": {{Json(queries[0])}}, "params": {"quantization": {"oversampling": 0.5} } }""")).Error(422));

        // A graceful restart reopens the codes as they are: same bytes, not rewritten.
        var written = File.GetLastWriteTimeUtc(codes[0]);
        var before = (await Query(server, queries[3], """{"hnsw_ef": 128}""")).Ids();
        await server.RestartAsync();
        Assert.Equal(written, File.GetLastWriteTimeUtc(codes[0]));
        Assert.Equal(before, (await Query(server, queries[3], """{"hnsw_ef": 128}""")).Ids());
        Calls.AssertJson("""{"scalar": {"type": "int8", "quantile": 0.99, "always_ram": true}}""", (await server.InfoAsync(Collection)).At("config.quantization_config"));

        // kill -9: the config and the codes survive; the answers are the same.
        server.Kill();
        await server.RestartAsync();
        Assert.Equal(before, (await Query(server, queries[3], """{"hnsw_ef": 128}""")).Ids());
        Assert.Equal(Points, (await server.InfoAsync(Collection)).At("indexed_vectors_count").GetInt64());

        // gRPC info shows the same config.
        using (var grpcAfterRestart = new GrpcCalls(server.GrpcPort))
        {
            var info = await grpcAfterRestart.CallAsync("/qdrant.Collections/Get", new GetCollectionInfoRequest { CollectionName = Collection }, GetCollectionInfoResponse.Parser);
            Assert.Equal(0.99f, info.Result.Config.QuantizationConfig.Scalar.Quantile);
            Assert.Equal(QuantizationType.Int8, info.Result.Config.QuantizationConfig.Scalar.Type);
        }

        // "disabled" removes it: the info says so at once and the optimizer drops the codes in the background.
        (await server.PatchAsync($"/collections/{Collection}", """{"quantization_config": "disabled"}""")).Ok();
        Assert.Equal(JsonValueKind.Null, (await server.InfoAsync(Collection)).At("config.quantization_config").ValueKind);
        await WaitForCodes(server, present: false);
        var floatOnly = await Query(server, queries[0], """{"hnsw_ef": 128}""");
        var exactScores = Scores(await Query(server, queries[0], """{"exact": true}""", limit: Points));
        foreach (var (id, score) in floatOnly.Ids().Zip(floatOnly.Scores()))
        {
            Assert.Equal(exactScores[id], score, 4);
        }

        // Turned on again over gRPC: the codes come back.
        using var grpcPatch = new GrpcCalls(server.GrpcPort);
        await grpcPatch.CallAsync("/qdrant.Collections/Update", new UpdateCollection
        {
            CollectionName = Collection,
            QuantizationConfig = new QuantizationConfigDiff { Scalar = new ScalarQuantization { Type = QuantizationType.Int8, Quantile = 0.95f } },
        }, CollectionOperationResponse.Parser);
        Calls.AssertJson("""{"scalar": {"type": "int8", "quantile": 0.95}}""", (await server.InfoAsync(Collection)).At("config.quantization_config"));
        await WaitForCodes(server, present: true);
    }

    [Fact]
    public async Task VectorConfig_OverGrpcAndRest_AndUnbuiltKinds_AreRefusedOnBothWires()
    {
        await using var server = await ServerProcess.StartAsync();
        using var grpc = new GrpcCalls(server.GrpcPort);
        var create = new CreateCollection
        {
            CollectionName = "named",
            VectorsConfig = new VectorsConfig
            {
                ParamsMap = new VectorParamsMap
                {
                    Map =
                    {
                        ["text"] = new VectorParams
                        {
                            Size = 8,
                            Distance = Distance.Dot,
                            QuantizationConfig = new QuantizationConfig { Scalar = new ScalarQuantization { Type = QuantizationType.Int8, Memory = Memory.Pinned } },
                        },
                        ["image"] = new VectorParams { Size = 4, Distance = Distance.Euclid },
                    },
                },
            },
        };
        await grpc.CallAsync("/qdrant.Collections/Create", create, CollectionOperationResponse.Parser);
        var info = await server.InfoAsync("named");
        Calls.AssertJson("""{"scalar": {"type": "int8", "memory": "pinned"}}""", info.At("config.params.vectors.text.quantization_config"));
        Assert.False(info.At("config.params.vectors.image").Has("quantization_config"));

        // PATCH per vector over REST, then "disabled" for it.
        (await server.PatchAsync("/collections/named", """{"vectors": {"image": {"quantization_config": {"scalar": {"type": "int8", "quantile": 0.5}}}}}""")).Ok();
        Calls.AssertJson("""{"scalar": {"type": "int8", "quantile": 0.5}}""", (await server.InfoAsync("named")).At("config.params.vectors.image.quantization_config"));
        (await server.PatchAsync("/collections/named", """{"vectors": {"text": {"quantization_config": "disabled"}}}""")).Ok();
        Assert.False((await server.InfoAsync("named")).At("config.params.vectors.text").Has("quantization_config"));
        var grpcInfo = await grpc.CallAsync("/qdrant.Collections/Get", new GetCollectionInfoRequest { CollectionName = "named" }, GetCollectionInfoResponse.Parser);
        Assert.Equal(0.5f, grpcInfo.Result.Config.Params.VectorsConfig.ParamsMap.Map["image"].QuantizationConfig.Scalar.Quantile);
        Assert.Null(grpcInfo.Result.Config.Params.VectorsConfig.ParamsMap.Map["text"].QuantizationConfig);

        // Well-formed kinds not built yet: the engine's refusal; malformed ones: a parse error naming the field.
        foreach (var (body, expected) in new[]
        {
            ("""{"turbo": {"bits": "bits1_5"}}""", "turbo quantization is not supported yet"),
        })
        {
            Assert.Contains(expected, (await server.PutAsync("/collections/refused", $$"""{"vectors": {"size": 4, "distance": "Dot"}, "quantization_config": {{body}} }""")).Error(400));
            Assert.Contains(expected, (await server.PatchAsync("/collections/named", $$"""{"quantization_config": {{body}} }""")).Error(400));
        }

        Assert.Contains("quantization_config.product.compression", (await server.PutAsync("/collections/refused",
            """{"vectors": {"size": 4, "distance": "Dot"}, "quantization_config": {"product": {"compression": "x3"}}}""")).Error(400));
        Assert.Contains("quantile", (await server.PutAsync("/collections/refused",
            """{"vectors": {"size": 4, "distance": "Dot"}, "quantization_config": {"scalar": {"type": "int8", "quantile": 0.2}}}""")).Error(422));
        Assert.Contains("int8", (await server.PutAsync("/collections/refused",
            """{"vectors": {"size": 4, "distance": "Dot"}, "quantization_config": {"scalar": {"type": "int4"}}}""")).Error(400));

        var (status, message) = await grpc.TryCallAsync("/qdrant.Collections/Create", new CreateCollection
        {
            CollectionName = "refused",
            VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = 4, Distance = Distance.Dot } },
            QuantizationConfig = new QuantizationConfig { Turboquant = new TurboQuantization { Bits = TurboQuantBitSize.Bits2 } },
        });
        Assert.Equal("3", status);
        Assert.Contains("turbo quantization is not supported yet", message);
        (status, message) = await grpc.TryCallAsync("/qdrant.Collections/Update", new UpdateCollection
        {
            CollectionName = "named",
            QuantizationConfig = new QuantizationConfigDiff { Turboquant = new TurboQuantization { Bits = TurboQuantBitSize.Bits1 } },
        });
        Assert.Equal("3", status);
        Assert.Contains("turbo quantization is not supported yet", message);
        (status, message) = await grpc.TryCallAsync("/qdrant.Collections/Update", new UpdateCollection
        {
            CollectionName = "named",
            QuantizationConfig = new QuantizationConfigDiff { Scalar = new ScalarQuantization { Type = QuantizationType.Int8, Quantile = 0.1f } },
        });
        Assert.Equal("3", status);
        Assert.Contains("quantile", message);
        Assert.Equal(404, (await server.GetAsync("/collections/refused")).Status);
    }

    private static async Task WaitIndexed(ServerProcess server, long points)
    {
        var indexed = 0L;
        for (var wait = 0; wait < 600 && indexed < points; wait++)
        {
            await Task.Delay(500);
            indexed = (await server.InfoAsync(Collection)).At("indexed_vectors_count").GetInt64();
        }

        Assert.Equal(points, indexed);
    }

    // The codes files of the collection's segments, once the optimizer has written (or removed) them.
    private static async Task<string[]> WaitForCodes(ServerProcess server, bool present)
    {
        string[] files = [];
        for (var wait = 0; wait < 600; wait++)
        {
            files = Directory.GetFiles(Path.Combine(server.StoragePath, "collections", Collection), "quant-*.bin", SearchOption.AllDirectories);
            var status = (await server.InfoAsync(Collection)).At("status").GetString();
            if ((files.Length > 0) == present && status == "green")
            {
                return files;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"codes files {(present ? "never appeared" : "never went")}: {string.Join(", ", files)}\n{server.Logs()}");
        return files;
    }

    private static async Task<JsonElement> Query(ServerProcess server, float[] query, string parameters, int limit = K)
    {
        var response = await server.PostAsync($"/collections/{Collection}/points/query", $$"""{"query": {{Json(query)}}, "limit": {{limit}}, "params": {{parameters}} }""");
        return response.Ok().At("points");
    }

    private static Dictionary<string, double> Scores(JsonElement points) => points.Ids().Zip(points.Scores()).ToDictionary(p => p.First, p => p.Second);

    // Points around seeded centres, and queries from the same clusters that are not stored.
    private static (float[][] Data, float[][] Queries) Data(int count, int queries)
    {
        var rng = new Random(22);
        var centres = AotVector.Testing.SeededRandom.Vectors(23, 30, Dim);
        var all = Enumerable.Range(0, count + queries).Select(_ =>
            centres[rng.Next(centres.Length)].Select(c => c + (0.4f * ((float)rng.NextDouble() - 0.5f))).ToArray()).ToArray();
        return (all[..count], all[count..]);
    }

    private static string Json(float[] v) => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";
}
