using System.Globalization;
using System.Text;
using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// A dense + sparse collection on the published binary: sparse queries against a brute-force scorer (with and without
/// the idf modifier, with a filter), the config in the collection info and PATCH, restart and kill -9.
/// </summary>
public sealed class SparseVectorTests
{
    private const string Collection = "hybrid";
    private const int Vocabulary = 200;

    private sealed record Doc(ulong Id, uint[] Indices, float[] Values, int Group);

    private static List<Doc> Docs(int seed, int count, ulong firstId)
    {
        var random = new Random(seed);
        var docs = new List<Doc>(count);
        for (var i = 0; i < count; i++)
        {
            var indices = new HashSet<uint>();
            var nonZeros = 1 + random.Next(10);
            while (indices.Count < nonZeros)
            {
                indices.Add((uint)(Math.Pow(random.NextDouble(), 2) * Vocabulary));
            }

            var ordered = indices.OrderBy(_ => random.Next()).ToArray();
            docs.Add(new Doc(firstId + (ulong)i, ordered, [.. ordered.Select(_ => (float)Math.Round(random.NextDouble() * 3, 3))], i % 3));
        }

        return docs;
    }

    private static string F(float x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static string SparseJson(uint[] indices, float[] values) =>
        "{\"indices\":[" + string.Join(",", indices) + "],\"values\":[" + string.Join(",", values.Select(F)) + "]}";

    private static string PointsJson(IEnumerable<Doc> docs) => "[" + string.Join(",", docs.Select(d =>
        "{\"id\":" + d.Id + ",\"vector\":{\"dense\":[1," + d.Group + "],\"text\":" + SparseJson(d.Indices, d.Values) + "},\"payload\":{\"group\":" + d.Group + "}}")) + "]";

    // The expected top hits: dot product over shared dimensions (idf-weighted query), only points sharing one.
    private static List<(ulong Id, double Score)> BruteForce(List<Doc> docs, uint[] q, float[] w, bool idf, int? group, int limit)
    {
        var weights = w.Select((x, i) => idf ? x * Math.Log(((docs.Count - Df(q[i]) + 0.5) / (Df(q[i]) + 0.5)) + 1) : x).ToArray();
        return docs
            .Where(d => group is null || d.Group == group)
            .Select(d => (d.Id, Shared: q.Any(d.Indices.Contains), Score: q.Select((dim, i) => Array.IndexOf(d.Indices, dim) is var at and >= 0 ? weights[i] * d.Values[at] : 0).Sum()))
            .Where(x => x.Shared)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id)
            .Take(limit).Select(x => (x.Id, x.Score)).ToList();

        int Df(uint dim) => docs.Count(d => d.Indices.Contains(dim));
    }

    private static async Task AssertQueriesMatch(ServerProcess server, List<Doc> docs, bool idf, int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 12; n++)
        {
            var q = Enumerable.Range(0, 1 + random.Next(5)).Select(_ => (uint)(Math.Pow(random.NextDouble(), 2) * Vocabulary)).Distinct().ToArray();
            var w = q.Select(_ => (float)Math.Round(0.1 + random.NextDouble(), 3)).ToArray();
            int? group = n % 3 == 2 ? 1 : null;
            var filter = group is null ? "" : ""","filter":{"must":[{"key":"group","match":{"value":1}}]}""";
            var result = (await server.PostAsync($"/collections/{Collection}/points/query", "{\"query\":" + SparseJson(q, w) + ",\"using\":\"text\",\"limit\":7" + filter + "}")).Ok().At("points");
            var expected = BruteForce(docs, q, w, idf, group, 7);
            var scores = result.Scores();
            Assert.Equal(expected.Count, scores.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Score, scores[i], 3);
            }

            // Equal scores may come in either order only if the ids tie too: compare ids where scores differ.
            Assert.Equal(expected.Select(e => Math.Round(e.Score, 3)), scores.Select(s => Math.Round(s, 3)));
        }
    }

    [Fact]
    public async Task SparseQueries_MatchBruteForce_AndSurviveRestartAndKill()
    {
        await using var server = await ServerProcess.StartAsync();
        var created = (await server.PutAsync($"/collections/{Collection}",
            """{"vectors":{"dense":{"size":2,"distance":"Dot"}},"sparse_vectors":{"text":{"modifier":"idf","index":{"full_scan_threshold":100}}}}""")).Ok();
        Assert.Equal(JsonValueKind.True, created.ValueKind);
        Calls.AssertJson("""{"text":{"index":{"full_scan_threshold":100},"modifier":"idf"}}""", (await server.InfoAsync(Collection)).At("config.params.sparse_vectors"));

        var docs = Docs(seed: 5, count: 400, firstId: 1);
        await server.UpsertAsync(Collection, PointsJson(docs.Take(300)));

        // The batch form carries sparse vectors too.
        var batch = docs.Skip(300).ToList();
        var batchJson = new StringBuilder("{\"batch\":{\"ids\":[" + string.Join(",", batch.Select(d => d.Id)) + "],\"vectors\":{\"dense\":[");
        batchJson.Append(string.Join(",", batch.Select(d => $"[1,{d.Group}]"))).Append("],\"text\":[");
        batchJson.Append(string.Join(",", batch.Select(d => SparseJson(d.Indices, d.Values)))).Append("]},\"payloads\":[");
        batchJson.Append(string.Join(",", batch.Select(d => $$"""{"group":{{d.Group}}}"""))).Append("]}}");
        (await server.PutAsync($"/collections/{Collection}/points?wait=true", batchJson.ToString())).Ok();

        await AssertQueriesMatch(server, docs, idf: true, seed: 6);

        // Stored sorted by index, returned with the point.
        var record = await server.GetPointAsync(Collection, "1");
        var order = docs[0].Indices.Select((x, i) => (x, docs[0].Values[i])).OrderBy(p => p.x).ToArray();
        Calls.AssertJson(SparseJson([.. order.Select(p => p.x)], [.. order.Select(p => p.Item2)]), record.At("vector.text"));

        // Delete some points and the sparse vector of others: idf follows.
        (await server.PostAsync($"/collections/{Collection}/points/delete?wait=true", """{"points":[1,2,3,4,5,6,7,8,9,10]}""")).Ok();
        (await server.PostAsync($"/collections/{Collection}/points/vectors/delete?wait=true", """{"points":[11,12,13],"vector":["text"]}""")).Ok();
        docs = docs.Where(d => d.Id > 13).ToList();
        Assert.Equal(docs.Count, await server.CountAsync(Collection, """{"must":[{"has_vector":"text"}]}"""));
        await AssertQueriesMatch(server, docs, idf: true, seed: 7);

        // Graceful restart.
        Assert.Equal(0, await server.StopAsync());
        await server.RestartAsync();
        await AssertQueriesMatch(server, docs, idf: true, seed: 7);

        // Acknowledged writes survive kill -9.
        var more = Docs(seed: 8, count: 60, firstId: 1000);
        await server.UpsertAsync(Collection, PointsJson(more));
        docs.AddRange(more);
        server.Kill();
        await server.RestartAsync();
        await AssertQueriesMatch(server, docs, idf: true, seed: 9);

        // PATCH drops the modifier: raw dot products from then on.
        (await server.PatchAsync($"/collections/{Collection}", """{"sparse_vectors":{"text":{"modifier":"none"}}}""")).Ok();
        Calls.AssertJson("""{"text":{"index":{"full_scan_threshold":100},"modifier":"none"}}""", (await server.InfoAsync(Collection)).At("config.params.sparse_vectors"));
        await AssertQueriesMatch(server, docs, idf: false, seed: 10);

        // The legacy search with a named sparse vector.
        var legacy = (await server.PostAsync($"/collections/{Collection}/points/search", "{\"vector\":{\"name\":\"text\",\"vector\":" + SparseJson([0], [1f]) + "},\"limit\":3}")).Ok();
        var top = BruteForce(docs, [0], [1f], idf: false, group: null, limit: 3);
        Assert.Equal(top.Select(t => Math.Round(t.Score, 3)), legacy.Scores().Select(s => Math.Round(s, 3)));

        // Bad sparse vectors: a clear 400 naming the problem, nothing written.
        var duplicate = await server.PutAsync($"/collections/{Collection}/points?wait=true", """{"points":[{"id":5000,"vector":{"text":{"indices":[1,1],"values":[1,2]}}}]}""");
        Assert.Equal("Wrong input: sparse vector text: indices must be unique (index 1 appears more than once)", duplicate.Error(400));
        var unknown = await server.PostAsync($"/collections/{Collection}/points/query", """{"query":{"indices":[1],"values":[1]},"using":"nope"}""");
        Assert.StartsWith("Wrong input: Not existing vector name error: nope", unknown.Error(400));
        // Points 11 to 13 are still there, without their sparse vector.
        Assert.Equal(docs.Count + 3, await server.CountAsync(Collection));
    }
}
