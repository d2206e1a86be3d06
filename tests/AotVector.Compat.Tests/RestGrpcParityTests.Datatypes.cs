using System.Globalization;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// float16 and uint8 vectors over both wires: created the same from either, shown the same in collection info, the
/// same hits and scores, and the stored (rounded, truncated) values returned on both.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    [Fact]
    public async Task Datatypes_SameConfigHitsAndStoredValues()
    {
        using var grpc = new QdrantGrpcClient("127.0.0.1", Server.GrpcPort, null!);
        await Rest(HttpMethod.Put, "/collections/dt_rest",
            """{"vectors":{"half":{"size":4,"distance":"Cosine","datatype":"float16"},"byte":{"size":4,"distance":"Euclid","datatype":"uint8"},"plain":{"size":4,"distance":"Dot"}}}""");
        var map = new VectorParamsMap();
        map.Map["half"] = new VectorParams { Size = 4, Distance = Distance.Cosine, Datatype = Datatype.Float16 };
        map.Map["byte"] = new VectorParams { Size = 4, Distance = Distance.Euclid, Datatype = Datatype.Uint8 };
        map.Map["plain"] = new VectorParams { Size = 4, Distance = Distance.Dot };
        await grpc.Collections.CreateAsync(new CreateCollection { CollectionName = "dt_grpc", VectorsConfig = new VectorsConfig { ParamsMap = map } });

        var restVectors = (await Rest(HttpMethod.Get, "/collections/dt_rest", null)).GetProperty("config").GetProperty("params").GetProperty("vectors");
        Assert.Equal("""{"size":4,"distance":"Euclid","datatype":"uint8"}""", restVectors.GetProperty("byte").GetRawText());
        Assert.Equal("""{"size":4,"distance":"Cosine","datatype":"float16"}""", restVectors.GetProperty("half").GetRawText());
        Assert.Equal("""{"size":4,"distance":"Dot"}""", restVectors.GetProperty("plain").GetRawText());
        Assert.Equal(restVectors.GetRawText(), (await Rest(HttpMethod.Get, "/collections/dt_grpc", null)).GetProperty("config").GetProperty("params").GetProperty("vectors").GetRawText());
        foreach (var name in new[] { "dt_rest", "dt_grpc" })
        {
            var wire = (await grpc.Collections.GetAsync(new GetCollectionInfoRequest { CollectionName = name })).Result.Config.Params.VectorsConfig.ParamsMap.Map;
            Assert.Equal(Datatype.Float16, wire["half"].Datatype);
            Assert.Equal(Datatype.Uint8, wire["byte"].Datatype);
            Assert.False(wire["plain"].HasDatatype);
        }

        var random = new Random(23);
        var points = Enumerable.Range(0, 60).Select(i => (Id: (ulong)i, Values: Enumerable.Range(0, 4).Select(_ => (float)Math.Round((random.NextDouble() * 300) - 20, 2)).ToArray())).ToList();
        string Json(float[] v) => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";
        var body = string.Join(",", points.Select(p => "{\"id\":" + p.Id + ",\"vector\":{\"half\":" + Json(p.Values) + ",\"byte\":" + Json(p.Values) + ",\"plain\":" + Json(p.Values) + "}}"));
        await Rest(HttpMethod.Put, "/collections/dt_rest/points?wait=true", "{\"points\":[" + body + "]}");
        var upsert = new UpsertPoints { CollectionName = "dt_grpc", Wait = true };
        foreach (var p in points)
        {
            var named = new NamedVectors();
            named.Vectors["half"] = new Vector { Dense = new DenseVector { Data = { p.Values } } };
            named.Vectors["byte"] = new Vector { Dense = new DenseVector { Data = { p.Values } } };
            named.Vectors["plain"] = new Vector { Dense = new DenseVector { Data = { p.Values } } };
            upsert.Points.Add(new PointStruct { Id = new PointId { Num = p.Id }, Vectors = new Vectors { Vectors_ = named } });
        }

        await grpc.Points.UpsertAsync(upsert);

        foreach (var name in new[] { "half", "byte", "plain" })
        {
            var q = Enumerable.Range(0, 4).Select(_ => (float)Math.Round(random.NextDouble() * 200, 2)).ToArray();
            var rest = await Rest(HttpMethod.Post, "/collections/dt_rest/points/query", "{\"query\":" + Json(q) + ",\"using\":\"" + name + "\",\"limit\":10}");
            var restHits = rest.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("id").GetUInt64(), p.GetProperty("score").GetSingle())).ToArray();
            var grpcHits = (await grpc.Points.QueryAsync(new QueryPoints
            {
                CollectionName = "dt_grpc",
                Using = name,
                Limit = 10,
                Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { q } } } },
            })).Result.Select(p => (p.Id.Num, p.Score)).ToArray();
            Assert.Equal(10, restHits.Length);
            Assert.Equal(restHits, grpcHits);
        }

        // The stored values: uint8 truncated and saturated, float16 normalized (Cosine) then rounded.
        var source = points[7].Values;
        var restRecord = (await Rest(HttpMethod.Post, "/collections/dt_rest/points", """{"ids":[7],"with_vector":true}"""))[0].GetProperty("vector");
        var grpcRecord = (await grpc.Points.GetAsync(new GetPoints { CollectionName = "dt_grpc", Ids = { new PointId { Num = 7 } }, WithVectors = new WithVectorsSelector { Enable = true } })).Result.Single().Vectors.Vectors.Vectors;
        var bytes = source.Select(v => v <= 0 ? 0f : v >= 255 ? 255f : MathF.Truncate(v)).ToArray();
        var norm = Math.Sqrt(source.Sum(v => (double)v * v));
        var halves = source.Select(v => (float)(Half)(float)(v / norm)).ToArray();
        Assert.Equal(bytes, restRecord.GetProperty("byte").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        Assert.Equal(halves, restRecord.GetProperty("half").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        Assert.Equal(bytes, grpcRecord["byte"].Dense.Data.ToArray());
        Assert.Equal(halves, grpcRecord["half"].Dense.Data.ToArray());
    }
}
