using System.Globalization;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>Sparse vectors over both wires: the same config, the same hits and scores, the same refusals.</summary>
public sealed partial class RestGrpcParityTests
{
    [Fact]
    public async Task Sparse_SameConfigHitsAndRefusals()
    {
        using var grpc = new QdrantGrpcClient("127.0.0.1", Server.GrpcPort, null!);
        var sparseConfig = new SparseVectorConfig();
        sparseConfig.Map["text"] = new SparseVectorParams { Modifier = Modifier.Idf };
        await grpc.Collections.CreateAsync(new CreateCollection
        {
            CollectionName = "sparse_parity",
            VectorsConfig = new VectorsConfig { ParamsMap = new VectorParamsMap { Map = { ["dense"] = new VectorParams { Size = 2, Distance = Distance.Dot } } } },
            SparseVectorsConfig = sparseConfig,
        });

        var restInfo = await Rest(HttpMethod.Get, "/collections/sparse_parity", null);
        Assert.Equal("""{"text":{"modifier":"idf"}}""", restInfo.GetProperty("config").GetProperty("params").GetProperty("sparse_vectors").GetRawText());
        var grpcInfo = await grpc.Collections.GetAsync(new GetCollectionInfoRequest { CollectionName = "sparse_parity" });
        Assert.Equal(Modifier.Idf, grpcInfo.Result.Config.Params.SparseVectorsConfig.Map["text"].Modifier);

        // Half the points over REST, half over gRPC (current and deprecated sparse forms).
        var random = new Random(17);
        var docs = Enumerable.Range(0, 120).Select(i =>
        {
            var indices = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => (uint)random.Next(40)).Distinct().ToArray();
            return (Id: (ulong)i, Indices: indices, Values: indices.Select(_ => (float)Math.Round(random.NextDouble(), 3)).ToArray(), Group: i % 2);
        }).ToList();
        var restPoints = string.Join(",", docs.Where(d => d.Id % 2 == 0).Select(d =>
            "{\"id\":" + d.Id + ",\"vector\":{\"text\":" + SparseJson(d.Indices, d.Values) + "},\"payload\":{\"g\":" + d.Group + "}}"));
        await Rest(HttpMethod.Put, "/collections/sparse_parity/points?wait=true", "{\"points\":[" + restPoints + "]}");
        var upsert = new UpsertPoints { CollectionName = "sparse_parity", Wait = true };
        foreach (var d in docs.Where(d => d.Id % 2 == 1))
        {
            var vector = d.Id % 4 == 1
                ? new Vector { Sparse = new SparseVector { Indices = { d.Indices }, Values = { d.Values } } }
                : DeprecatedSparse(d.Indices, d.Values);
            var named = new NamedVectors();
            named.Vectors["text"] = vector;
            upsert.Points.Add(new PointStruct { Id = new PointId { Num = d.Id }, Vectors = new Vectors { Vectors_ = named }, Payload = { ["g"] = d.Group } });
        }

        await grpc.Points.UpsertAsync(upsert);

        for (var n = 0; n < 8; n++)
        {
            var q = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => (uint)random.Next(40)).Distinct().ToArray();
            var w = q.Select(_ => (float)Math.Round(random.NextDouble(), 3)).ToArray();
            var filtered = n % 2 == 1;
            var filterJson = filtered ? ""","filter":{"must":[{"key":"g","match":{"value":1}}]}""" : "";
            var rest = await Rest(HttpMethod.Post, "/collections/sparse_parity/points/query", "{\"query\":" + SparseJson(q, w) + ",\"using\":\"text\",\"limit\":10" + filterJson + "}");
            var restHits = rest.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("id").GetUInt64(), p.GetProperty("score").GetSingle())).ToArray();
            var query = new QueryPoints
            {
                CollectionName = "sparse_parity",
                Using = "text",
                Limit = 10,
                Query = new Query { Nearest = new VectorInput { Sparse = new SparseVector { Indices = { q }, Values = { w } } } },
            };
            if (filtered)
            {
                query.Filter = new Filter { Must = { new Condition { Field = new FieldCondition { Key = "g", Match = new Match { Integer = 1 } } } } };
            }

            var grpcHits = (await grpc.Points.QueryAsync(query)).Result.Select(p => (p.Id.Num, p.Score)).ToArray();
            Assert.NotEmpty(restHits);
            Assert.Equal(restHits, grpcHits);
        }

        // with_vector returns the sparse vector on both wires, sorted by index.
        var restRecord = await Rest(HttpMethod.Post, "/collections/sparse_parity/points", """{"ids":[3],"with_vector":true}""");
        var grpcRecord = (await grpc.Points.GetAsync(new GetPoints { CollectionName = "sparse_parity", Ids = { new PointId { Num = 3 } }, WithVectors = new WithVectorsSelector { Enable = true } })).Result.Single();
        var sparseOut = grpcRecord.Vectors.Vectors.Vectors["text"].Sparse;
        Assert.Equal(SparseJson([.. sparseOut.Indices], [.. sparseOut.Values]), restRecord[0].GetProperty("vector").GetProperty("text").GetRawText());
        Assert.Equal(sparseOut.Indices.Order(), sparseOut.Indices);

        // Refusals: the same status and words.
        var refusals = new (string Body, Vector Wire, string Expected)[]
        {
            ("""{"indices":[1,1],"values":[1,2]}""", new Vector { Sparse = new SparseVector { Indices = { 1, 1 }, Values = { 1, 2 } } },
                "Wrong input: sparse vector text: indices must be unique (index 1 appears more than once)"),
            ("""{"indices":[1,2],"values":[1]}""", new Vector { Sparse = new SparseVector { Indices = { 1, 2 }, Values = { 1 } } },
                "Wrong input: sparse vector text: values must be the same length as indices (1 values, 2 indices)"),
            ("""[1,2]""", new Vector { Dense = new DenseVector { Data = { 1, 2 } } },
                "Wrong input: Conversion between sparse and regular vectors failed"),
        };
        foreach (var (body, wire, expected) in refusals)
        {
            var restError = await RestError(HttpMethod.Put, "/collections/sparse_parity/points?wait=true", "{\"points\":[{\"id\":999,\"vector\":{\"text\":" + body + "}}]}");
            var named = new NamedVectors();
            named.Vectors["text"] = wire;
            var grpcError = await Assert.ThrowsAsync<RpcException>(() => grpc.Points.UpsertAsync(new UpsertPoints
            {
                CollectionName = "sparse_parity",
                Wait = true,
                Points = { new PointStruct { Id = new PointId { Num = 999 }, Vectors = new Vectors { Vectors_ = named } } },
            }).ResponseAsync);
            Assert.Equal((400, expected), restError);
            Assert.Equal((StatusCode.InvalidArgument, expected), (grpcError.StatusCode, grpcError.Status.Detail));
        }

        var count = await Rest(HttpMethod.Post, "/collections/sparse_parity/points/count", """{"exact":true}""");
        Assert.Equal(120, count.GetProperty("count").GetInt32());
    }

#pragma warning disable CS0612 // the deprecated flat form is what older clients send
    private static Vector DeprecatedSparse(uint[] indices, float[] values)
    {
        var vector = new Vector { Indices = new SparseIndices() };
        vector.Indices.Data.Add(indices);
        vector.Data.Add(values);
        return vector;
    }
#pragma warning restore CS0612

    private static string SparseJson(uint[] indices, float[] values) =>
        "{\"indices\":[" + string.Join(",", indices) + "],\"values\":[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]}";
}
