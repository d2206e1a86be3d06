using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>Multivectors (MaxSim) through both front ends: the same hits, scores, stored rows and refusals.</summary>
public sealed partial class RestGrpcParityTests
{
    private const int MultiDim = 4;

    [Theory]
    [InlineData("Cosine")]
    [InlineData("Euclid")]
    [InlineData("Dot")]
    [InlineData("Manhattan")]
    public async Task Multivector_SameHitsScoresAndRows(string distance)
    {
        var name = "multi_" + distance.ToLowerInvariant();
        using var grpc = new QdrantGrpcClient("127.0.0.1", Server.GrpcPort, null!);
        await Rest(HttpMethod.Put, $"/collections/{name}",
            "{\"vectors\":{\"colbert\":{\"size\":" + MultiDim + ",\"distance\":\"" + distance + "\",\"multivector_config\":{\"comparator\":\"max_sim\"},\"hnsw_config\":{\"m\":0}}}}");
        var rng = new Random(31);
        var data = Enumerable.Range(0, 60).Select(_ => Rows(rng, rng.Next(1, 5))).ToArray();
        var points = string.Join(",", data.Select((rows, i) => "{\"id\":" + i + ",\"vector\":{\"colbert\":" + Json(rows) + "}}"));
        await Rest(HttpMethod.Put, $"/collections/{name}/points?wait=true", "{\"points\":[" + points + "]}");

        var info = await grpc.Collections.GetAsync(new GetCollectionInfoRequest { CollectionName = name });
        Assert.Equal(MultiVectorComparator.MaxSim, info.Result.Config.Params.VectorsConfig.ParamsMap.Map["colbert"].MultivectorConfig.Comparator);
        var restInfo = await Rest(HttpMethod.Get, $"/collections/{name}", null);
        Assert.Equal("max_sim", restInfo.GetProperty("config").GetProperty("params").GetProperty("vectors").GetProperty("colbert").GetProperty("multivector_config").GetProperty("comparator").GetString());

        for (var q = 0; q < 3; q++)
        {
            var query = Rows(rng, q + 1);
            var rest = await Rest(HttpMethod.Post, $"/collections/{name}/points/query", "{\"query\":" + Json(query) + ",\"using\":\"colbert\",\"limit\":10}");
            var restHits = rest.GetProperty("points").EnumerateArray()
                .Select(p => (Id: p.GetProperty("id").GetUInt64(), Score: p.GetProperty("score").GetSingle())).ToArray();
            var multi = new MultiDenseVector();
            foreach (var row in query)
            {
                multi.Vectors.Add(new DenseVector { Data = { row } });
            }

            var grpcHits = (await grpc.Points.QueryAsync(new QueryPoints
            {
                CollectionName = name,
                Query = new Query { Nearest = new VectorInput { MultiDense = multi } },
                Using = "colbert",
                Limit = 10,
            })).Result;
            Assert.Equal(10, restHits.Length);
            Assert.Equal(restHits.Select(h => h.Id), grpcHits.Select(h => h.Id.Num));
            for (var i = 0; i < restHits.Length; i++)
            {
                Assert.Equal(restHits[i].Score, grpcHits[i].Score, 5);
                var expected = Postprocess(distance, query.Sum(qr => data[restHits[i].Id].Max(r => Similarity(distance, qr, r))));
                Assert.Equal(expected, restHits[i].Score, 1e-3 * Math.Max(1, Math.Abs(expected)));
            }
        }

        // Stored rows come back as an array of arrays (REST) and a MultiDenseVector (gRPC), the same numbers.
        var restPoint = await Rest(HttpMethod.Get, $"/collections/{name}/points/7", null);
        var restRows = restPoint.GetProperty("vector").GetProperty("colbert").EnumerateArray()
            .Select(r => r.EnumerateArray().Select(x => x.GetSingle()).ToArray()).ToArray();
        var grpcPoint = (await grpc.Points.GetAsync(new GetPoints
        {
            CollectionName = name,
            Ids = { new PointId { Num = 7 } },
            WithVectors = new WithVectorsSelector { Enable = true },
        })).Result.Single();
        var grpcRows = grpcPoint.Vectors.Vectors.Vectors["colbert"].MultiDense.Vectors.Select(v => v.Data.ToArray()).ToArray();
        Assert.Equal(data[7].Length, restRows.Length);
        Assert.Equal(restRows, grpcRows);

        // A row of the wrong size: the same refusal on both wires, and nothing written.
        var restBad = await RestError(HttpMethod.Put, $"/collections/{name}/points?wait=true", "{\"points\":[{\"id\":100,\"vector\":{\"colbert\":[[1,2,3,4],[1,2,3]]}}]}");
        var restDim = await RestError(HttpMethod.Put, $"/collections/{name}/points?wait=true", "{\"points\":[{\"id\":100,\"vector\":{\"colbert\":[[1,2,3],[1,2,3]]}}]}");
        var badRows = new MultiDenseVector { Vectors = { new DenseVector { Data = { 1, 2, 3 } }, new DenseVector { Data = { 1, 2, 3 } } } };
        var grpcDim = await Assert.ThrowsAsync<RpcException>(() => grpc.Points.UpsertAsync(new UpsertPoints
        {
            CollectionName = name,
            Wait = true,
            Points = { new PointStruct { Id = new PointId { Num = 100 }, Vectors = new Vectors { Vectors_ = new NamedVectors { Vectors = { ["colbert"] = new Vector { MultiDense = badRows } } } } } },
        }).ResponseAsync);
        Assert.Equal(422, restBad.Status);
        Assert.Equal((400, StatusCode.InvalidArgument), (restDim.Status, grpcDim.StatusCode));
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 4, got 3", restDim.Message);
        Assert.Equal(restDim.Message, grpcDim.Status.Detail);
        var count = await Rest(HttpMethod.Post, $"/collections/{name}/points/count", "{}");
        Assert.Equal(60, count.GetProperty("count").GetInt32());
    }

    private static float[][] Rows(Random rng, int count) => [.. Enumerable.Range(0, count).Select(_ => SeededRandom.Vector(rng, MultiDim))];

    private static string Json(float[][] rows) => "[" + string.Join(",", rows.Select(r => "[" + Floats(r) + "]")) + "]";

    private static double Similarity(string distance, float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0, l2 = 0, l1 = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
            l2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
            l1 += Math.Abs((double)a[i] - b[i]);
        }

        return distance switch
        {
            "Cosine" => dot / Math.Sqrt(na * nb),
            "Euclid" => -l2,
            "Dot" => dot,
            _ => -l1,
        };
    }

    // The reference postprocesses the summed raw similarity as it would a dense score.
    private static double Postprocess(string distance, double sum) => distance switch
    {
        "Euclid" => Math.Sqrt(Math.Abs(sum)),
        "Manhattan" => Math.Abs(sum),
        _ => sum,
    };
}
