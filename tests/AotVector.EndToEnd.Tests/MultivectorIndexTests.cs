using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using AotVector.EndToEnd.Tests.Infrastructure;
using Google.Protobuf;
using Qdrant.Client.Grpc;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// The HNSW graph over a multivector against the published binary: past a small indexing threshold the optimizer
/// builds it (indexed_vectors_count), graph answers agree with brute-force MaxSim computed here, <c>exact</c> and
/// <c>m: 0</c> are exact, and legacy search and recommend reach it, over REST and gRPC alike.
/// </summary>
public sealed class MultivectorIndexTests
{
    private const string Collection = "colbert_graph";
    private const int Dim = 16;
    private const int Points = 1200;
    private const int K = 10;

    [Fact]
    public async Task OptimizerBuildsTheGraph_AndAnswersMatchBruteForce_OverRestAndGrpc()
    {
        await using var server = await ServerProcess.StartAsync();
        (await server.PutAsync($"/collections/{Collection}", $$"""
            {"vectors": {
                "colbert": {"size": {{Dim}}, "distance": "Cosine", "multivector_config": {"comparator": "max_sim"} },
                "rerank": {"size": {{Dim}}, "distance": "Cosine", "multivector_config": {"comparator": "max_sim"}, "hnsw_config": {"m": 0} } },
             "optimizers_config": {"indexing_threshold": 10} }
            """)).Ok();

        var data = Data(3, Points);
        for (var start = 0; start < Points; start += 200)
        {
            await server.UpsertAsync(Collection, "[" + string.Join(",", Enumerable.Range(start, 200).Select(i =>
                $$"""{"id": {{i}}, "vector": {"colbert": {{Json(data[i])}}, "rerank": {{Json(data[i])}} } }""")) + "]");
        }

        // One graph node per point of "colbert"; "rerank" (m 0) gets none, so the count is the points, not twice them.
        var indexed = 0L;
        for (var wait = 0; wait < 600 && indexed < Points; wait++)
        {
            await Task.Delay(500);
            indexed = (await server.InfoAsync(Collection)).At("indexed_vectors_count").GetInt64();
        }

        Assert.Equal(Points, indexed);

        using var grpc = new GrpcUnary(server.GrpcPort);
        var queries = Data(4, 20);
        double recall = 0;
        foreach (var query in queries)
        {
            var expected = BruteForce(data, query, exclude: -1);
            var viaGraph = (await server.PostAsync($"/collections/{Collection}/points/query",
                $$"""{"query": {{Json(query)}}, "using": "colbert", "limit": {{K}}, "params": {"hnsw_ef": 128} }""")).Ok().At("points");
            recall += (double)viaGraph.Ids().Intersect(expected.Ids).Count() / K;

            var grpcGraph = await grpc.CallAsync("/qdrant.Points/Query", new QueryPoints
            {
                CollectionName = Collection,
                Query = new Query { Nearest = MultiInput(query) },
                Using = "colbert",
                Limit = K,
                Params = new SearchParams { HnswEf = 128 },
            }, QueryResponse.Parser);
            Assert.Equal(viaGraph.Ids(), grpcGraph.Result.Select(p => Id(p.Id)));

            // exact, and m 0 without it, are brute force.
            var exact = (await server.PostAsync($"/collections/{Collection}/points/query",
                $$"""{"query": {{Json(query)}}, "using": "colbert", "limit": {{K}}, "params": {"exact": true} }""")).Ok().At("points");
            AssertSameAnswer(expected, exact.Ids(), exact.Scores());
            var reranked = (await server.PostAsync($"/collections/{Collection}/points/query",
                $$"""{"query": {{Json(query)}}, "using": "rerank", "limit": {{K}}, "params": {"hnsw_ef": 1} }""")).Ok().At("points");
            AssertSameAnswer(expected, reranked.Ids(), reranked.Scores());
            var grpcExact = await grpc.CallAsync("/qdrant.Points/Query", new QueryPoints
            {
                CollectionName = Collection,
                Query = new Query { Nearest = MultiInput(query) },
                Using = "colbert",
                Limit = K,
                Params = new SearchParams { Exact = true },
            }, QueryResponse.Parser);
            AssertSameAnswer(expected, [.. grpcExact.Result.Select(p => Id(p.Id))], [.. grpcExact.Result.Select(p => (double)p.Score)]);
        }

        Assert.True(recall / queries.Length >= 0.9, $"recall@{K} {recall / queries.Length:F3} through the graph at hnsw_ef 128");

        // Legacy search: one dense vector against a multivector name is a query of one row (as the reference reads it).
        var row = new[] { queries[0][0] };
        var oneRow = BruteForce(data, row, exclude: -1);
        var legacy = (await server.PostAsync($"/collections/{Collection}/points/search",
            $$"""{"vector": {"name": "colbert", "vector": {{Json(row)[1..^1]}} }, "limit": {{K}}, "params": {"exact": true} }""")).Ok();
        AssertSameAnswer(oneRow, legacy.Ids(), legacy.Scores());
        var grpcLegacy = await grpc.CallAsync("/qdrant.Points/Search", new SearchPoints
        {
            CollectionName = Collection,
            Vector = { row[0] },
            VectorName = "colbert",
            Limit = K,
            Params = new SearchParams { Exact = true },
        }, SearchResponse.Parser);
        AssertSameAnswer(oneRow, [.. grpcLegacy.Result.Select(p => Id(p.Id))], [.. grpcLegacy.Result.Select(p => (double)p.Score)]);

        // Legacy recommend by id: the average of one multivector is itself; the example is left out of the answer.
        var byExample = BruteForce(data, data[7], exclude: 7);
        var recommended = (await server.PostAsync($"/collections/{Collection}/points/recommend",
            $$"""{"positive": [7], "using": "colbert", "limit": {{K}}, "params": {"exact": true} }""")).Ok();
        AssertSameAnswer(byExample, recommended.Ids(), recommended.Scores());
        var grpcRecommended = await grpc.CallAsync("/qdrant.Points/Recommend", new RecommendPoints
        {
            CollectionName = Collection,
            Positive = { new PointId { Num = 7 } },
            Using = "colbert",
            Limit = K,
            Params = new SearchParams { Exact = true },
        }, RecommendResponse.Parser);
        AssertSameAnswer(byExample, [.. grpcRecommended.Result.Select(p => Id(p.Id))], [.. grpcRecommended.Result.Select(p => (double)p.Score)]);

        // The graph is on disk: after a restart it is in service again without a rebuild.
        await server.RestartAsync();
        Assert.Equal(Points, (await server.InfoAsync(Collection)).At("indexed_vectors_count").GetInt64());
    }

    // Position by position: the score is the brute-force one, and the point returned has that score (so a tie within
    // float rounding may order two points either way, but no other point can stand in).
    private static void AssertSameAnswer(BruteForceAnswer expected, List<string> ids, List<double> scores)
    {
        Assert.Equal(expected.Top.Count, ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(expected.Top[i].Score, scores[i], 1e-4);
            Assert.Equal(expected.Top[i].Score, expected.All[ids[i]], 1e-4);
        }
    }

    private sealed record BruteForceAnswer(List<(string Id, double Score)> Top, Dictionary<string, double> All)
    {
        public IEnumerable<string> Ids => Top.Select(t => t.Id);
    }

    // Brute-force MaxSim for Cosine, in double precision: the best cosine of each query row among the point's rows, summed.
    private static BruteForceAnswer BruteForce(float[][][] data, float[][] query, int exclude)
    {
        var all = Enumerable.Range(0, data.Length).Where(i => i != exclude)
            .ToDictionary(i => i.ToString(CultureInfo.InvariantCulture), i => query.Sum(q => data[i].Max(r => Cosine(q, r))));
        var top = all.OrderByDescending(x => x.Value).ThenBy(x => int.Parse(x.Key, CultureInfo.InvariantCulture)).Take(K).Select(x => (x.Key, x.Value)).ToList();
        return new BruteForceAnswer(top, all);
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    // ColBERT-like points: 2..8 rows, each near one of the point's three topics (or, one in four, any topic).
    private static float[][][] Data(int seed, int count)
    {
        var rng = new Random(seed);
        var topics = AotVector.Testing.SeededRandom.Vectors(1, 48, Dim);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            int[] home = [rng.Next(topics.Length), rng.Next(topics.Length), rng.Next(topics.Length)];
            return Enumerable.Range(0, rng.Next(2, 9)).Select(_ =>
            {
                var topic = topics[rng.Next(4) == 0 ? rng.Next(topics.Length) : home[rng.Next(home.Length)]];
                return topic.Select(x => x + ((float)((rng.NextDouble() * 2) - 1) * 0.3f)).ToArray();
            }).ToArray();
        })];
    }

    private static VectorInput MultiInput(float[][] rows)
    {
        var multi = new MultiDenseVector();
        foreach (var r in rows)
        {
            multi.Vectors.Add(new DenseVector { Data = { r } });
        }

        return new VectorInput { MultiDense = multi };
    }

    private static string Id(PointId id) => id.Num.ToString(CultureInfo.InvariantCulture);

    private static string Json(float[][] rows) =>
        "[" + string.Join(",", rows.Select(r => "[" + string.Join(",", r.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";

    /// <summary>Unary gRPC over h2c, returning the decoded answer (asserting status OK).</summary>
    private sealed class GrpcUnary(int port) : IDisposable
    {
        private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        public async Task<T> CallAsync<T>(string path, IMessage request, MessageParser<T> parser)
            where T : IMessage<T>
        {
            var message = request.ToByteArray();
            var framed = new byte[5 + message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
            message.CopyTo(framed, 5);
            using var call = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(framed),
            };
            call.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            call.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
            using var response = await _http.SendAsync(call);
            var body = await response.Content.ReadAsByteArrayAsync();
            var status = response.TrailingHeaders.TryGetValues("grpc-status", out var s) ? s.First()
                : response.Headers.TryGetValues("grpc-status", out var h) ? h.First() : "missing";
            var text = response.TrailingHeaders.TryGetValues("grpc-message", out var m) ? Uri.UnescapeDataString(m.First())
                : response.Headers.TryGetValues("grpc-message", out var hm) ? Uri.UnescapeDataString(hm.First()) : "";
            Assert.True(status == "0", $"{path}: grpc-status {status} {text}");
            return parser.ParseFrom(body.AsSpan(5, (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1))));
        }

        public void Dispose() => _http.Dispose();
    }
}
