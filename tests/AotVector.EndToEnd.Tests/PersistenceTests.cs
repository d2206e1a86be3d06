using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AotVector.EndToEnd.Tests;

/// <summary>Restart and crash recovery of the published binary: what was acknowledged must come back.</summary>
public sealed class PersistenceTests
{
    private const string Collection = "persisted";

    private static readonly string[] Cities = ["Berlin", "London", "Moscow", "Paris"];

    private readonly ITestOutputHelper _output;

    public PersistenceTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task GracefulRestartRestoresEverything()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateCollectionAsync(Collection, """{"size": 4, "distance": "Cosine"}""");
        await server.CreateCollectionAsync("persisted_named", """{"a": {"size": 2, "distance": "Euclid"}, "b": {"size": 3, "distance": "Dot"}}""");
        var vectors = AotVector.Testing.SeededRandom.Vectors(seed: 7, count: 50, dim: 4);
        await server.UpsertAsync(Collection, PointsJson(vectors, i => $$"""{"n": {{i}}, "city": "{{Cities[i % Cities.Length]}}"}"""));
        await server.UpsertAsync(Collection, """[{"id": "a1b2c3d4-0000-4000-8000-000000000001", "vector": [1, 0, 0, 0], "payload": {"uuid": true}}]""");
        await server.UpsertAsync("persisted_named", """[{"id": 1, "vector": {"a": [3, 4], "b": [1, 2, 3]}, "payload": {"x": "y"}}]""");
        (await server.PostAsync($"/collections/{Collection}/points/payload?wait=true", """{"payload": {"tagged": true}, "points": [3, 4]}""")).Ok();
        (await server.PostAsync($"/collections/{Collection}/points/delete?wait=true", """{"points": [10]}""")).Ok();
        (await server.PutAsync($"/collections/{Collection}/index?wait=true", """{"field_name": "city", "field_schema": "keyword"}""")).Ok();
        (await server.PostAsync("/collections/aliases", $$$"""{"actions": [{"create_alias": {"collection_name": "{{{Collection}}}", "alias_name": "persisted_alias"}}]}""")).Ok();

        var before = await SnapshotAsync(server, Collection);
        var namedBefore = await server.GetPointAsync("persisted_named", "1");

        var exitCode = await server.StopAsync();
        Assert.True(exitCode == 0, $"graceful stop should exit 0, got {exitCode}\n{server.Logs()}");
        await server.RestartAsync();

        var after = await SnapshotAsync(server, Collection);
        Assert.Equal(before.Count, after.Count);
        foreach (var (id, record) in before)
        {
            Assert.True(after.TryGetValue(id, out var restored), $"point {id} lost on restart\n{server.Logs()}");
            Calls.AssertJson(record, restored, "point " + id);
        }

        Assert.Equal(50, await server.CountAsync(Collection));
        Calls.AssertJson(namedBefore.GetRawText(), await server.GetPointAsync("persisted_named", "1"));
        Calls.AssertJson("""{"a": {"size": 2, "distance": "Euclid"}, "b": {"size": 3, "distance": "Dot"}}""", (await server.InfoAsync("persisted_named")).At("config.params.vectors"));

        var info = await server.InfoAsync(Collection);
        Assert.Equal(50, info.At("points_count").GetInt64());
        Assert.Equal("keyword", info.At("payload_schema.city.data_type").GetString());
        Assert.Equal(49, info.At("payload_schema.city.points").GetInt64());
        Assert.Equal(4, info.At("config.params.vectors.size").GetInt32());

        var aliases = (await server.GetAsync("/aliases")).Ok();
        Calls.AssertJson($$"""{"aliases": [{"alias_name": "persisted_alias", "collection_name": "{{Collection}}"}]}""", aliases);
        var viaAlias = (await server.PostAsync("/collections/persisted_alias/points/query", """{"query": [1, 0, 0, 0], "limit": 1}""")).Ok().At("points");
        Assert.Equal(new[] { "a1b2c3d4-0000-4000-8000-000000000001" }, viaAlias.Ids());
        Assert.Equal(12, await server.CountAsync(Collection, """{"must": [{"key": "city", "match": {"value": "Berlin"}}]}"""));

        // The restored collection keeps accepting writes.
        await server.UpsertAsync(Collection, """[{"id": 1000, "vector": [0, 1, 0, 0]}]""");
        Assert.Equal(51, await server.CountAsync(Collection));
    }

    [Fact]
    public async Task KillDuringWaitTrueStreamKeepsEveryAcknowledgedPoint()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateCollectionAsync(Collection, """{"size": 8, "distance": "Dot"}""");

        var acknowledged = new ConcurrentDictionary<long, int>();
        var attempted = 0L;
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, 2).Select(loop => Task.Run(async () =>
        {
            var rng = new Random(100 + loop);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = (loop * 1_000_000L) + i;
                var vector = string.Join(",", AotVector.Testing.SeededRandom.Vector(rng, 8).Select(f => f.ToString("R", CultureInfo.InvariantCulture)));
                var body = $$$"""{"points": [{"id": {{{id}}}, "vector": [{{{vector}}}], "payload": {"loop": {{{loop}}}, "i": {{{i}}}}}]}""";
                Interlocked.Increment(ref attempted);
                try
                {
                    var response = await server.PutAsync($"/collections/{Collection}/points?wait=true", body);
                    if (response.Status == 200 && response.Json.At("result.status").GetString() == "completed")
                    {
                        acknowledged[id] = i;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                {
                    // The server died under this request: it was never acknowledged.
                    return;
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(3));
        server.Kill();
        stop.Cancel();
        await Task.WhenAll(loops);
        Assert.True(acknowledged.Count > 10, $"only {acknowledged.Count} of {attempted} upserts were acknowledged before the kill\n{server.Logs()}");

        _output.WriteLine($"{acknowledged.Count} of {attempted} upserts acknowledged before SIGKILL");
        await server.RestartAsync();

        var count = await server.CountAsync(Collection);
        _output.WriteLine($"{count} points after restart");
        Assert.True(count >= acknowledged.Count, $"count {count} < acknowledged {acknowledged.Count}\n{server.Logs()}");

        var missing = new List<long>();
        var ids = acknowledged.Keys.Order().ToArray();
        foreach (var chunk in ids.Chunk(256))
        {
            var result = (await server.PostAsync($"/collections/{Collection}/points", $$"""{"ids": [{{string.Join(",", chunk)}}], "with_payload": true}""")).Ok();
            var found = result.EnumerateArray().ToDictionary(r => r.At("id").GetInt64());
            foreach (var id in chunk)
            {
                if (!found.TryGetValue(id, out var record))
                {
                    missing.Add(id);
                    continue;
                }

                Calls.AssertJson($$"""{"loop": {{id / 1_000_000}}, "i": {{acknowledged[id]}}}""", record.At("payload"), "payload of point " + id);
            }
        }

        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged points lost (of {acknowledged.Count}), e.g. {string.Join(",", missing.Take(20))}\n{server.Logs()}");

        // The recovered collection takes new writes.
        await server.UpsertAsync(Collection, """[{"id": 5000000, "vector": [1, 1, 1, 1, 1, 1, 1, 1]}]""");
        Assert.Equal(count + 1, await server.CountAsync(Collection));
    }

    [Fact]
    public async Task RepeatedRestartsKeepWritesFromEveryGeneration()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateCollectionAsync(Collection, """{"size": 2, "distance": "Dot"}""");
        await server.UpsertAsync(Collection, Range(1, 20, generation: 1));
        Assert.Equal(0, await server.StopAsync());

        await server.RestartAsync();
        Assert.Equal(20, await server.CountAsync(Collection));
        await server.UpsertAsync(Collection, Range(21, 40, generation: 2));
        (await server.PostAsync($"/collections/{Collection}/points/delete?wait=true", """{"points": [1, 2]}""")).Ok();
        (await server.PostAsync($"/collections/{Collection}/points/payload?wait=true", """{"payload": {"touched": 2}, "points": [5]}""")).Ok();

        // Crash this time, so the second generation's writes must come back from the WAL.
        server.Kill();
        await server.RestartAsync();
        await AssertGenerationsAsync(server, expectedCount: 38);
        await server.UpsertAsync(Collection, Range(41, 50, generation: 3));

        await server.RestartAsync();
        await AssertGenerationsAsync(server, expectedCount: 48);
        Calls.AssertJson("""{"gen": 1, "touched": 2}""", (await server.GetPointAsync(Collection, "5")).At("payload"));
        (await server.GetAsync($"/collections/{Collection}/points/1")).Error(404);
        Calls.AssertJson("""{"gen": 3}""", (await server.GetPointAsync(Collection, "50")).At("payload"));
    }

    private static async Task AssertGenerationsAsync(ServerProcess server, int expectedCount)
    {
        var records = await server.ScrollAllAsync(Collection, pageSize: 7);
        var ids = records.Select(r => r.At("id").GetInt64()).ToList();
        Assert.Equal(expectedCount, ids.Count);
        Assert.DoesNotContain(1L, ids);
        Assert.DoesNotContain(2L, ids);
        foreach (var record in records)
        {
            var id = record.At("id").GetInt64();
            var generation = id <= 20 ? 1 : id <= 40 ? 2 : 3;
            Assert.Equal(generation, record.At("payload.gen").GetInt32());
        }
    }

    private static string Range(int from, int to, int generation) =>
        "[" + string.Join(",", Enumerable.Range(from, to - from + 1).Select(i => $$$"""{"id": {{{i}}}, "vector": [{{{i}}}, 1], "payload": {"gen": {{{generation}}}}}""")) + "]";

    private static string PointsJson(float[][] vectors, Func<int, string> payload) =>
        "[" + string.Join(",", vectors.Select((v, i) =>
            $$"""{"id": {{i + 1}}, "vector": [{{string.Join(",", v.Select(f => f.ToString("R", CultureInfo.InvariantCulture)))}}], "payload": {{payload(i + 1)}}}""")) + "]";

    /// <summary>Every point with payload and vector, keyed by id text.</summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(ServerProcess server, string collection)
    {
        var result = new Dictionary<string, string>();
        string? offset = null;
        while (true)
        {
            var body = "{\"limit\": 20, \"with_payload\": true, \"with_vector\": true" + (offset is null ? "}" : ", \"offset\": " + offset + "}");
            var page = (await server.PostAsync($"/collections/{collection}/points/scroll", body)).Ok();
            foreach (var record in page.At("points").EnumerateArray())
            {
                result[record.At("id").IdText()] = record.GetRawText();
            }

            var next = page.At("next_page_offset");
            if (next.ValueKind == JsonValueKind.Null)
            {
                return result;
            }

            offset = next.GetRawText();
        }
    }
}
