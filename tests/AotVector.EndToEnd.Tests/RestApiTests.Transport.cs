using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

public sealed partial class RestApiTests
{
    [Fact]
    public async Task TrailingSlashIsTrimmed()
    {
        var list = (await _server.GetAsync("/collections/")).Ok();
        Assert.Equal(JsonValueKind.Array, list.At("collections").ValueKind);
    }

    [Fact]
    public async Task CorsAllowsAnyOrigin()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/collections");
        preflight.Headers.Add("Origin", "http://example.test");
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,api-key");
        using var response = await _server.Http.SendAsync(preflight);
        Assert.True((int)response.StatusCode is >= 200 and < 300, "preflight status " + response.StatusCode);
        Assert.True(response.Headers.TryGetValues("Access-Control-Allow-Origin", out var origins), "no Access-Control-Allow-Origin on preflight");
        Assert.Contains(origins!, o => o is "*" or "http://example.test");
    }

    [Fact]
    public async Task LargestU64IdRoundTripsAsAJsonInteger()
    {
        const string name = "coll_u64_ids";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        await _server.UpsertAsync(name, """[{"id": 18446744073709551615, "vector": [1, 0]}, {"id": 9007199254740993, "vector": [0, 1]}]""");

        var max = await _server.GetPointAsync(name, "18446744073709551615");
        Assert.Equal(JsonValueKind.Number, max.At("id").ValueKind);
        Assert.Equal("18446744073709551615", max.At("id").GetRawText());
        var ids = (await _server.ScrollAllAsync(name)).Select(r => r.At("id").GetRawText()).ToArray();
        Assert.Equal(new[] { "9007199254740993", "18446744073709551615" }, ids);
    }

    [Fact]
    public async Task CollectionConfigOverridesAreStoredAndReported()
    {
        const string name = "coll_config_echo";
        var created = (await _server.PutAsync($"/collections/{name}", """
            {"vectors": {"size": 8, "distance": "Euclid", "on_disk": true},
             "hnsw_config": {"m": 32, "ef_construct": 200},
             "optimizers_config": {"deleted_threshold": 0.5, "indexing_threshold": 20000},
             "wal_config": {"wal_capacity_mb": 64}}
            """)).Ok();
        Assert.Equal(JsonValueKind.True, created.ValueKind);
        var config = (await _server.InfoAsync(name)).At("config");
        Assert.Equal(32, config.At("hnsw_config.m").GetInt32());
        Assert.Equal(200, config.At("hnsw_config.ef_construct").GetInt32());
        Assert.Equal(10000, config.At("hnsw_config.full_scan_threshold").GetInt32());
        Assert.Equal(0.5, config.At("optimizer_config.deleted_threshold").GetDouble(), 6);
        Assert.Equal(20000, config.At("optimizer_config.indexing_threshold").GetInt32());
        Assert.Equal(64, config.At("wal_config.wal_capacity_mb").GetInt32());
        Assert.True(config.At("params.vectors.on_disk").GetBoolean());
    }

    [Fact]
    public async Task CollectionNamesAreValidatedAndCannotShadowAliases()
    {
        var badName = await _server.PutAsync("/collections/bad:name", """{"vectors": {"size": 2, "distance": "Dot"}}""");
        badName.Check(badName.Status is 400 or 422, "a name with ':' is rejected on create");
        (await _server.GetAsync("/collections/bad:name/exists")).Ok();

        await _server.CreateCollectionAsync("coll_alias_owner", """{"size": 2, "distance": "Dot"}""");
        (await _server.PostAsync("/collections/aliases", """{"actions": [{"create_alias": {"collection_name": "coll_alias_owner", "alias_name": "alias_shadow"}}]}""")).Ok();
        var shadow = await _server.PutAsync("/collections/alias_shadow", """{"vectors": {"size": 2, "distance": "Dot"}}""");
        var message = shadow.Error(400);
        shadow.Check(message.Contains("Alias with the same name already exists", StringComparison.Ordinal), "message explains the alias clash");
    }

    [Fact]
    public async Task SetPayloadWithNullRemovesTheKey()
    {
        const string name = "coll_payload_null";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        await _server.UpsertAsync(name, """[{"id": 1, "vector": [1, 0], "payload": {"a": 1, "b": 2}}]""");
        (await _server.PostAsync($"/collections/{name}/points/payload?wait=true", """{"payload": {"a": null, "c": 3}, "points": [1]}""")).Ok();
        Calls.AssertJson("""{"b": 2, "c": 3}""", (await _server.GetPointAsync(name, "1")).At("payload"));
    }

    [Fact]
    public async Task UpdateAndDeleteNamedVectors()
    {
        const string name = "coll_vector_ops";
        await _server.CreateCollectionAsync(name, """{"image": {"size": 2, "distance": "Dot"}, "text": {"size": 3, "distance": "Dot"}}""");
        await _server.UpsertAsync(name, """[{"id": 1, "vector": {"image": [1, 0], "text": [1, 0, 0]}, "payload": {"p": 1}}]""");

        var update = (await _server.PutAsync($"/collections/{name}/points/vectors?wait=true", """{"points": [{"id": 1, "vector": {"image": [0, 5]}}]}""")).Ok();
        Assert.Equal("completed", update.At("status").GetString());
        Calls.AssertJson("""{"id": 1, "payload": {"p": 1}, "vector": {"image": [0, 5], "text": [1, 0, 0]}}""", await _server.GetPointAsync(name, "1"));

        var delete = (await _server.PostAsync($"/collections/{name}/points/vectors/delete?wait=true", """{"points": [1], "vector": ["text"]}""")).Ok();
        Assert.Equal("completed", delete.At("status").GetString());
        Calls.AssertJson("""{"id": 1, "payload": {"p": 1}, "vector": {"image": [0, 5]}}""", await _server.GetPointAsync(name, "1"));
        var byText = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0, 0], "using": "text"}""")).Ok().At("points");
        Assert.Equal(0, byText.GetArrayLength());
    }
}
