using System.Globalization;
using AotVector.EndToEnd.Tests.Infrastructure;
using Qdrant.Client.Grpc;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// Product quantization against the published binary: the config as given on REST and gRPC, codes built by the
/// optimizer, not rescored by default (the reference's default for product) yet at useful recall, the float32 scores
/// with rescore on, a filter honoured, the same answer over gRPC, reopened after a restart without a rebuild, and
/// PATCH to binary and back rebuilding the codes in the background.
/// </summary>
public sealed partial class QuantizationTests
{
    [Fact]
    public async Task ProductQuantization_EndToEnd_OverRestAndGrpc()
    {
        await using var server = await ServerProcess.StartAsync();
        (await server.PutAsync($"/collections/{Collection}", $$"""
            {"vectors": {"size": {{BinaryDim}}, "distance": "Euclid"},
             "quantization_config": {"product": {"compression": "x16", "memory": "pinned"} },
             "optimizers_config": {"indexing_threshold": 10} }
            """)).Ok();
        Calls.AssertJson("""{"product": {"compression": "x16", "memory": "pinned"}}""", (await server.InfoAsync(Collection)).At("config.quantization_config"));

        var (data, queries) = Embeddings(Points, 20);
        for (var start = 0; start < Points; start += 500)
        {
            await server.UpsertAsync(Collection, "[" + string.Join(",", Enumerable.Range(start, 500).Select(i =>
                $$"""{"id": {{i}}, "vector": {{Json(data[i])}}, "payload": {"even": {{(i % 2 == 0 ? "true" : "false")}} } }""")) + "]");
        }

        await WaitIndexed(server, Points);
        var codes = await WaitForCodes(server, present: true);
        Assert.All(codes, file => Assert.Equal("AVPQ", Magic(file)));

        using var grpc = new GrpcCalls(server.GrpcPort);
        double recall = 0, rescoredRecall = 0, filteredRecall = 0;
        var raw = 0;
        const string Even = """{"must": [{"key": "even", "match": {"value": true}}]}""";
        foreach (var query in queries)
        {
            var exact = (await Query(server, query, """{"exact": true}""")).Ids();
            var floatScores = Scores(await Query(server, query, """{"exact": true}""", limit: Points));

            // No rescore given: product does not rescore by default, so the scores are the codes' own.
            var found = await Query(server, query, """{"hnsw_ef": 128}""");
            recall += (double)found.Ids().Intersect(exact).Count() / K;
            raw += found.Ids().Zip(found.Scores()).Count(p => Math.Abs(floatScores[p.First] - p.Second) > 1e-3);

            var rescored = await Query(server, query, """{"hnsw_ef": 128, "quantization": {"rescore": true, "oversampling": 3}}""");
            rescoredRecall += (double)rescored.Ids().Intersect(exact).Count() / K;
            foreach (var (id, score) in rescored.Ids().Zip(rescored.Scores()))
            {
                Assert.Equal(floatScores[id], score, 3);
            }

            var exactEven = (await server.PostAsync($"/collections/{Collection}/points/query",
                $$"""{"query": {{Json(query)}}, "limit": {{K}}, "filter": {{Even}}, "params": {"exact": true} }""")).Ok().At("points").Ids();
            var even = (await server.PostAsync($"/collections/{Collection}/points/query",
                $$"""{"query": {{Json(query)}}, "limit": {{K}}, "filter": {{Even}}, "params": {"hnsw_ef": 128, "quantization": {"rescore": true, "oversampling": 3} } }""")).Ok().At("points").Ids();
            Assert.All(even, id => Assert.Equal(0, int.Parse(id, CultureInfo.InvariantCulture) % 2));
            filteredRecall += (double)even.Intersect(exactEven).Count() / K;

            var viaGrpc = await grpc.CallAsync("/qdrant.Points/Query", new QueryPoints
            {
                CollectionName = Collection,
                Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { query } } } },
                Limit = K,
                Params = new SearchParams { HnswEf = 128, Quantization = new QuantizationSearchParams { Rescore = true, Oversampling = 3 } },
            }, QueryResponse.Parser);
            Assert.Equal(rescored.Ids(), viaGrpc.Result.Select(p => p.Id.Num.ToString(CultureInfo.InvariantCulture)));
        }

        var n = queries.Length;
        Assert.True(recall / n >= 0.6, $"recall@{K} by the codes alone {recall / n:F3}");
        Assert.True(rescoredRecall / n >= 0.9, $"recall@{K} with rescoring {rescoredRecall / n:F3}");
        Assert.True(filteredRecall / n >= 0.9, $"filtered recall@{K} with rescoring {filteredRecall / n:F3}");
        Assert.True(raw > n * 5, $"only {raw} default scores differ from the float32 ones: the codes were not searched");

        var info = await grpc.CallAsync("/qdrant.Collections/Get", new GetCollectionInfoRequest { CollectionName = Collection }, GetCollectionInfoResponse.Parser);
        var product = info.Result.Config.QuantizationConfig.Product;
        Assert.Equal(CompressionRatio.X16, product.Compression);
        Assert.Equal(Memory.Pinned, product.Memory);
#pragma warning disable CS0612 // always_ram is deprecated on the wire; the config shows it as given.
        Assert.False(product.HasAlwaysRam);
#pragma warning restore CS0612

        // A restart reopens the codes as they are.
        var written = File.GetLastWriteTimeUtc(codes[0]);
        var before = await Query(server, queries[3], """{"hnsw_ef": 128}""");
        await server.RestartAsync();
        Assert.Equal(written, File.GetLastWriteTimeUtc(codes[0]));
        var after = await Query(server, queries[3], """{"hnsw_ef": 128}""");
        Assert.Equal(before.Ids(), after.Ids());
        Assert.Equal(before.Scores(), after.Scores());

        // PATCH to binary over gRPC, then to x4 product over REST: the codes are rebuilt each time.
        await grpc.CallAsync("/qdrant.Collections/Update", new UpdateCollection
        {
            CollectionName = Collection,
            QuantizationConfig = new QuantizationConfigDiff { Binary = new BinaryQuantization() },
        }, CollectionOperationResponse.Parser);
        await WaitForMagic(server, "AVBQ");
        (await server.PatchAsync($"/collections/{Collection}", """{"quantization_config": {"product": {"compression": "x4", "always_ram": false}}}""")).Ok();
        Calls.AssertJson("""{"product": {"compression": "x4", "always_ram": false}}""", (await server.InfoAsync(Collection)).At("config.quantization_config"));
        await WaitForMagic(server, "AVPQ");
        var x4 = await Query(server, queries[0], """{"hnsw_ef": 128}""");
        Assert.Equal(K, x4.GetArrayLength());
    }
}
