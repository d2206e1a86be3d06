using System.Globalization;
using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;
using AotVector.Testing;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// Collections of several shards on one node, as the reference runs them standalone: created over REST with
/// shard_number 3, they answer every read as a collection of one shard holding the same points, through a restart, a
/// kill -9, and snapshots of the collection and of one shard (gRPC: AotVector.Compat.Tests.ShardedCollectionClientTests).
/// </summary>
public sealed class ShardedCollectionTests
{
    private const int Count = 120;

    private static readonly string[] s_reads =
    [
        """{"query": [0.2, 0.1, 0.9, 0.3], "limit": 7, "offset": 3, "with_payload": true}""",
        """{"query": [0.5, 0.5, 0.1, 0.1], "limit": 5, "filter": {"must": [{"key": "tag", "match": {"value": "t1"}}]}, "with_vector": true}""",
        """{"query": 17, "limit": 6}""",
        """{"query": {"recommend": {"positive": [4, 40], "negative": [11], "strategy": "best_score"}}, "limit": 8}""",
        """{"query": {"recommend": {"positive": [4, 40], "negative": [11]}}, "limit": 8, "offset": 2}""",
        """{"prefetch": [{"query": [0.2, 0.1, 0.9, 0.3], "limit": 20}, {"query": [0.9, 0.1, 0.1, 0.3], "limit": 15}], "query": {"fusion": "rrf"}, "limit": 10}""",
        """{"limit": 9, "offset": 30, "filter": {"must": [{"key": "n", "range": {"gte": 10}}]}}""",
    ];

    [Fact]
    public async Task RestCreated_AnswersAsOneShard_ThroughRestartCrashAndSnapshots()
    {
        await using var server = await ServerProcess.StartAsync();
        (await server.PutAsync("/collections/one", """{"vectors": {"size": 4, "distance": "Cosine"}}""")).Ok();
        (await server.PutAsync("/collections/many", """{"vectors": {"size": 4, "distance": "Cosine"}, "shard_number": 3}""")).Ok();
        var points = PointsJson(0, Count);
        await server.UpsertAsync("one", points);
        await server.UpsertAsync("many", points);
        (await server.PutAsync("/collections/one/index?wait=true", """{"field_name": "tag", "field_schema": "keyword"}""")).Ok();
        (await server.PutAsync("/collections/many/index?wait=true", """{"field_name": "tag", "field_schema": "keyword"}""")).Ok();

        var info = await server.InfoAsync("many");
        Assert.Equal(3, info.At("config.params.shard_number").GetInt32());
        Assert.Equal(Count, info.At("points_count").GetInt64());
        Assert.Equal(Count, info.At("payload_schema.tag.points").GetInt64());
        var shardDirs = Directory.EnumerateDirectories(Path.Combine(server.StoragePath, "collections"))
            .Single(d => File.ReadAllText(Path.Combine(d, "collection.json")).Contains("\"many\"", StringComparison.Ordinal));
        Assert.Equal(["0", "1", "2"], Directory.EnumerateDirectories(shardDirs).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        await AssertSameAnswersAsync(server);

        Assert.Equal(0, await server.StopAsync());
        await server.RestartAsync();
        await AssertSameAnswersAsync(server);

        // Acknowledged writes survive a kill -9 on every shard.
        var more = PointsJson(Count, 60);
        await server.UpsertAsync("one", more);
        await server.UpsertAsync("many", more);
        (await server.PostAsync("/collections/one/points/delete?wait=true", """{"points": [1, 2, 3, 50, 51]}""")).Ok();
        (await server.PostAsync("/collections/many/points/delete?wait=true", """{"points": [1, 2, 3, 50, 51]}""")).Ok();
        server.Kill();
        await server.RestartAsync();
        Assert.Equal(Count + 55, await server.CountAsync("many"));
        await AssertSameAnswersAsync(server);

        // A collection snapshot brings every shard back; a shard snapshot only its shard.
        var before = await ScrollAsync(server, "many");
        var collectionSnapshot = (await server.PostAsync("/collections/many/snapshots", "")).Ok().GetProperty("name").GetString()!;
        var shardSnapshot = (await server.PostAsync("/collections/many/shards/1/snapshots", "")).Ok().GetProperty("name").GetString()!;
        Assert.StartsWith("many-shard-1-", shardSnapshot, StringComparison.Ordinal);
        Assert.Equal("Not found: shard 3", (await server.PostAsync("/collections/many/shards/3/snapshots", "")).Error(404));

        (await server.PostAsync("/collections/many/points/delete?wait=true", """{"filter": {"must": [{"key": "n", "range": {"lt": 100}}]}}""")).Ok();
        Assert.Equal(Count + 55 - 95, await server.CountAsync("many"));
        var location = new Uri(Path.Combine(server.WorkingDirectory, "snapshots", "many", collectionSnapshot)).AbsoluteUri;
        Assert.True((await server.PutAsync("/collections/many/snapshots/recover", $$"""{"location": "{{location}}"}""")).Ok().GetBoolean());
        Assert.Equal(before, await ScrollAsync(server, "many"));
        await AssertSameAnswersAsync(server);

        (await server.PostAsync("/collections/many/points/delete?wait=true", """{"filter": {"must": [{"key": "n", "range": {"lt": 100}}]}}""")).Ok();
        Assert.True((await server.PutAsync("/collections/many/shards/1/snapshots/recover", $$"""{"location": "{{shardSnapshot}}"}""")).Ok().GetBoolean());
        var afterShard = await ScrollAsync(server, "many");
        var restored = afterShard.Where(id => int.Parse(id, CultureInfo.InvariantCulture) < 100).ToList();
        Assert.NotEmpty(restored);
        Assert.True(restored.Count < 95, "only the points of shard 1 come back");
        Assert.All(restored, id => Assert.Contains(id, before));
        Assert.Equal(Count + 55 - 95 + restored.Count, await server.CountAsync("many"));
        Assert.Equal(3, (await server.InfoAsync("many")).At("config.params.shard_number").GetInt32());
    }

    private static async Task AssertSameAnswersAsync(ServerProcess server)
    {
        foreach (var body in s_reads)
        {
            var one = (await server.PostAsync("/collections/one/points/query", body)).Ok().At("points");
            var many = (await server.PostAsync("/collections/many/points/query", body)).Ok().At("points");
            Assert.True(one.GetArrayLength() > 0, body);
            Calls.AssertJson(one.GetRawText(), many, body);
        }

        Assert.Equal(await ScrollAsync(server, "one"), await ScrollAsync(server, "many"));
        const string t0 = """{"must": [{"key": "tag", "match": {"value": "t0"}}]}""";
        Assert.Equal(await server.CountAsync("one", t0), await server.CountAsync("many", t0));
        var retrieve = """{"ids": [7, 300, 42, 7], "with_payload": true, "with_vector": true}""";
        Calls.AssertJson((await server.PostAsync("/collections/one/points", retrieve)).Ok().GetRawText(), (await server.PostAsync("/collections/many/points", retrieve)).Ok());
        var (infoOne, infoMany) = (await server.InfoAsync("one"), await server.InfoAsync("many"));
        Assert.Equal(infoOne.At("points_count").GetInt64(), infoMany.At("points_count").GetInt64());
        Calls.AssertJson(infoOne.At("payload_schema").GetRawText(), infoMany.At("payload_schema"));
    }

    // Every id, page by page of 13 (pages cross shards), with payload.
    private static async Task<List<string>> ScrollAsync(ServerProcess server, string collection) =>
        [.. (await server.ScrollAllAsync(collection, pageSize: 13)).Select(p => p.GetProperty("id").IdText())];

    private static string PointsJson(int from, int count)
    {
        var vectors = SeededRandom.Vectors(60 + from, count, 4);
        var items = vectors.Select((v, k) =>
        {
            var i = from + k;
            var vector = string.Join(", ", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
            return $$$"""{"id": {{{i}}}, "vector": [{{{vector}}}], "payload": {"n": {{{i}}}, "tag": "t{{{i % 3}}}"}}""";
        });
        return "[" + string.Join(", ", items) + "]";
    }
}
