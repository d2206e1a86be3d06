using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

public sealed partial class RestApiTests
{
    private const string QuickStartPoints = """
        [{"id": 1, "vector": [0.05, 0.61, 0.76, 0.74], "payload": {"city": "Berlin"}},
         {"id": 2, "vector": [0.19, 0.81, 0.75, 0.11], "payload": {"city": "London"}},
         {"id": 3, "vector": [0.36, 0.55, 0.47, 0.94], "payload": {"city": "Moscow"}},
         {"id": 4, "vector": [0.18, 0.01, 0.85, 0.80], "payload": {"city": "New York"}},
         {"id": 5, "vector": [0.24, 0.18, 0.22, 0.44], "payload": {"city": "Beijing"}},
         {"id": 6, "vector": [0.35, 0.08, 0.11, 0.44], "payload": {"city": "Mumbai"}}]
        """;

    private const string LondonFilter = """{"must": [{"key": "city", "match": {"value": "London"}}]}""";

    [Fact]
    public async Task CosineQueryNormalizesAndHonoursOptions()
    {
        const string name = "coll_query_cosine";
        await _server.CreateCollectionAsync(name, """{"size": 4, "distance": "Cosine"}""");
        await _server.UpsertAsync(name, """
            [{"id": 1, "vector": [3, 4, 0, 0], "payload": {"k": "a"}},
             {"id": 2, "vector": [0, 0, 1, 0], "payload": {"k": "b"}},
             {"id": 3, "vector": [1, 1, 0, 0], "payload": {"k": "a"}}]
            """);

        var response = await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0, 0, 0], "limit": 3, "with_vector": true}""");
        var points = response.Ok().At("points");
        Assert.Equal(new[] { "3", "1", "2" }, points.Ids());
        var scores = points.Scores();
        Assert.Equal(Math.Sqrt(0.5), scores[0], 4);
        Assert.Equal(0.6, scores[1], 4);
        Assert.Equal(0.0, scores[2], 4);
        foreach (var point in points.EnumerateArray())
        {
            var v = point.At("vector").Floats();
            Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4);
            Assert.False(point.Has("payload"), "with_payload defaults to false: " + point.GetRawText());
            Assert.True(point.Has("version"), "a ScoredPoint carries version: " + point.GetRawText());
        }

        var stored = (await _server.GetPointAsync(name, "1")).At("vector").Floats();
        Assert.Equal(0.6, stored[0], 5);
        Assert.Equal(0.8, stored[1], 5);

        var threshold = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0, 0, 0], "score_threshold": 0.65}""")).Ok().At("points");
        Assert.Equal(new[] { "3" }, threshold.Ids());

        var offset = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0, 0, 0], "limit": 2, "offset": 1}""")).Ok().At("points");
        Assert.Equal(new[] { "1", "2" }, offset.Ids());

        var exact = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0, 0, 0], "limit": 3, "params": {"exact": true, "hnsw_ef": 64}}""")).Ok().At("points");
        Assert.Equal(new[] { "3", "1", "2" }, exact.Ids());

        var filtered = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0, 0, 0], "filter": {"must": [{"key": "k", "match": {"value": "a"}}]}, "with_payload": true}""")).Ok().At("points");
        Assert.Equal(new[] { "3", "1" }, filtered.Ids());
        Calls.AssertJson("""{"k": "a"}""", filtered.At("0.payload"));

        // A point id as the query uses its stored vector and leaves the point itself out.
        var byId = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": 3, "limit": 3}""")).Ok().At("points");
        Assert.Equal(new[] { "1", "2" }, byId.Ids());
        Assert.Equal(7 / (5 * Math.Sqrt(2)), byId.Scores()[0], 4);

        var missingId = await _server.PostAsync($"/collections/{name}/points/query", """{"query": 99}""");
        Assert.Equal("Not found: No point with id 99 found", missingId.Error(404));

        // Without a query the server scrolls in id order.
        var noQuery = (await _server.PostAsync($"/collections/{name}/points/query", """{"limit": 10}""")).Ok().At("points");
        Assert.Equal(new[] { "1", "2", "3" }, noQuery.Ids());
    }

    [Fact]
    public async Task EuclidAndManhattanReturnDistancesAscending()
    {
        await _server.CreateCollectionAsync("coll_query_euclid", """{"size": 2, "distance": "Euclid"}""");
        await _server.UpsertAsync("coll_query_euclid", """
            [{"id": 1, "vector": [0, 0]}, {"id": 2, "vector": [3, 4]}, {"id": 3, "vector": [1, 0]}, {"id": 4, "vector": [0, -2]}]
            """);
        var euclid = (await _server.PostAsync("/collections/coll_query_euclid/points/query", """{"query": [0, 0], "limit": 4}""")).Ok().At("points");
        Assert.Equal(new[] { "1", "3", "4", "2" }, euclid.Ids());
        Assert.Equal(new[] { 0.0, 1.0, 2.0, 5.0 }, euclid.Scores().Select(s => Math.Round(s, 4)));
        var close = (await _server.PostAsync("/collections/coll_query_euclid/points/query", """{"query": [0, 0], "score_threshold": 2.5}""")).Ok().At("points");
        Assert.Equal(new[] { "1", "3", "4" }, close.Ids());

        await _server.CreateCollectionAsync("coll_query_manhattan", """{"size": 2, "distance": "Manhattan"}""");
        await _server.UpsertAsync("coll_query_manhattan", """[{"id": 1, "vector": [1, 1]}, {"id": 2, "vector": [3, 4]}, {"id": 3, "vector": [0, 1]}]""");
        var manhattan = (await _server.PostAsync("/collections/coll_query_manhattan/points/query", """{"query": [0, 0], "limit": 3}""")).Ok().At("points");
        Assert.Equal(new[] { "3", "1", "2" }, manhattan.Ids());
        Assert.Equal(new[] { 1.0, 2.0, 7.0 }, manhattan.Scores().Select(s => Math.Round(s, 4)));
    }

    [Fact]
    public async Task QueryBatchAnswersEachSearch()
    {
        const string name = "coll_query_batch";
        await _server.CreateCollectionAsync(name, """{"size": 4, "distance": "Dot"}""");
        await _server.UpsertAsync(name, QuickStartPoints);
        var result = (await _server.PostAsync($"/collections/{name}/points/query/batch", $$"""
            {"searches": [{"query": [0.2, 0.1, 0.9, 0.7], "limit": 2},
                          {"query": [0.2, 0.1, 0.9, 0.7], "filter": {{LondonFilter}}, "limit": 2, "with_payload": true}]}
            """)).Ok();
        Assert.Equal(2, result.GetArrayLength());
        Assert.Equal(new[] { "4", "1" }, result.At("0.points").Ids());
        Assert.Equal(new[] { "2" }, result.At("1.points").Ids());
        Assert.Equal("London", result.At("1.points.0.payload.city").GetString());
    }

    [Fact]
    public async Task LegacySearchEndpointsReturnBareArrays()
    {
        const string name = "coll_legacy_search";
        await _server.CreateCollectionAsync(name, """{"size": 4, "distance": "Dot"}""");
        await _server.UpsertAsync(name, QuickStartPoints);

        var top = (await _server.PostAsync($"/collections/{name}/points/search", """{"vector": [0.2, 0.1, 0.9, 0.7], "top": 3}""")).Ok();
        Assert.Equal(JsonValueKind.Array, top.ValueKind);
        Assert.Equal(new[] { "4", "1", "3" }, top.Ids());
        Assert.Equal(1.362, top.Scores()[0], 3);

        var filtered = (await _server.PostAsync($"/collections/{name}/points/search", $$"""{"vector": [0.2, 0.1, 0.9, 0.7], "limit": 3, "filter": {{LondonFilter}}, "with_payload": true, "with_vectors": true}""")).Ok();
        Assert.Equal(new[] { "2" }, filtered.Ids());
        Assert.Equal("London", filtered.At("0.payload.city").GetString());
        Assert.Equal(4, filtered.At("0.vector").GetArrayLength());

        var batch = (await _server.PostAsync($"/collections/{name}/points/search/batch", """
            {"searches": [{"vector": [0.2, 0.1, 0.9, 0.7], "limit": 1}, {"vector": [0.19, 0.81, 0.75, 0.11], "limit": 2, "offset": 1}]}
            """)).Ok();
        Assert.Equal(JsonValueKind.Array, batch.ValueKind);
        Assert.Equal(new[] { "4" }, batch[0].Ids());
        Assert.Equal(2, batch[1].GetArrayLength());

        // average_vector: 2·mean(positive) − mean(negative) = [0.17, −0.79, 0.95, 1.49] → 3 (1.474), 1 (1.351), 5 (0.763).
        var recommend = (await _server.PostAsync($"/collections/{name}/points/recommend", """{"positive": [4], "negative": [2], "limit": 3}""")).Ok();
        Assert.Equal(JsonValueKind.Array, recommend.ValueKind);
        Assert.Equal(new[] { "3", "1", "5" }, recommend.Ids());
        Assert.Equal(1.4738, recommend.Scores()[0], 3);

        var viaQuery = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": {"recommend": {"positive": [4], "negative": [2]}}, "limit": 3}""")).Ok().At("points");
        Assert.Equal(new[] { "3", "1", "5" }, viaQuery.Ids());

        var nearest = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": {"nearest": [0.2, 0.1, 0.9, 0.7]}, "limit": 3}""")).Ok().At("points");
        Assert.Equal(new[] { "4", "1", "3" }, nearest.Ids());
    }
}
