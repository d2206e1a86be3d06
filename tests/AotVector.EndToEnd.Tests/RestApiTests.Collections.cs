using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

public sealed partial class RestApiTests
{
    [Fact]
    public async Task CollectionLifecycle()
    {
        const string name = "coll_lifecycle";
        var created = await _server.PutAsync($"/collections/{name}", """{"vectors": {"size": 4, "distance": "Cosine"}}""");
        Assert.Equal(JsonValueKind.True, created.Ok().ValueKind);

        var duplicate = await _server.PutAsync($"/collections/{name}", """{"vectors": {"size": 4, "distance": "Cosine"}}""");
        var conflict = duplicate.Error(409);
        duplicate.Check(conflict.Contains("already exists", StringComparison.Ordinal), "409 message names the problem");
        Assert.Equal($"Wrong input: Collection `{name}` already exists!", conflict);

        var info = await _server.InfoAsync(name);
        Assert.Equal("green", info.At("status").GetString());
        Assert.Equal("ok", info.At("optimizer_status").GetString());
        Assert.Equal(0, info.At("points_count").GetInt64());
        Assert.Equal(JsonValueKind.Number, info.At("segments_count").ValueKind);
        Assert.Equal(JsonValueKind.Number, info.At("indexed_vectors_count").ValueKind);
        Calls.AssertJson("""{"size": 4, "distance": "Cosine"}""", info.At("config.params.vectors"));
        Assert.Equal(1, info.At("config.params.shard_number").GetInt32());
        Assert.Equal(1, info.At("config.params.replication_factor").GetInt32());
        Assert.Equal(1, info.At("config.params.write_consistency_factor").GetInt32());
        Assert.True(info.At("config.params.on_disk_payload").GetBoolean());
        Assert.Equal(16, info.At("config.hnsw_config.m").GetInt32());
        Assert.Equal(100, info.At("config.hnsw_config.ef_construct").GetInt32());
        Assert.Equal(10000, info.At("config.hnsw_config.full_scan_threshold").GetInt32());
        Assert.Equal(0.2, info.At("config.optimizer_config.deleted_threshold").GetDouble(), 6);
        Assert.Equal(1000, info.At("config.optimizer_config.vacuum_min_vector_number").GetInt32());
        Assert.Equal(5, info.At("config.optimizer_config.flush_interval_sec").GetInt32());
        Assert.Equal(32, info.At("config.wal_config.wal_capacity_mb").GetInt32());
        Assert.Equal(0, info.At("config.wal_config.wal_segments_ahead").GetInt32());
        Assert.True(info.At("config").Has("quantization_config"), "config.quantization_config is always present (null)");
        Assert.Equal(JsonValueKind.Null, info.At("config.quantization_config").ValueKind);
        Calls.AssertJson("{}", info.At("payload_schema"));

        var list = (await _server.GetAsync("/collections")).Ok();
        Assert.Contains(list.At("collections").EnumerateArray(), c => c.At("name").GetString() == name);

        Calls.AssertJson("""{"exists": true}""", (await _server.GetAsync($"/collections/{name}/exists")).Ok());

        Assert.Equal(JsonValueKind.True, (await _server.DeleteAsync($"/collections/{name}")).Ok().ValueKind);
        Assert.Equal(JsonValueKind.False, (await _server.DeleteAsync($"/collections/{name}")).Ok().ValueKind);
        Calls.AssertJson("""{"exists": false}""", (await _server.GetAsync($"/collections/{name}/exists")).Ok());

        var missing = await _server.GetAsync($"/collections/{name}");
        Assert.Equal($"Not found: Collection `{name}` doesn't exist!", missing.Error(404));
        list = (await _server.GetAsync("/collections")).Ok();
        Assert.DoesNotContain(list.At("collections").EnumerateArray(), c => c.At("name").GetString() == name);
    }

    [Fact]
    public async Task MissingCollectionIs404OnPointEndpoints()
    {
        var scroll = await _server.PostAsync("/collections/coll_never_created/points/scroll", "{}");
        Assert.Equal("Not found: Collection `coll_never_created` doesn't exist!", scroll.Error(404));
        var upsert = await _server.PutAsync("/collections/coll_never_created/points?wait=true", """{"points": [{"id": 1, "vector": [1]}]}""");
        upsert.Error(404);
        var query = await _server.PostAsync("/collections/coll_never_created/points/query", """{"query": [1]}""");
        query.Error(404);
    }

    [Fact]
    public async Task NamedVectorsCollection()
    {
        const string name = "coll_named";
        await _server.CreateCollectionAsync(name, """{"image": {"size": 4, "distance": "Dot"}, "text": {"size": 2, "distance": "Euclid"}}""");

        var info = await _server.InfoAsync(name);
        Assert.Equal(4, info.At("config.params.vectors.image.size").GetInt32());
        Assert.Equal("Dot", info.At("config.params.vectors.image.distance").GetString());
        Assert.Equal(2, info.At("config.params.vectors.text.size").GetInt32());
        Assert.Equal("Euclid", info.At("config.params.vectors.text.distance").GetString());

        await _server.UpsertAsync(name, """
            [{"id": 1, "vector": {"image": [1, 0, 0, 0], "text": [0, 0]}},
             {"id": 2, "vector": {"image": [0, 1, 0, 0], "text": [3, 4]}}]
            """);

        var point = await _server.GetPointAsync(name, "2");
        Calls.AssertJson("""{"image": [0, 1, 0, 0], "text": [3, 4]}""", point.At("vector"));

        var byText = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": [3, 4], "using": "text", "limit": 2}""")).Ok().At("points");
        Assert.Equal(new[] { "2", "1" }, byText.Ids());
        Assert.Equal(0.0, byText.Scores()[0], 4);
        Assert.Equal(5.0, byText.Scores()[1], 4);

        var byImage = (await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0, 0, 0], "using": "image", "limit": 1, "with_vector": ["image"]}""")).Ok().At("points");
        Assert.Equal(new[] { "1" }, byImage.Ids());
        Calls.AssertJson("""{"image": [1, 0, 0, 0]}""", byImage.At("0.vector"));

        var unknown = await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0], "using": "audio"}""");
        unknown.Error(400);
    }

    [Theory]
    [InlineData("""{"vectors": {"size": 65537, "distance": "Cosine"}}""", 422)]
    [InlineData("""{"vectors": {"size": 0, "distance": "Cosine"}}""", 400)]
    [InlineData("""{"vectors": {"size": 4, "distance": "cosine"}}""", 400)]
    [InlineData("""{"vectors": {"size": 4}}""", 400)]
    [InlineData("""{"vectors": {"size": 4, "distance": "Dot"}""", 400)]
    public async Task InvalidCollectionConfigIsRejected(string body, int status)
    {
        var response = await _server.PutAsync("/collections/coll_invalid_config", body);
        var message = response.Error(status);
        var prefix = status == 422 ? "Validation error in JSON body" : "Format error in JSON body";
        response.Check(message.StartsWith(prefix, StringComparison.Ordinal), $"message should start with '{prefix}'");
        (await _server.GetAsync("/collections/coll_invalid_config")).Error(404);
    }

    [Fact]
    public async Task AliasesCreateRenameDeleteAndResolve()
    {
        const string name = "coll_alias_target";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        await _server.UpsertAsync(name, """[{"id": 1, "vector": [1, 0]}, {"id": 2, "vector": [0, 1]}]""");

        var create = (await _server.PostAsync("/collections/aliases", $$$"""{"actions": [{"create_alias": {"collection_name": "{{{name}}}", "alias_name": "alias_one"}}]}""")).Ok();
        Assert.Equal(JsonValueKind.True, create.ValueKind);

        var all = (await _server.GetAsync("/aliases")).Ok().At("aliases");
        Assert.Contains(all.EnumerateArray(), a => a.At("alias_name").GetString() == "alias_one" && a.At("collection_name").GetString() == name);
        var own = (await _server.GetAsync($"/collections/{name}/aliases")).Ok();
        Calls.AssertJson($$"""{"aliases": [{"alias_name": "alias_one", "collection_name": "{{name}}"}]}""", own);

        var viaAlias = (await _server.PostAsync("/collections/alias_one/points/query", """{"query": [0, 1], "limit": 1}""")).Ok().At("points");
        Assert.Equal(new[] { "2" }, viaAlias.Ids());
        Assert.Equal(2, (await _server.InfoAsync("alias_one")).At("points_count").GetInt64());

        var rename = (await _server.PostAsync("/collections/aliases", """{"actions": [{"rename_alias": {"old_alias_name": "alias_one", "new_alias_name": "alias_two"}}]}""")).Ok();
        Assert.Equal(JsonValueKind.True, rename.ValueKind);
        (await _server.PostAsync("/collections/alias_one/points/query", """{"query": [0, 1]}""")).Error(404);
        Assert.Equal(new[] { "1" }, (await _server.PostAsync("/collections/alias_two/points/query", """{"query": [1, 0], "limit": 1}""")).Ok().At("points").Ids());

        // An alias may not take the name of an existing collection.
        var clash = await _server.PostAsync("/collections/aliases", $$$"""{"actions": [{"create_alias": {"collection_name": "{{{name}}}", "alias_name": "{{{name}}}"}}]}""");
        clash.Error(409);

        // Writes through an alias land in the collection.
        var upsert = (await _server.PutAsync("/collections/alias_two/points?wait=true", """{"points": [{"id": 3, "vector": [1, 1]}]}""")).Ok();
        Assert.Equal("completed", upsert.At("status").GetString());
        Assert.Equal(3, await _server.CountAsync(name));

        var delete = (await _server.PostAsync("/collections/aliases", """{"actions": [{"delete_alias": {"alias_name": "alias_two"}}]}""")).Ok();
        Assert.Equal(JsonValueKind.True, delete.ValueKind);
        all = (await _server.GetAsync("/aliases")).Ok().At("aliases");
        Assert.DoesNotContain(all.EnumerateArray(), a => a.At("alias_name").GetString() is "alias_one" or "alias_two");
        (await _server.PostAsync("/collections/alias_two/points/query", """{"query": [1, 0]}""")).Error(404);
        Assert.Equal(3, await _server.CountAsync(name));
    }

    [Fact]
    public async Task AliasActionsApplyAtomically()
    {
        const string name = "coll_alias_atomic";
        await _server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");
        var response = await _server.PostAsync("/collections/aliases", $$$"""
            {"actions": [{"create_alias": {"collection_name": "{{{name}}}", "alias_name": "alias_atomic"}},
                         {"delete_alias": {"alias_name": "alias_that_never_existed"}}]}
            """);
        response.Error(404);
        var own = (await _server.GetAsync($"/collections/{name}/aliases")).Ok();
        Calls.AssertJson("""{"aliases": []}""", own, "a failed action list must leave no alias behind");
    }

    [Fact]
    public async Task PatchedHnswConfigRebuildsTheGraphAndTurnsGreen()
    {
        const string name = "coll_hnsw_patch";
        (await _server.PutAsync($"/collections/{name}", """
            {"vectors": {"size": 16, "distance": "Euclid"}, "hnsw_config": {"m": 16, "ef_construct": 64},
             "optimizers_config": {"indexing_threshold": 20}}
            """)).Ok();
        var vectors = SeededRandom.Vectors(91, 1000, 16)
            .Select(v => "[" + string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]").ToArray();
        await _server.UpsertAsync(name, "[" + string.Join(",", vectors.Select((v, i) => $$"""{"id": {{i}}, "vector": {{v}}}""")) + "]");
        await WaitForGraphsAsync(name, m: 16);

        var patched = (await _server.PatchAsync($"/collections/{name}", """{"hnsw_config": {"m": 8}}""")).Ok();
        Assert.Equal(JsonValueKind.True, patched.ValueKind);
        var info = await WaitForGraphsAsync(name, m: 8);
        Assert.Equal(8, info.At("config.hnsw_config.m").GetInt32());
        Assert.Equal("ok", info.At("optimizer_status").GetString());
        var hits = (await _server.PostAsync($"/collections/{name}/points/query", $$"""{"query": {{vectors[5]}}, "limit": 1}""")).Ok().At("points");
        Assert.Equal(new[] { "5" }, hits.Ids());
    }

    // Green with every point indexed, and every graph file of the collection built with m (its header's u32 at byte 24).
    private async Task<JsonElement> WaitForGraphsAsync(string name, int m)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var info = await _server.InfoAsync(name);
            var files = Directory.GetFiles(Path.Combine(_server.StoragePath, "collections", name), "hnsw-*.bin", SearchOption.AllDirectories);
            if (info.At("status").GetString() == "green" && info.At("indexed_vectors_count").GetInt64() == 1000
                && files.Length > 0 && files.All(f => GraphM(f) == m))
            {
                return info;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no green collection with m {m} graphs within 2 minutes: {info}\n{_server.Logs()}");
            await Task.Delay(100);
        }
    }

    private static int GraphM(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> header = stackalloc byte[28];
        file.ReadExactly(header);
        return BinaryPrimitives.ReadInt32LittleEndian(header[24..]);
    }
}
