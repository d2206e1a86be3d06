using System.Globalization;
using AotVector.EndToEnd.Tests.Infrastructure;
using Qdrant.Client.Grpc;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// Binary quantization against the published binary: the config as given on REST and gRPC, codes built by the
/// optimizer, rescored by default (the reference's default for binary) at good recall, raw codes' scores when rescore
/// is off, the same answer over gRPC, reopened after a restart without a rebuild, and PATCH to int8 and back rebuilding
/// the codes in the background.
/// </summary>
public sealed partial class QuantizationTests
{
    private const int BinaryDim = 128;

    [Fact]
    public async Task BinaryQuantization_EndToEnd_OverRestAndGrpc()
    {
        await using var server = await ServerProcess.StartAsync();
        (await server.PutAsync($"/collections/{Collection}", $$"""
            {"vectors": {"size": {{BinaryDim}}, "distance": "Cosine"},
             "quantization_config": {"binary": {"encoding": "two_bits", "query_encoding": "scalar8bits", "always_ram": true} },
             "optimizers_config": {"indexing_threshold": 10} }
            """)).Ok();
        Calls.AssertJson("""{"binary": {"encoding": "two_bits", "query_encoding": "scalar8bits", "always_ram": true}}""", (await server.InfoAsync(Collection)).At("config.quantization_config"));

        var (data, queries) = Embeddings(Points, 20);
        for (var start = 0; start < Points; start += 500)
        {
            await server.UpsertAsync(Collection, "[" + string.Join(",", Enumerable.Range(start, 500).Select(i => $$"""{"id": {{i}}, "vector": {{Json(data[i])}} }""")) + "]");
        }

        await WaitIndexed(server, Points);
        var codes = await WaitForCodes(server, present: true);
        Assert.All(codes, file => Assert.Equal("AVBQ", Magic(file)));

        using var grpc = new GrpcCalls(server.GrpcPort);
        double recall = 0;
        var raw = 0;
        foreach (var query in queries)
        {
            var exact = (await Query(server, query, """{"exact": true}""")).Ids();
            var floatScores = Scores(await Query(server, query, """{"exact": true}""", limit: Points));

            // No rescore given: binary rescores by default, so the scores are the float32 ones.
            var found = await Query(server, query, """{"hnsw_ef": 128, "quantization": {"oversampling": 4}}""");
            recall += (double)found.Ids().Intersect(exact).Count() / K;
            foreach (var (id, score) in found.Ids().Zip(found.Scores()))
            {
                Assert.Equal(floatScores[id], score, 4);
            }

            var unrescored = await Query(server, query, """{"hnsw_ef": 128, "quantization": {"rescore": false}}""");
            raw += unrescored.Ids().Zip(unrescored.Scores()).Count(p => Math.Abs(floatScores[p.First] - p.Second) > 1e-3);

            var viaGrpc = await grpc.CallAsync("/qdrant.Points/Query", new QueryPoints
            {
                CollectionName = Collection,
                Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { query } } } },
                Limit = K,
                Params = new SearchParams { HnswEf = 128, Quantization = new QuantizationSearchParams { Oversampling = 4 } },
            }, QueryResponse.Parser);
            Assert.Equal(found.Ids(), viaGrpc.Result.Select(p => p.Id.Num.ToString(CultureInfo.InvariantCulture)));
        }

        Assert.True(recall / queries.Length >= 0.9, $"recall@{K} with default rescoring {recall / queries.Length:F3}");
        Assert.True(raw > queries.Length * 5, $"only {raw} unrescored scores differ from the float32 ones: the codes were not searched");

        var info = await grpc.CallAsync("/qdrant.Collections/Get", new GetCollectionInfoRequest { CollectionName = Collection }, GetCollectionInfoResponse.Parser);
        var binary = info.Result.Config.QuantizationConfig.Binary;
        Assert.Equal(BinaryQuantizationEncoding.TwoBits, binary.Encoding);
        Assert.Equal(BinaryQuantizationQueryEncoding.Types.Setting.Scalar8Bits, binary.QueryEncoding.Setting);
#pragma warning disable CS0612 // always_ram is deprecated on the wire; the config shows it as given.
        Assert.True(binary.AlwaysRam);
#pragma warning restore CS0612
        Assert.False(binary.HasMemory);

        // A restart reopens the codes as they are.
        var written = File.GetLastWriteTimeUtc(codes[0]);
        var before = (await Query(server, queries[3], """{"hnsw_ef": 128, "quantization": {"rescore": false}}""")).Ids();
        await server.RestartAsync();
        Assert.Equal(written, File.GetLastWriteTimeUtc(codes[0]));
        Assert.Equal(before, (await Query(server, queries[3], """{"hnsw_ef": 128, "quantization": {"rescore": false}}""")).Ids());

        // PATCH to int8 over gRPC, then back to one-bit binary over REST: the codes are rebuilt each time.
        using var grpcPatch = new GrpcCalls(server.GrpcPort);
        await grpcPatch.CallAsync("/qdrant.Collections/Update", new UpdateCollection
        {
            CollectionName = Collection,
            QuantizationConfig = new QuantizationConfigDiff { Scalar = new ScalarQuantization { Type = QuantizationType.Int8 } },
        }, CollectionOperationResponse.Parser);
        await WaitForMagic(server, "AVSQ");
        (await server.PatchAsync($"/collections/{Collection}", """{"quantization_config": {"binary": {}}}""")).Ok();
        Calls.AssertJson("""{"binary": {}}""", (await server.InfoAsync(Collection)).At("config.quantization_config"));
        await WaitForMagic(server, "AVBQ");
        var oneBit = await Query(server, queries[0], """{"hnsw_ef": 128, "quantization": {"oversampling": 4}}""");
        Assert.Equal(K, oneBit.GetArrayLength());
    }

    private static string Magic(string file)
    {
        using var stream = File.OpenRead(file);
        Span<byte> magic = stackalloc byte[4];
        stream.ReadExactly(magic);
        return System.Text.Encoding.ASCII.GetString(magic);
    }

    // Every codes file of the collection carries `magic` (the kind the config asks for) and the collection is green.
    private static async Task WaitForMagic(ServerProcess server, string magic)
    {
        for (var wait = 0; wait < 600; wait++)
        {
            var files = Directory.GetFiles(Path.Combine(server.StoragePath, "collections", Collection), "quant-*.bin", SearchOption.AllDirectories);
            var green = (await server.InfoAsync(Collection)).At("status").GetString() == "green";
            if (green && files.Length > 0 && files.All(f => { try { return Magic(f) == magic; } catch (IOException) { return false; } }))
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"the codes never became {magic}\n{server.Logs()}");
    }

    // Embedding-like points: seeded gaussian centres on zero, spread along a few directions per cluster, and
    // queries from the same clusters that are not stored.
    private static (float[][] Data, float[][] Queries) Embeddings(int count, int queries)
    {
        var rng = new Random(2222);
        float Gaussian() => (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        float[] Draw(float scale) => Enumerable.Range(0, BinaryDim).Select(_ => scale * Gaussian()).ToArray();
        const int Clusters = 30, Spread = 8;
        var centres = Enumerable.Range(0, Clusters).Select(_ => Draw(1f)).ToArray();
        var directions = Enumerable.Range(0, Clusters * Spread).Select(_ => Draw(0.5f)).ToArray();
        var all = Enumerable.Range(0, count + queries).Select(_ =>
        {
            var cluster = rng.Next(Clusters);
            var point = (float[])centres[cluster].Clone();
            for (var k = 0; k < Spread; k++)
            {
                var w = Gaussian();
                for (var d = 0; d < BinaryDim; d++)
                {
                    point[d] += w * directions[(cluster * Spread) + k][d];
                }
            }

            return point.Select(v => v + (0.05f * Gaussian())).ToArray();
        }).ToArray();
        return (all[..count], all[count..]);
    }
}
