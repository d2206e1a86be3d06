using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

public sealed partial class RestApiTests
{
    [Fact]
    public async Task SetOverwriteDeleteAndClearPayload()
    {
        const string name = "coll_payload_ops";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        await _server.UpsertAsync(name, """
            [{"id": 1, "vector": [1, 0], "payload": {"a": 1, "nested": {"inner": {"y": 1}}}},
             {"id": 2, "vector": [0, 1], "payload": {"a": 2, "tag": "x"}},
             {"id": 3, "vector": [1, 1], "payload": {"a": 3, "tag": "y"}}]
            """);

        async Task<string> Payload(int id) => (await _server.GetPointAsync(name, id.ToString(System.Globalization.CultureInfo.InvariantCulture))).At("payload").GetRawText();

        // set merges into the existing payload.
        var set = (await _server.PostAsync($"/collections/{name}/points/payload?wait=true", """{"payload": {"b": "two"}, "points": [1]}""")).Ok();
        Assert.Equal("completed", set.At("status").GetString());
        Calls.AssertJson("""{"a": 1, "nested": {"inner": {"y": 1}}, "b": "two"}""", (await _server.GetPointAsync(name, "1")).At("payload"));

        // set with key merges at a nested path.
        (await _server.PostAsync($"/collections/{name}/points/payload?wait=true", """{"payload": {"x": 5}, "points": [1], "key": "nested.inner"}""")).Ok();
        Calls.AssertJson("""{"a": 1, "nested": {"inner": {"y": 1, "x": 5}}, "b": "two"}""", (await _server.GetPointAsync(name, "1")).At("payload"), await Payload(1));

        // set by filter touches only the matching points.
        (await _server.PostAsync($"/collections/{name}/points/payload?wait=true", """{"payload": {"flag": true}, "filter": {"must": [{"key": "tag", "match": {"value": "x"}}]}}""")).Ok();
        Calls.AssertJson("""{"a": 2, "tag": "x", "flag": true}""", (await _server.GetPointAsync(name, "2")).At("payload"));
        Calls.AssertJson("""{"a": 3, "tag": "y"}""", (await _server.GetPointAsync(name, "3")).At("payload"));

        // overwrite replaces the whole payload.
        var overwrite = (await _server.PutAsync($"/collections/{name}/points/payload?wait=true", """{"payload": {"c": 3, "d": {"e": 1, "f": 2}}, "points": [1]}""")).Ok();
        Assert.Equal("completed", overwrite.At("status").GetString());
        Calls.AssertJson("""{"c": 3, "d": {"e": 1, "f": 2}}""", (await _server.GetPointAsync(name, "1")).At("payload"));

        // delete keys, top-level and nested.
        (await _server.PostAsync($"/collections/{name}/points/payload/delete?wait=true", """{"keys": ["a"], "points": [2, 3]}""")).Ok();
        Calls.AssertJson("""{"tag": "x", "flag": true}""", (await _server.GetPointAsync(name, "2")).At("payload"));
        Calls.AssertJson("""{"tag": "y"}""", (await _server.GetPointAsync(name, "3")).At("payload"));
        (await _server.PostAsync($"/collections/{name}/points/payload/delete?wait=true", """{"keys": ["d.e"], "points": [1]}""")).Ok();
        Calls.AssertJson("""{"c": 3, "d": {"f": 2}}""", (await _server.GetPointAsync(name, "1")).At("payload"));

        // delete keys by filter.
        (await _server.PostAsync($"/collections/{name}/points/payload/delete?wait=true", """{"keys": ["tag"], "filter": {"must": [{"key": "tag", "match": {"value": "y"}}]}}""")).Ok();
        Calls.AssertEmptyPayload(await _server.GetPointAsync(name, "3"));

        // clear.
        var clear = (await _server.PostAsync($"/collections/{name}/points/payload/clear?wait=true", """{"points": [2]}""")).Ok();
        Assert.Equal("completed", clear.At("status").GetString());
        Calls.AssertEmptyPayload(await _server.GetPointAsync(name, "2"));
        Calls.AssertJson("""[0, 1]""", (await _server.GetPointAsync(name, "2")).At("vector"), "payload ops leave vectors alone");

        // Filters see the new payloads.
        Assert.Equal(0, await _server.CountAsync(name, """{"must": [{"key": "tag", "match": {"value": "x"}}]}"""));
        Assert.Equal(1, await _server.CountAsync(name, """{"must": [{"key": "d.f", "match": {"value": 2}}]}"""));
    }

    [Fact]
    public async Task PayloadSelectorsLimitReturnedFields()
    {
        const string name = "coll_payload_select";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        await _server.UpsertAsync(name, """[{"id": 1, "vector": [1, 0], "payload": {"a": 1, "b": 2, "c": {"d": 3}}}]""");

        var include = (await _server.PostAsync($"/collections/{name}/points", """{"ids": [1], "with_payload": ["a", "c"]}""")).Ok();
        Calls.AssertJson("""{"a": 1, "c": {"d": 3}}""", include.At("0.payload"));
        var exclude = (await _server.PostAsync($"/collections/{name}/points", """{"ids": [1], "with_payload": {"exclude": ["a"]}}""")).Ok();
        Calls.AssertJson("""{"b": 2, "c": {"d": 3}}""", exclude.At("0.payload"));
        var none = (await _server.PostAsync($"/collections/{name}/points", """{"ids": [1], "with_payload": false}""")).Ok();
        Assert.False(none.At("0").Has("payload"), "with_payload=false leaves payload out");
    }

    [Fact]
    public async Task FieldIndexesShowInPayloadSchema()
    {
        const string name = "coll_field_index";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        await _server.UpsertAsync(name, """
            [{"id": 1, "vector": [1, 0], "payload": {"city": "Berlin", "n": 1}},
             {"id": 2, "vector": [0, 1], "payload": {"city": "London", "n": 2}},
             {"id": 3, "vector": [1, 1], "payload": {"city": "Berlin", "n": 3}},
             {"id": 4, "vector": [2, 1], "payload": {"city": "Moscow", "n": 4}},
             {"id": 5, "vector": [1, 2], "payload": {"city": "Paris"}}]
            """);

        var keyword = (await _server.PutAsync($"/collections/{name}/index?wait=true", """{"field_name": "city", "field_schema": "keyword"}""")).Ok();
        Assert.Equal("completed", keyword.At("status").GetString());
        var integer = (await _server.PutAsync($"/collections/{name}/index?wait=true", """{"field_name": "n", "field_schema": "integer"}""")).Ok();
        Assert.Equal("completed", integer.At("status").GetString());

        var schema = (await _server.InfoAsync(name)).At("payload_schema");
        Assert.Equal("keyword", schema.At("city.data_type").GetString());
        Assert.Equal(5, schema.At("city.points").GetInt64());
        Assert.Equal("integer", schema.At("n.data_type").GetString());
        Assert.Equal(4, schema.At("n.points").GetInt64());

        // Indexed filters answer like unindexed ones, and the index follows later writes.
        Assert.Equal(2, await _server.CountAsync(name, """{"must": [{"key": "city", "match": {"value": "Berlin"}}]}"""));
        Assert.Equal(2, await _server.CountAsync(name, """{"must": [{"key": "n", "range": {"gt": 1, "lte": 3}}]}"""));
        await _server.UpsertAsync(name, """[{"id": 6, "vector": [3, 3], "payload": {"city": "Berlin", "n": 6}}]""");
        Assert.Equal(3, await _server.CountAsync(name, """{"must": [{"key": "city", "match": {"value": "Berlin"}}]}"""));
        schema = (await _server.InfoAsync(name)).At("payload_schema");
        Assert.Equal(6, schema.At("city.points").GetInt64());
        Assert.Equal(5, schema.At("n.points").GetInt64());

        var dropped = (await _server.DeleteAsync($"/collections/{name}/index/city?wait=true")).Ok();
        Assert.Equal("completed", dropped.At("status").GetString());
        schema = (await _server.InfoAsync(name)).At("payload_schema");
        Assert.False(schema.Has("city"), "deleted index leaves payload_schema: " + schema.GetRawText());
        Assert.True(schema.Has("n"));
        Assert.Equal(3, await _server.CountAsync(name, """{"must": [{"key": "city", "match": {"value": "Berlin"}}]}"""));
    }
}
