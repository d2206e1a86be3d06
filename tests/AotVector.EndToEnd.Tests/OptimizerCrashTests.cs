using System.Globalization;
using AotVector.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// SIGKILL while the optimizer seals, indexes and merges segments: after every restart each acknowledged
/// write is there, each acknowledged delete stays deleted, and the collection goes back to green.
/// </summary>
public sealed class OptimizerCrashTests
{
    private const string Collection = "churn";
    private const int Dim = 32;
    private const int BatchSize = 60;

    private readonly ITestOutputHelper _output;

    public OptimizerCrashTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task KillDuringSealsAndMerges_KeepsEveryAcknowledgedWrite()
    {
        await using var server = await ServerProcess.StartAsync();

        // 10 KB = 80 vectors of 32 floats: segments are sealed every couple of batches, one sealed segment is the
        // target so merges run constantly (and drop the tombstones of the deletes, which must stay deleted).
        (await server.PutAsync($"/collections/{Collection}", $$$"""
            {"vectors": {"size": {{{Dim}}}, "distance": "Cosine"},
             "hnsw_config": {"m": 8, "ef_construct": 32},
             "optimizers_config": {"indexing_threshold": 10, "default_segment_number": 1, "deleted_threshold": 0.1, "vacuum_min_vector_number": 100}}
            """)).Ok();

        var completed = 0;
        var maxSegments = 0L;
        for (var round = 0; round < 3; round++)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var writer = Task.Run(async () =>
            {
                for (var batch = completed; !stop.IsCancellationRequested; batch++)
                {
                    try
                    {
                        await WriteBatchAsync(server, batch);
                        completed = batch + 1;
                        if (batch % 4 == 0)
                        {
                            maxSegments = Math.Max(maxSegments, (await server.InfoAsync(Collection)).At("segments_count").GetInt64());
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                    {
                        return; // killed mid-batch: that batch is not acknowledged as a whole
                    }
                }
            });

            await Task.Delay(TimeSpan.FromSeconds(2.5));
            server.Kill();
            await writer;
            var log = server.StandardOutput + server.StandardError;
            _output.WriteLine($"round {round}: {completed} batches acknowledged before SIGKILL, up to {maxSegments} segments seen; " +
                $"this run logged {Occurrences(log, "sealed segment")} seals, {Occurrences(log, "merge of segments")} merges, {Occurrences(log, "vacuum of segments")} vacuums");
            await server.RestartAsync();
            await AssertBatchesAsync(server, completed);
        }

        Assert.True(completed >= 6, $"only {completed} batches were written\n{server.Logs()}");
        Assert.True(maxSegments >= 2, $"the optimizer never split the collection into segments\n{server.Logs()}");

        // Once writes stop, the optimizer finishes and the collection is green, with search on the rebuilt graphs.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((await server.InfoAsync(Collection)).At("status").GetString() != "green")
        {
            Assert.True(DateTime.UtcNow < deadline, "the collection did not turn green within 2 minutes\n" + server.Logs());
            await Task.Delay(200);
        }

        var info = await server.InfoAsync(Collection);
        Assert.True(info.At("indexed_vectors_count").GetInt64() > 0, info.ToString());
        // The point's own vector finds it: exactly (its stored vector survived), then through the graphs. The graph
        // search gets a generous ef: at the default (ef_construct 32, m 8) a top-1 miss among ~15,000 random 32-d
        // directions is a matter of recall, not of lost data, and did happen.
        var id = (BatchSize + 15).ToString(CultureInfo.InvariantCulture);
        foreach (var parameters in new[] { """{"exact": true}""", """{"hnsw_ef": 512}""" })
        {
            var hits = (await server.PostAsync($"/collections/{Collection}/points/query", $$"""{"query": {{Vector(BatchSize + 15)}}, "limit": 1, "params": {{parameters}}}""")).Ok().At("points");
            Assert.Equal(id, hits[0].At("id").IdText());
        }
    }

    // Batch b: upsert ids [b*60, b*60+60) with payload {"b": b}, delete the first ten, tag the next ten.
    private static async Task WriteBatchAsync(ServerProcess server, int batch)
    {
        var first = batch * BatchSize;
        var points = string.Join(",", Enumerable.Range(first, BatchSize).Select(id => $$$"""{"id": {{{id}}}, "vector": {{{Vector(id)}}}, "payload": {"b": {{{batch}}}}}"""));
        (await server.PutAsync($"/collections/{Collection}/points?wait=true", "{\"points\": [" + points + "]}")).Ok();
        var deleted = string.Join(",", Enumerable.Range(first, 10));
        (await server.PostAsync($"/collections/{Collection}/points/delete?wait=true", "{\"points\": [" + deleted + "]}")).Ok();
        var tagged = string.Join(",", Enumerable.Range(first + 10, 10));
        (await server.PostAsync($"/collections/{Collection}/points/payload?wait=true", "{\"payload\": {\"tag\": " + batch + "}, \"points\": [" + tagged + "]}")).Ok();
    }

    private static async Task AssertBatchesAsync(ServerProcess server, int completed)
    {
        var records = await server.ScrollAllAsync(Collection, pageSize: 500);
        var byId = records.ToDictionary(r => r.At("id").GetInt64());
        for (var batch = 0; batch < completed; batch++)
        {
            for (var id = (long)batch * BatchSize; id < (batch + 1L) * BatchSize; id++)
            {
                var offset = id - (long)batch * BatchSize;
                if (offset < 10)
                {
                    Assert.False(byId.ContainsKey(id), $"point {id} was deleted (acknowledged) but came back\n{server.Logs()}");
                    continue;
                }

                Assert.True(byId.TryGetValue(id, out var record), $"acknowledged point {id} is missing\n{server.Logs()}");
                Assert.Equal(batch, record.At("payload.b").GetInt32());
                if (offset < 20)
                {
                    Assert.Equal(batch, record.At("payload.tag").GetInt32());
                }
            }
        }
    }

    private static int Occurrences(string text, string what) => (text.Length - text.Replace(what, string.Empty, StringComparison.Ordinal).Length) / what.Length;

    // A distinct direction per id (cosine), so the nearest neighbour of a point's own vector is that point.
    private static string Vector(int id)
    {
        var rng = new Random(id);
        return "[" + string.Join(",", Enumerable.Range(0, Dim).Select(_ => (rng.NextSingle() * 2 - 1).ToString("R", CultureInfo.InvariantCulture))) + "]";
    }
}
