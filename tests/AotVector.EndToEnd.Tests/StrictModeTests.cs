using System.Net;
using System.Text;
using AotVector.EndToEnd.Tests.Infrastructure;
using AotVector.Testing;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// Strict mode over REST against the published binary: the config on create and PATCH (merged), shown in collection
/// info and kept across a restart; a representative set of refusals with the reference's status and words; the read
/// rate limiter's 429 with Retry-After (a limit of one read a minute, so the second read is refused whatever the
/// timing); and the server-wide default from <c>storage.collection.strict_mode</c>.
/// </summary>
public sealed class StrictModeTests
{
    private const string C = "strict";

    [Fact]
    public async Task StrictMode_OverRest()
    {
        await using var server = await ServerProcess.StartAsync();
        (await server.PutAsync($"/collections/{C}", """
            {"vectors": {"size": 4, "distance": "Dot"},
             "strict_mode_config": {"enabled": true, "max_query_limit": 5, "unindexed_filtering_retrieve": false, "upsert_max_batchsize": 3, "sparse_config": {"sp": {"max_length": 2}}}}
            """)).Ok();
        await server.UpsertAsync(C, """[{"id": 1, "vector": [1, 0, 0, 0], "payload": {"city": "Berlin"}}, {"id": 2, "vector": [0, 1, 0, 0]}]""");

        (await server.PatchAsync($"/collections/{C}", """{"strict_mode_config": {"search_max_hnsw_ef": 64, "max_query_limit": 10}}""")).Ok();
        const string Shown = """
            {"enabled": true, "max_query_limit": 10, "unindexed_filtering_retrieve": false, "search_max_hnsw_ef": 64, "upsert_max_batchsize": 3, "sparse_config": {"sp": {"max_length": 2}}}
            """;
        Calls.AssertJson(Shown, (await server.InfoAsync(C)).At("config.strict_mode_config"));

        Assert.Equal("Bad request: Limit exceeded 11 > 10 for \"limit\". Help: Reduce the \"limit\" parameter to or below 10.",
            (await server.PostAsync($"/collections/{C}/points/query", """{"query": [1, 0, 0, 0], "limit": 11}""")).Error(400));
        Assert.Equal("Bad request: Limit exceeded 11 > 10 for \"limit\". Help: Reduce the \"limit\" parameter to or below 10.",
            (await server.PostAsync($"/collections/{C}/points/search", """{"vector": [1, 0, 0, 0], "limit": 11}""")).Error(400));
        Assert.Equal("Bad request: Limit exceeded 65 > 64 for \"hnsw_ef\". Help: Reduce the \"hnsw_ef\" parameter to or below 64.",
            (await server.PostAsync($"/collections/{C}/points/query", """{"query": [1, 0, 0, 0], "params": {"hnsw_ef": 65}}""")).Error(400));
        Assert.Equal(
            "Bad request: Index required but not found for \"city\" of one of the following types: [keyword]. Help: Create an index for this key or use a different filter.",
            (await server.PostAsync($"/collections/{C}/points/scroll", """{"filter": {"must": [{"key": "city", "match": {"value": "Berlin"}}]}}""")).Error(400));
        Assert.Equal("Bad request: Limit exceeded 4 > 3 for \"upsert limit\". Help: Reduce the \"upsert limit\" parameter to or below 3.",
            (await server.PutAsync($"/collections/{C}/points", """{"points": [{"id": 1, "vector": [1,0,0,0]}, {"id": 2, "vector": [1,0,0,0]}, {"id": 3, "vector": [1,0,0,0]}, {"id": 4, "vector": [1,0,0,0]}]}""")).Error(400));
        Assert.Equal("Bad request: Limit exceeded 2 > 1 for \"timeout\". Help: Reduce the \"timeout\" parameter to or below 1.",
            await PatchThen(server, """{"strict_mode_config": {"max_timeout": 1}}""", $"/collections/{C}/points/query?timeout=2", """{"query": [1, 0, 0, 0]}"""));

        // Allowed requests still pass; an index makes the filter acceptable.
        (await server.PostAsync($"/collections/{C}/points/query", """{"query": [1, 0, 0, 0], "limit": 10}""")).Ok();
        (await server.PutAsync($"/collections/{C}/index?wait=true", """{"field_name": "city", "field_schema": "keyword"}""")).Ok();
        (await server.PostAsync($"/collections/{C}/points/scroll", """{"filter": {"must": [{"key": "city", "match": {"value": "Berlin"}}]}}""")).Ok();

        // Bad values are refused as the reference's validation refuses them.
        Assert.Contains("max_query_limit", (await server.PatchAsync($"/collections/{C}", """{"strict_mode_config": {"max_query_limit": 0}}""")).Error(422));

        await server.RestartAsync();
        Calls.AssertJson(
            """{"enabled": true, "max_query_limit": 10, "max_timeout": 1, "unindexed_filtering_retrieve": false, "search_max_hnsw_ef": 64, "upsert_max_batchsize": 3, "sparse_config": {"sp": {"max_length": 2}}}""",
            (await server.InfoAsync(C)).At("config.strict_mode_config"));

        // Disabled: the limits stay configured and are not checked.
        (await server.PatchAsync($"/collections/{C}", """{"strict_mode_config": {"enabled": false}}""")).Ok();
        (await server.PostAsync($"/collections/{C}/points/query", """{"query": [1, 0, 0, 0], "limit": 50}""")).Ok();
    }

    [Fact]
    public async Task ReadRateLimit_Answers429WithRetryAfter()
    {
        await using var server = await ServerProcess.StartAsync();
        (await server.PutAsync($"/collections/{C}", """{"vectors": {"size": 4, "distance": "Dot"}, "strict_mode_config": {"enabled": true, "read_rate_limit": 1}}""")).Ok();
        await server.UpsertAsync(C, """[{"id": 1, "vector": [1, 0, 0, 0]}]""");

        // The bucket holds one read and refills one a minute: the first read passes, the second cannot.
        (await server.PostAsync($"/collections/{C}/points/query", """{"query": [1, 0, 0, 0]}""")).Ok();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/collections/{C}/points/query")
        {
            Content = new StringContent("""{"query": [1, 0, 0, 0]}""", Encoding.UTF8, "application/json"),
        };
        using var refused = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Rate limiting exceeded: Read rate limit exceeded: Operation requires 1 tokens but only 0.0 were available. Retry after", body, StringComparison.Ordinal);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 55, 60);

        // Writes have their own limiter (none here); a larger limit set by PATCH makes a new, full bucket.
        await server.UpsertAsync(C, """[{"id": 2, "vector": [0, 1, 0, 0]}]""");
        (await server.PatchAsync($"/collections/{C}", """{"strict_mode_config": {"read_rate_limit": 2}}""")).Ok();
        (await server.PostAsync($"/collections/{C}/points/count", "{}")).Ok();
        Assert.Equal(
            "Rate limiting exceeded: Read rate limit exceeded, request larger than rate limiter capacity, please try to split your request",
            (await server.PostAsync($"/collections/{C}/points", """{"ids": [1, 2, 3]}""")).Error(429));
    }

    [Fact]
    public async Task ServerDefault_FromConfig_IsMergedIntoNewCollections()
    {
        var options = new ServerOptions();
        options.Environment["QDRANT__STORAGE__COLLECTION__STRICT_MODE__ENABLED"] = "true";
        options.Environment["QDRANT__STORAGE__COLLECTION__STRICT_MODE__MAX_QUERY_LIMIT"] = "3";
        await using var server = await ServerProcess.StartAsync(options);
        (await server.PutAsync("/collections/a", """{"vectors": {"size": 4, "distance": "Dot"}}""")).Ok();
        (await server.PutAsync("/collections/b", """{"vectors": {"size": 4, "distance": "Dot"}, "strict_mode_config": {"max_timeout": 5}}""")).Ok();
        Calls.AssertJson("""{"enabled": true, "max_query_limit": 3}""", (await server.InfoAsync("a")).At("config.strict_mode_config"));
        Calls.AssertJson("""{"enabled": true, "max_query_limit": 3, "max_timeout": 5}""", (await server.InfoAsync("b")).At("config.strict_mode_config"));
        Assert.Contains("Limit exceeded 4 > 3", (await server.PostAsync("/collections/a/points/query", """{"limit": 4}""")).Error(400), StringComparison.Ordinal);
    }

    private static async Task<string> PatchThen(ServerProcess server, string patch, string path, string body)
    {
        (await server.PatchAsync($"/collections/{C}", patch)).Ok();
        return (await server.PostAsync(path, body)).Error(400);
    }
}
