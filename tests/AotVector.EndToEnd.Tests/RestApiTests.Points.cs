using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

public sealed partial class RestApiTests
{
    [Fact]
    public async Task UpsertListAndBatchFormsThenGetAndRetrieve()
    {
        const string name = "coll_upsert_forms";
        await _server.CreateCollectionAsync(name, """{"size": 4, "distance": "Dot"}""");

        var list = (await _server.PutAsync($"/collections/{name}/points?wait=true", """
            {"points": [{"id": 1, "vector": [1, 0, 0, 0], "payload": {"a": 1}},
                        {"id": 2, "vector": [0, 1, 0, 0]}]}
            """)).Ok();
        Assert.Equal("completed", list.At("status").GetString());
        Assert.Equal(JsonValueKind.Number, list.At("operation_id").ValueKind);

        var batch = (await _server.PutAsync($"/collections/{name}/points?wait=true", """
            {"batch": {"ids": [3, 4], "vectors": [[0, 0, 1, 0], [0, 0, 0, 1]], "payloads": [{"b": 3}, {"b": 4}]}}
            """)).Ok();
        Assert.Equal("completed", batch.At("status").GetString());
        Assert.Equal(4, await _server.CountAsync(name));
        Assert.Equal(4, (await _server.InfoAsync(name)).At("points_count").GetInt64());

        var three = await _server.GetPointAsync(name, "3");
        Calls.AssertJson("""{"id": 3, "payload": {"b": 3}, "vector": [0, 0, 1, 0]}""", three);
        var two = await _server.GetPointAsync(name, "2");
        Assert.Equal(2, two.At("id").GetInt64());
        Calls.AssertJson("[0, 1, 0, 0]", two.At("vector"));
        Calls.AssertEmptyPayload(two);
        Assert.False(two.Has("score"), "a Record has no score");
        Assert.False(two.Has("version"), "a Record has no version");

        var retrieved = (await _server.PostAsync($"/collections/{name}/points", """{"ids": [1, 4, 999], "with_payload": true, "with_vector": false}""")).Ok();
        Assert.Equal(new[] { "1", "4" }, retrieved.Ids().Order().ToArray());
        foreach (var record in retrieved.EnumerateArray())
        {
            Assert.False(record.Has("vector"), "with_vector=false leaves vector out: " + record.GetRawText());
        }

        Calls.AssertJson("""{"a": 1}""", retrieved.EnumerateArray().Single(r => r.At("id").GetInt64() == 1).At("payload"));

        var withVectors = (await _server.PostAsync($"/collections/{name}/points", """{"ids": [4], "with_vector": true}""")).Ok();
        Calls.AssertJson("""[{"id": 4, "payload": {"b": 4}, "vector": [0, 0, 0, 1]}]""", withVectors, "retrieve defaults with_payload to true");

        // Upserting an existing id replaces the point (vector and payload).
        await _server.UpsertAsync(name, """[{"id": 1, "vector": [2, 2, 2, 2], "payload": {"replaced": true}}]""");
        Calls.AssertJson("""{"id": 1, "payload": {"replaced": true}, "vector": [2, 2, 2, 2]}""", await _server.GetPointAsync(name, "1"));
        Assert.Equal(4, await _server.CountAsync(name));
    }

    [Fact]
    public async Task UuidIdsInEveryFormComeBackLowercaseHyphenated()
    {
        const string name = "coll_uuid_ids";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        await _server.UpsertAsync(name, """
            [{"id": "550e8400-e29b-41d4-a716-446655440000", "vector": [1, 0]},
             {"id": "550e8400e29b41d4a716446655440001", "vector": [1, 1]},
             {"id": "{550E8400-E29B-41D4-A716-446655440002}", "vector": [0, 1]},
             {"id": "urn:uuid:550e8400-e29b-41d4-a716-446655440003", "vector": [2, 1]},
             {"id": 7, "vector": [1, 2]}]
            """);

        var ids = (await _server.ScrollAllAsync(name)).Select(r => r.At("id").IdText()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            new[]
            {
                "550e8400-e29b-41d4-a716-446655440000",
                "550e8400-e29b-41d4-a716-446655440001",
                "550e8400-e29b-41d4-a716-446655440002",
                "550e8400-e29b-41d4-a716-446655440003",
                "7",
            },
            ids);

        var upper = await _server.GetPointAsync(name, "550E8400-E29B-41D4-A716-446655440002");
        Assert.Equal("550e8400-e29b-41d4-a716-446655440002", upper.At("id").GetString());
        var numeric = await _server.GetPointAsync(name, "7");
        Assert.Equal(JsonValueKind.Number, numeric.At("id").ValueKind);

        var retrieved = (await _server.PostAsync($"/collections/{name}/points", """{"ids": ["550e8400e29b41d4a716446655440001"]}""")).Ok();
        Assert.Equal(new[] { "550e8400-e29b-41d4-a716-446655440001" }, retrieved.Ids());

        // The same UUID in another spelling is the same point.
        await _server.UpsertAsync(name, """[{"id": "urn:uuid:550E8400-E29B-41D4-A716-446655440000", "vector": [5, 5], "payload": {"v": 2}}]""");
        Assert.Equal(5, await _server.CountAsync(name));
        var updated = await _server.GetPointAsync(name, "550e8400-e29b-41d4-a716-446655440000");
        Calls.AssertJson("""{"v": 2}""", updated.At("payload"));

        var query = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": [5, 5], "limit": 1}""")).Ok().At("points");
        Assert.Equal("550e8400-e29b-41d4-a716-446655440000", query.At("0.id").GetString());
    }

    [Fact]
    public async Task MissingPointIs404()
    {
        const string name = "coll_missing_point";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        await _server.UpsertAsync(name, """[{"id": 1, "vector": [1, 0]}]""");
        var response = await _server.GetAsync($"/collections/{name}/points/42");
        Assert.Equal("Not found: No point with id 42 found", response.Error(404));
    }

    [Fact]
    public async Task ScrollWithFilterPagesThroughAllMatches()
    {
        const string name = "coll_scroll";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        await _server.UpsertAsync(name, Points(25, i => $$"""{"group": "{{(i % 2 == 0 ? "even" : "odd")}}", "n": {{i}}}"""));

        const string even = """{"must": [{"key": "group", "match": {"value": "even"}}]}""";
        var first = (await _server.PostAsync($"/collections/{name}/points/scroll", $$"""{"filter": {{even}}, "limit": 4, "with_payload": true}""")).Ok();
        Assert.Equal(new[] { "2", "4", "6", "8" }, first.At("points").Ids());
        Assert.Equal("10", first.At("next_page_offset").IdText());
        Assert.Equal("even", first.At("points.0.payload.group").GetString());
        Assert.False(first.At("points.0").Has("vector"), "scroll defaults with_vector to false");

        var seen = new List<string>();
        JsonElement? offset = null;
        for (var page = 0; page < 20; page++)
        {
            var body = offset is null
                ? $$"""{"filter": {{even}}, "limit": 4}"""
                : $$"""{"filter": {{even}}, "limit": 4, "offset": {{offset.Value.GetRawText()}}}""";
            var result = (await _server.PostAsync($"/collections/{name}/points/scroll", body)).Ok();
            seen.AddRange(result.At("points").Ids());
            Assert.True(result.Has("next_page_offset"), "next_page_offset is always present");
            var next = result.At("next_page_offset");
            if (next.ValueKind == JsonValueKind.Null)
            {
                break;
            }

            offset = next;
        }

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (2 * i).ToString(System.Globalization.CultureInfo.InvariantCulture)), seen);

        var all = (await _server.PostAsync($"/collections/{name}/points/scroll", """{"limit": 100, "with_vector": true}""")).Ok();
        Assert.Equal(25, all.At("points").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, all.At("next_page_offset").ValueKind);
        Calls.AssertJson("[3, 1]", all.At("points.2.vector"));

        Assert.Equal(25, await _server.CountAsync(name));
        Assert.Equal(12, await _server.CountAsync(name, even));
        Assert.Equal(10, await _server.CountAsync(name, """{"must": [{"key": "n", "range": {"gte": 10, "lt": 20}}]}"""));
        Assert.Equal(5, await _server.CountAsync(name, """{"must": [{"key": "group", "match": {"value": "odd"}}], "must_not": [{"key": "n", "range": {"lte": 15}}]}"""));
        Assert.Equal(3, await _server.CountAsync(name, """{"must": [{"has_id": [1, 2, 3, 999]}]}"""));
        Assert.Equal(3, await _server.CountAsync(name, """{"should": [{"key": "n", "match": {"any": [1, 5, 9]}}]}"""));
    }

    [Fact]
    public async Task DeleteByIdsAndByFilter()
    {
        const string name = "coll_delete";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        await _server.UpsertAsync(name, Points(10, i => $$"""{"n": {{i}}}"""));

        var byIds = (await _server.PostAsync($"/collections/{name}/points/delete?wait=true", """{"points": [1, 2]}""")).Ok();
        Assert.Equal("completed", byIds.At("status").GetString());
        Assert.Equal(8, await _server.CountAsync(name));
        (await _server.GetAsync($"/collections/{name}/points/1")).Error(404);

        var byFilter = (await _server.PostAsync($"/collections/{name}/points/delete?wait=true", """{"filter": {"must": [{"key": "n", "range": {"gte": 8}}]}}""")).Ok();
        Assert.Equal("completed", byFilter.At("status").GetString());
        var remaining = (await _server.ScrollAllAsync(name)).Select(r => r.At("id").IdText());
        Assert.Equal(new[] { "3", "4", "5", "6", "7" }, remaining);

        // Deleting ids that do not exist is not an error.
        (await _server.PostAsync($"/collections/{name}/points/delete?wait=true", """{"points": [1000]}""")).Ok();
        Assert.Equal(5, await _server.CountAsync(name));
    }

    [Fact]
    public async Task PointsBatchAppliesOperationsInOrder()
    {
        const string name = "coll_points_batch";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        var result = (await _server.PostAsync($"/collections/{name}/points/batch?wait=true", """
            {"operations": [
              {"upsert": {"points": [{"id": 1, "vector": [1, 0], "payload": {"k": "a"}},
                                     {"id": 2, "vector": [0, 1]},
                                     {"id": 3, "vector": [1, 1], "payload": {"x": 1}}]}},
              {"set_payload": {"payload": {"k": "b"}, "points": [2]}},
              {"overwrite_payload": {"payload": {"only": true}, "points": [3]}},
              {"delete": {"points": [1]}},
              {"update_vectors": {"points": [{"id": 2, "vector": [0, 2]}]}}
            ]}
            """)).Ok();
        Assert.Equal(JsonValueKind.Array, result.ValueKind);
        Assert.Equal(5, result.GetArrayLength());
        Assert.All(result.EnumerateArray(), r => Assert.Equal("completed", r.At("status").GetString()));

        Assert.Equal(2, await _server.CountAsync(name));
        (await _server.GetAsync($"/collections/{name}/points/1")).Error(404);
        Calls.AssertJson("""{"id": 2, "payload": {"k": "b"}, "vector": [0, 2]}""", await _server.GetPointAsync(name, "2"));
        Calls.AssertJson("""{"id": 3, "payload": {"only": true}, "vector": [1, 1]}""", await _server.GetPointAsync(name, "3"));
    }

    [Fact]
    public async Task WaitFalseAcknowledgesAndWaitTrueCompletes()
    {
        const string name = "coll_wait";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");

        var noWait = (await _server.PutAsync($"/collections/{name}/points", """{"points": [{"id": 1, "vector": [1, 0]}]}""")).Ok();
        Assert.Equal("acknowledged", noWait.At("status").GetString());
        var waitFalse = (await _server.PutAsync($"/collections/{name}/points?wait=false", """{"points": [{"id": 2, "vector": [0, 1]}]}""")).Ok();
        Assert.Equal("acknowledged", waitFalse.At("status").GetString());
        var waitTrue = (await _server.PutAsync($"/collections/{name}/points?wait=true", """{"points": [{"id": 3, "vector": [1, 1]}]}""")).Ok();
        Assert.Equal("completed", waitTrue.At("status").GetString());

        var ids = new[] { noWait, waitFalse, waitTrue }.Select(r => r.At("operation_id").GetInt64()).ToArray();
        Assert.True(ids[0] < ids[1] && ids[1] < ids[2], "operation ids increase: " + string.Join(",", ids));

        // The wait=true write is visible at once; unawaited ones become visible (poll, no timing assertion).
        Assert.True(await _server.CountAsync(name, """{"must": [{"has_id": [3]}]}""") == 1);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await _server.CountAsync(name) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(3, await _server.CountAsync(name));
    }

    /// <summary>Points 1..count in a 2-d collection: vector [i, 1], payload from <paramref name="payload"/>.</summary>
    private static string Points(int count, Func<int, string> payload) =>
        "[" + string.Join(",", Enumerable.Range(1, count).Select(i => $$"""{"id": {{i}}, "vector": [{{i}}, 1], "payload": {{payload(i)}}}""")) + "]";
}
