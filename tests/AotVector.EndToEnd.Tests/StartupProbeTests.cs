using System.Diagnostics;
using System.Globalization;
using System.Net;
using AotVector.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// Kubernetes probes while a large storage loads: collections load after the listeners are up, so /livez answers
/// at once whatever the storage size, and /readyz answers 503 until every collection is loaded.
/// </summary>
public sealed class StartupProbeTests
{
    private const int Points = 100_000;
    private const int BatchSize = 5_000;

    private readonly ITestOutputHelper _output;

    public StartupProbeTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Livez_AnswersBeforeLoadingEnds_ReadyzOnceLoaded()
    {
        using var storage = new TempDirectory("aotvector-probes-");
        var options = new ServerOptions()
            .WithEnv("QDRANT__STORAGE__STORAGE_PATH", storage.Path)
            // No periodic flush: the points stay in the WAL, so the next boot replays all of them (a slow load).
            .WithEnv("QDRANT__STORAGE__OPTIMIZERS__FLUSH_INTERVAL_SEC", "100000");
        await using (var writer = await ServerProcess.StartAsync(options))
        {
            (await writer.PutAsync("/collections/big", """{"vectors": {"size": 8, "distance": "Dot"}, "optimizers_config": {"indexing_threshold": 0}}""")).Ok();
            for (var first = 0; first < Points; first += BatchSize)
            {
                var points = string.Join(",", Enumerable.Range(first, BatchSize).Select(id => $$"""{"id": {{id}}, "vector": {{Vector(id)}}}"""));
                (await writer.PutAsync("/collections/big/points?wait=true", "{\"points\": [" + points + "]}")).Ok();
            }

            writer.Kill();
        }

        await using var server = ServerProcess.Launch(options);
        var watch = Stopwatch.StartNew();
        TimeSpan? live = null;
        string? readyWhenLive = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(60) && !server.HasExited)
        {
            try
            {
                using var response = await server.Http.GetAsync("/livez");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    live = watch.Elapsed;
                    using var readyResponse = await server.Http.GetAsync("/readyz");
                    readyWhenLive = $"{(int)readyResponse.StatusCode} {await readyResponse.Content.ReadAsStringAsync()}";
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(2);
        }

        Assert.True(live is not null, "/livez never answered 200\n" + server.Logs());
        await server.WaitReadyAsync();
        var ready = watch.Elapsed;
        _output.WriteLine($"storage of {Points} points replayed from the WAL: /livez 200 after {live!.Value.TotalMilliseconds:F0} ms, " +
            $"/readyz 200 after {ready.TotalMilliseconds:F0} ms (readyz when livez first answered: {readyWhenLive})");

        Assert.StartsWith("503", readyWhenLive, StringComparison.Ordinal);
        Assert.Equal(Points, await server.CountAsync("big"));
    }

    private static string Vector(int id) =>
        "[" + string.Join(",", Enumerable.Range(0, 8).Select(i => ((id * 31 + i * 7) % 97 / 97f).ToString("R", CultureInfo.InvariantCulture))) + "]";
}
