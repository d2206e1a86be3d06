using System.Text.Json;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// Every default, seen from both wires: the same request with the field left out (a missing JSON key, an unset proto
/// field, raw messages so the client fills nothing in) gives the same answer over REST and over gRPC, and the answer
/// the default promises.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    [Fact]
    public async Task Defaults_SameOnBothFrontEnds()
    {
        using var grpc = new QdrantGrpcClient("127.0.0.1", Server.GrpcPort, null!);
        await Rest(HttpMethod.Put, "/collections/defaults", """{"vectors":{"size":2,"distance":"Dot"}}""");
        var points = string.Join(",", Enumerable.Range(0, 15).Select(i => "{\"id\":" + i + ",\"vector\":[" + i + ",1],\"payload\":{\"n\":" + i + "}}"));
        await Rest(HttpMethod.Put, "/collections/defaults/points?wait=true", "{\"points\":[" + points + "]}");

        // Query: limit 10, offset 0, no payload, no vectors.
        var restQuery = (await Rest(HttpMethod.Post, "/collections/defaults/points/query", """{"query":[1,0]}""")).GetProperty("points").EnumerateArray().ToList();
        var grpcQuery = (await grpc.Points.QueryAsync(new QueryPoints { CollectionName = "defaults", Query = Nearest(1, 0) })).Result;
        Assert.Equal(Enumerable.Range(5, 10).Reverse().Select(i => (ulong)i), restQuery.Select(p => p.GetProperty("id").GetUInt64()));
        Assert.Equal(restQuery.Select(p => p.GetProperty("id").GetUInt64()), grpcQuery.Select(p => p.Id.Num));
        Assert.All(restQuery, p => Assert.False(p.TryGetProperty("payload", out _) || p.TryGetProperty("vector", out _), p.GetRawText()));
        Assert.All(grpcQuery, p => Assert.True(p.Payload.Count == 0 && p.Vectors is null, p.ToString()));

        // Legacy search: the same payload and vector defaults (its limit is required on both wires).
        var restSearch = (await Rest(HttpMethod.Post, "/collections/defaults/points/search", """{"vector":[1,0],"limit":3}""")).EnumerateArray().ToList();
        var search = new SearchPoints { CollectionName = "defaults", Limit = 3 };
        search.Vector.Add([1f, 0f]);
#pragma warning disable CS0612, CS0618 // the deprecated RPC must keep its defaults too
        var grpcSearch = (await grpc.Points.SearchAsync(search)).Result;
#pragma warning restore CS0612, CS0618
        Assert.Equal(restSearch.Select(p => p.GetProperty("id").GetUInt64()), grpcSearch.Select(p => p.Id.Num));
        Assert.All(restSearch, p => Assert.False(p.TryGetProperty("payload", out _) || p.TryGetProperty("vector", out _), p.GetRawText()));
        Assert.All(grpcSearch, p => Assert.True(p.Payload.Count == 0 && p.Vectors is null, p.ToString()));

        // Recommend: the average_vector strategy, as when it is named.
        var restRecommend = await Rest(HttpMethod.Post, "/collections/defaults/points/query", """{"query":{"recommend":{"positive":[3],"negative":[14]}},"limit":5}""");
        var restNamed = await Rest(HttpMethod.Post, "/collections/defaults/points/query", """{"query":{"recommend":{"positive":[3],"negative":[14],"strategy":"average_vector"}},"limit":5}""");
        var grpcRecommend = (await grpc.Points.QueryAsync(new QueryPoints
        {
            CollectionName = "defaults",
            Query = new Query { Recommend = new RecommendInput { Positive = { new VectorInput { Id = 3 } }, Negative = { new VectorInput { Id = 14 } } } },
            Limit = 5,
        })).Result;
        Assert.Equal(Ids(restNamed.GetProperty("points")), Ids(restRecommend.GetProperty("points")));
        Assert.Equal(Ids(restRecommend.GetProperty("points")), grpcRecommend.Select(p => p.Id.Num));

        // Scroll: limit 10 from the first id, payload on, vectors off, and the next page's offset.
        var restScroll = await Rest(HttpMethod.Post, "/collections/defaults/points/scroll", "{}");
        var grpcScroll = await grpc.Points.ScrollAsync(new ScrollPoints { CollectionName = "defaults" });
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ulong)i), Ids(restScroll.GetProperty("points")));
        Assert.Equal(Ids(restScroll.GetProperty("points")), grpcScroll.Result.Select(p => p.Id.Num));
        Assert.Equal(10UL, restScroll.GetProperty("next_page_offset").GetUInt64());
        Assert.Equal(10UL, grpcScroll.NextPageOffset.Num);
        Assert.All(restScroll.GetProperty("points").EnumerateArray(), p => Assert.True(p.TryGetProperty("payload", out _) && !p.TryGetProperty("vector", out _), p.GetRawText()));
        Assert.All(grpcScroll.Result, p => Assert.True(p.Payload.Count == 1 && p.Vectors is null, p.ToString()));

        // Retrieve: payload on, vectors off.
        var restGet = await Rest(HttpMethod.Post, "/collections/defaults/points", """{"ids":[4]}""");
        var grpcGet = (await grpc.Points.GetAsync(new GetPoints { CollectionName = "defaults", Ids = { new PointId { Num = 4 } } })).Result;
        Assert.Equal("""[{"id":4,"payload":{"n":4}}]""", restGet.GetRawText());
        Assert.Equal(4L, Assert.Single(grpcGet).Payload["n"].IntegerValue);
        Assert.Null(grpcGet[0].Vectors);

        // Count: exact.
        var restCount = await Rest(HttpMethod.Post, "/collections/defaults/points/count", "{}");
        var grpcCount = await grpc.Points.CountAsync(new CountPoints { CollectionName = "defaults" });
        Assert.Equal(15UL, restCount.GetProperty("count").GetUInt64());
        Assert.Equal(15UL, grpcCount.Result.Count);

        // Writes: no wait answers once logged (acknowledged); no update_mode replaces an existing point.
        var restWrite = await Rest(HttpMethod.Put, "/collections/defaults/points", """{"points":[{"id":1,"vector":[1,1],"payload":{"n":101}}]}""");
        var grpcWrite = await grpc.Points.UpsertAsync(new UpsertPoints
        {
            CollectionName = "defaults",
            Points = { new PointStruct { Id = new PointId { Num = 2 }, Vectors = new Vectors { Vector = new Vector { Dense = new DenseVector { Data = { 2, 1 } } } }, Payload = { ["n"] = 102 } } },
        });
        Assert.Equal("acknowledged", restWrite.GetProperty("status").GetString());
        Assert.Equal(UpdateStatus.Acknowledged, grpcWrite.Result.Status);
        await Rest(HttpMethod.Put, "/collections/defaults/points?wait=true", """{"points":[{"id":0,"vector":[0,1],"payload":{"n":0}}]}""");
        var replaced = await Rest(HttpMethod.Post, "/collections/defaults/points", """{"ids":[1,2]}""");
        Assert.Equal("""[{"id":1,"payload":{"n":101}},{"id":2,"payload":{"n":102}}]""", replaced.GetRawText());
    }

    private static IEnumerable<ulong> Ids(JsonElement points) => points.EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()).ToList();
}
