using System.Globalization;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// A sparse-only collection on the published binary: the optimizer seals and indexes it (sparse bytes count towards
/// the indexing threshold), its built index file is reused as it is across a graceful restart and a kill -9, and
/// queries (with and without a filter, on both sides of the full-scan threshold) match a brute-force scorer.
/// </summary>
public sealed class SparseIndexFileTests
{
    private const string Collection = "bm25";
    private const int Vocabulary = 300;

    private sealed record Doc(ulong Id, uint[] Indices, float[] Values, int Group);

    private static List<Doc> Docs(int seed, int count, ulong firstId)
    {
        var random = new Random(seed);
        var docs = new List<Doc>(count);
        for (var i = 0; i < count; i++)
        {
            var indices = new HashSet<uint>();
            var nonZeros = 4 + random.Next(12);
            while (indices.Count < nonZeros)
            {
                indices.Add((uint)(Math.Pow(random.NextDouble(), 2) * Vocabulary));
            }

            var ordered = indices.ToArray();
            docs.Add(new Doc(firstId + (ulong)i, ordered, [.. ordered.Select(_ => (float)Math.Round(random.NextDouble() * 3, 3))], i % 50));
        }

        return docs;
    }

    private static string F(float x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static string SparseJson(uint[] indices, float[] values) =>
        "{\"indices\":[" + string.Join(",", indices) + "],\"values\":[" + string.Join(",", values.Select(F)) + "]}";

    private static string PointsJson(IEnumerable<Doc> docs) => "[" + string.Join(",", docs.Select(d =>
        "{\"id\":" + d.Id + ",\"vector\":{\"text\":" + SparseJson(d.Indices, d.Values) + "},\"payload\":{\"group\":" + d.Group + "}}")) + "]";

    private static async Task AssertQueriesMatch(ServerProcess server, List<Doc> docs, int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 15; n++)
        {
            var q = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => (uint)(Math.Pow(random.NextDouble(), 2) * Vocabulary)).Distinct().ToArray();
            var w = q.Select(_ => (float)Math.Round(0.1 + random.NextDouble(), 3)).ToArray();

            // Group 7 holds 2% of the points: under the full-scan threshold (scored one by one); groups 0 to 24 half of
            // them: over it (through the postings).
            var (filter, keep) = (n % 3) switch
            {
                1 => (""","filter":{"must":[{"key":"group","match":{"value":7}}]}""", (Func<Doc, bool>)(d => d.Group == 7)),
                2 => (""","filter":{"must":[{"key":"group","range":{"lt":25}}]}""", d => d.Group < 25),
                _ => ("", _ => true),
            };
            var result = (await server.PostAsync($"/collections/{Collection}/points/query", "{\"query\":" + SparseJson(q, w) + ",\"using\":\"text\",\"limit\":8" + filter + "}")).Ok().At("points");
            var expected = docs.Where(keep)
                .Select(d => (d.Id, Shared: q.Any(d.Indices.Contains), Score: q.Select((dim, i) => Array.IndexOf(d.Indices, dim) is var at and >= 0 ? w[i] * d.Values[at] : 0).Sum()))
                .Where(x => x.Shared)
                .OrderByDescending(x => x.Score).ThenBy(x => x.Id)
                .Take(8).ToList();
            Assert.Equal(expected.Select(e => Math.Round(e.Score, 3)), result.Scores().Select(s => Math.Round(s, 3)));
        }
    }

    private static Dictionary<string, DateTime> IndexFiles(ServerProcess server) =>
        Directory.EnumerateFiles(server.StoragePath, "postings-*.bin", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc, StringComparer.Ordinal);

    private static async Task WaitForIndexAsync(ServerProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (IndexFiles(server).Count == 0 || (await server.InfoAsync(Collection)).At("status").GetString() != "green")
        {
            Assert.True(DateTime.UtcNow < deadline, "the sparse index was not built: " + server.Logs());
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task SparseOnlyCollection_IsIndexed_AndItsIndexFileReusedAcrossRestartAndKill()
    {
        await using var server = await ServerProcess.StartAsync();
        (await server.PutAsync($"/collections/{Collection}",
            """{"sparse_vectors":{"text":{"index":{"on_disk":true,"full_scan_threshold":200}}},"optimizers_config":{"indexing_threshold":50,"default_segment_number":1}}""")).Ok();
        (await server.PutAsync($"/collections/{Collection}/index?wait=true", """{"field_name":"group","field_schema":"integer"}""")).Ok();

        // About 75 KB of sparse data: past the 50 KB threshold, so the appendable segment is sealed and indexed.
        var docs = Docs(seed: 31, count: 1000, firstId: 1);
        foreach (var chunk in docs.Chunk(250))
        {
            await server.UpsertAsync(Collection, PointsJson(chunk));
        }

        await WaitForIndexAsync(server);
        var files = IndexFiles(server);
        await AssertQueriesMatch(server, docs, seed: 32);

        // A graceful restart reopens the file as it is.
        Assert.Equal(0, await server.StopAsync());
        await server.RestartAsync();
        await AssertQueriesMatch(server, docs, seed: 33);
        Assert.Equal(files, IndexFiles(server));

        // A few writes on top (they stay in the appendable segment), deletes of indexed points, then kill -9.
        var more = Docs(seed: 34, count: 40, firstId: 5000);
        await server.UpsertAsync(Collection, PointsJson(more));
        docs.AddRange(more);
        (await server.PostAsync($"/collections/{Collection}/points/delete?wait=true", """{"points":[1,2,3,4,5,6,7,8,9,10]}""")).Ok();
        docs.RemoveAll(d => d.Id <= 10);
        server.Kill();
        await server.RestartAsync();
        await AssertQueriesMatch(server, docs, seed: 35);
        Assert.Equal(files, IndexFiles(server));
        Assert.DoesNotContain("not reopened", server.Logs(100_000), StringComparison.Ordinal);
    }
}
