using System.Net;
using System.Text.Json;
using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>What a token scoped to some collections sees: the name in the request is checked (alias or collection), and telemetry reports only its own.</summary>
public sealed class ScopedTokenTests
{
    [Fact]
    public async Task Alias_rights_follow_the_name_in_the_request_on_every_endpoint_kind_over_rest_and_grpc()
    {
        await using var server = await StartAsync();
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/collections/a", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""))).StatusCode);
        await admin.PutAsync("/collections/a/points?wait=true", SecureServer.Json("""{"points":[{"id":1,"vector":[1,0]}]}"""));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/collections/aliases", SecureServer.Json("""{"actions":[{"create_alias":{"collection_name":"a","alias_name":"alias_a"}}]}"""))).StatusCode);

        var forCollection = TestTokens.Hs256(SecureServer.ApiKey, """{"access":[{"collection":"a","access":"rw"}]}""");
        var forAlias = TestTokens.Hs256(SecureServer.ApiKey, """{"access":[{"collection":"alias_a","access":"rw"}]}""");
        var failures = new List<string>();
        using var channel = server.CreateChannel();
        var qdrant = new QdrantGrpcClient(channel);
        foreach (var (token, allowed, refused) in new[] { (forCollection, "a", "alias_a"), (forAlias, "alias_a", "a") })
        {
            using var http = server.CreateHttp(token);
            foreach (var (name, expect) in new[] { (allowed, true), (refused, false) })
            {
                var rest = new (string Method, string Path, string? Body)[]
                {
                    ("GET", $"/collections/{name}", null),
                    ("GET", $"/collections/{name}/exists", null),
                    ("GET", $"/collections/{name}/aliases", null),
                    ("GET", $"/collections/{name}/points/1", null),
                    ("POST", $"/collections/{name}/points/scroll", """{"limit":1}"""),
                    ("POST", $"/collections/{name}/points/count", "{}"),
                    ("POST", $"/collections/{name}/points/query", """{"query":[1,0],"limit":1}"""),
                    ("POST", $"/collections/{name}/points/search", """{"vector":[1,0],"limit":1}"""),
                    ("PUT", $"/collections/{name}/points?wait=true", """{"points":[{"id":2,"vector":[0,1]}]}"""),
                    ("PUT", $"/collections/{name}/index?wait=true", """{"field_name":"k","field_schema":"keyword"}"""),
                };
                foreach (var (method, path, body) in rest)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : SecureServer.Json(body) };
                    using var response = await http.SendAsync(request);
                    if ((response.StatusCode == HttpStatusCode.Forbidden) == expect || (expect && !response.IsSuccessStatusCode))
                    {
                        failures.Add($"REST {method} {path} with a token for {allowed}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }

                var headers = new Metadata { { "api-key", token } };
                var grpc = new (string Name, Func<Task> Call)[]
                {
                    ("Collections/Get", () => qdrant.Collections.GetAsync(new GetCollectionInfoRequest { CollectionName = name }, headers).ResponseAsync),
                    ("Collections/CollectionExists", () => qdrant.Collections.CollectionExistsAsync(new CollectionExistsRequest { CollectionName = name }, headers).ResponseAsync),
                    ("Points/Get", () => qdrant.Points.GetAsync(new GetPoints { CollectionName = name, Ids = { new PointId { Num = 1 } } }, headers).ResponseAsync),
                    ("Points/Count", () => qdrant.Points.CountAsync(new CountPoints { CollectionName = name }, headers).ResponseAsync),
                    ("Points/Query", () => qdrant.Points.QueryAsync(new QueryPoints { CollectionName = name, Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { 1f, 0f } } } } }, headers).ResponseAsync),
                    ("Points/Upsert", () => qdrant.Points.UpsertAsync(new UpsertPoints { CollectionName = name, Wait = true, Points = { new PointStruct { Id = new PointId { Num = 3 }, Vectors = new Vectors { Vector = new Vector { Data = { 1f, 1f } } } } } }, headers).ResponseAsync),
                };
                foreach (var (method, call) in grpc)
                {
                    StatusCode status;
                    try
                    {
                        await call();
                        status = StatusCode.OK;
                    }
                    catch (RpcException e)
                    {
                        status = e.StatusCode;
                    }

                    if ((status == StatusCode.PermissionDenied) == expect || (expect && status != StatusCode.OK))
                    {
                        failures.Add($"gRPC {method} on {name} with a token for {allowed}: {status}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Telemetry_for_a_scoped_token_counts_its_collections_only_and_names_no_host()
    {
        await using var server = await StartAsync();
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        foreach (var name in new[] { "mine", "theirs", "others" })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/collections/{name}", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""))).StatusCode);
        }

        using var scoped = server.CreateHttp(TestTokens.Hs256(SecureServer.ApiKey, """{"access":[{"collection":"mine","access":"r"}]}"""));
        using var mine = JsonDocument.Parse(await (await scoped.GetAsync("/telemetry")).Content.ReadAsStringAsync());
        Assert.Equal(1, mine.RootElement.GetProperty("result").GetProperty("collections").GetProperty("number_of_collections").GetInt32());
        Assert.False(mine.RootElement.GetProperty("result").TryGetProperty("id", out _));

        using var global = JsonDocument.Parse(await (await admin.GetAsync("/telemetry")).Content.ReadAsStringAsync());
        Assert.Equal(3, global.RootElement.GetProperty("result").GetProperty("collections").GetProperty("number_of_collections").GetInt32());
        Assert.True(global.RootElement.GetProperty("result").TryGetProperty("id", out _));
    }

    [Fact]
    public async Task Issues_for_a_scoped_token_are_those_of_its_collections_and_it_may_not_clear_them()
    {
        await using var server = await StartAsync(("QDRANT__SERVICE__SLOW_QUERY_SECS", "0"));
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        foreach (var name in new[] { "mine", "theirs" })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/collections/{name}", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/collections/{name}/points/query", SecureServer.Json("""{"query":[1,0],"filter":{"must":[{"key":"k","match":{"value":"v"}}]}}"""))).StatusCode);
        }

        using var scoped = server.CreateHttp(TestTokens.Hs256(SecureServer.ApiKey, """{"access":[{"collection":"mine","access":"r"}]}"""));
        using var mine = JsonDocument.Parse(await (await scoped.GetAsync("/issues")).Content.ReadAsStringAsync());
        Assert.Equal(["UNINDEXED_FIELD/mine/k"], mine.RootElement.GetProperty("result").GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.DeleteAsync("/issues")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.GetAsync("/collections/theirs/optimizations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync("/collections/mine/optimizations")).StatusCode);

        using var all = JsonDocument.Parse(await (await admin.GetAsync("/issues")).Content.ReadAsStringAsync());
        Assert.Equal(2, all.RootElement.GetProperty("result").GetProperty("issues").GetArrayLength());
    }

    [Fact]
    public async Task A_grouped_query_looking_up_another_collection_needs_read_access_there_too_over_rest_and_grpc()
    {
        await using var server = await StartAsync();
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        foreach (var name in new[] { "a", "b" })
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/collections/{name}", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""))).StatusCode);
            await admin.PutAsync($"/collections/{name}/points?wait=true", SecureServer.Json("""{"points":[{"id":1,"vector":[1,0],"payload":{"k":1}}]}"""));
        }

        var onlyA = TestTokens.Hs256(SecureServer.ApiKey, """{"access":[{"collection":"a","access":"r"}]}""");
        using var http = server.CreateHttp(onlyA);
        using var plain = await http.PostAsync("/collections/a/points/query/groups", SecureServer.Json("""{"query":[1,0],"group_by":"k"}"""));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        using var lookup = await http.PostAsync("/collections/a/points/query/groups", SecureServer.Json("""{"query":[1,0],"group_by":"k","with_lookup":"b"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, lookup.StatusCode);
        using var facetB = await http.PostAsync("/collections/b/facet", SecureServer.Json("""{"key":"k"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, facetB.StatusCode);
        using var matrixB = await http.PostAsync("/collections/b/points/search/matrix/pairs", SecureServer.Json("{}"));
        Assert.Equal(HttpStatusCode.Forbidden, matrixB.StatusCode);

        using var channel = server.CreateChannel();
        var qdrant = new QdrantGrpcClient(channel);
        var headers = new Metadata { { "api-key", onlyA } };
        var query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { 1f, 0f } } } };
        var groups = await qdrant.Points.QueryGroupsAsync(new QueryPointGroups { CollectionName = "a", Query = query, GroupBy = "k" }, headers);
        Assert.Single(groups.Result.Groups);
        var refused = await Assert.ThrowsAsync<RpcException>(() => qdrant.Points.QueryGroupsAsync(
            new QueryPointGroups { CollectionName = "a", Query = query, GroupBy = "k", WithLookup = new WithLookup { Collection = "b" } }, headers).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    private static Task<SecureServer> StartAsync(params (string, string)[] extra) => SecureServer.StartAsync(env:
    [
        ("QDRANT__SERVICE__API_KEY", SecureServer.ApiKey),
        ("QDRANT__SERVICE__JWT_RBAC", "true"),
        .. extra,
    ]);
}
