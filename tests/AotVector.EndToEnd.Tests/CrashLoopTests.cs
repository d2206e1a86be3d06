using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AotVector.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// A server killed with SIGKILL under write load, over and over (a crash loop): each boot replays only what the
/// previous life wrote (the replay is flushed and the WAL trimmed at once), the segments the optimizer seals keep
/// being merged back, the disk does not grow faster than the data, and no acknowledged point is lost.
/// perf/crash-loop.py runs the longer loop and reports the numbers.
/// </summary>
public sealed partial class CrashLoopTests
{
    private const string Collection = "loop";
    private const int Dim = 16;
    private const int BatchSize = 200;
    private const int Lives = 20;

    // Each life writes this long before the kill (the reported loop's lives were under 2.5 s).
    private static readonly TimeSpan LifeTime = TimeSpan.FromSeconds(2);

    private readonly ITestOutputHelper _output;

    public CrashLoopTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task KillLoopUnderWrites_KeepsReplayDiskAndSegmentsFlat()
    {
        await using var server = await ServerProcess.StartAsync();

        // 160 KB = 2,560 vectors of 16 floats: the appendable segment is sealed every life or two, and with a target
        // of 2 segments the optimizer has merges to do in every life.
        (await server.PutAsync($"/collections/{Collection}", $$$"""
            {"vectors": {"size": {{{Dim}}}, "distance": "Dot"},
             "hnsw_config": {"m": 8, "ef_construct": 32},
             "optimizers_config": {"indexing_threshold": 160, "default_segment_number": 2}}
            """)).Ok();

        var acknowledged = 0;
        var batchesPerLife = new List<int>();
        var lives = new List<(double BootMs, long Segments, long DiskBytes, int Replayed)>();
        for (var life = 0; life < Lives; life++)
        {
            var boot = TimeSpan.Zero;
            if (life > 0)
            {
                var watch = Stopwatch.StartNew();
                await server.RestartAsync();
                boot = watch.Elapsed;
            }

            var segments = (await server.InfoAsync(Collection)).At("segments_count").GetInt64();
            var batches = 0;
            using var stop = new CancellationTokenSource(LifeTime);
            while (!stop.IsCancellationRequested)
            {
                await WriteBatchAsync(server, acknowledged / BatchSize);
                acknowledged += BatchSize;
                batches++;
            }

            // The kill lands while the next batch is on its way (it is not acknowledged, and not counted).
            var inFlight = WriteBatchAsync(server, acknowledged / BatchSize);
            await Task.Delay(5);
            server.Kill();
            try
            {
                await inFlight;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
            }

            batchesPerLife.Add(batches);
            var replayed = ReplayedAtBoot(server.StandardOutput, life);
            lives.Add((boot.TotalMilliseconds, segments, DiskBytes(server.StoragePath), replayed));
            _output.WriteLine($"life {life,2}: boot {boot.TotalMilliseconds,6:F0} ms, {segments,2} segments at boot, {lives[^1].DiskBytes / 1e6,7:F1} MB on disk after, " +
                $"{replayed,4} WAL entries replayed at boot, {batches,3} batches written, {acknowledged} points acknowledged");
        }

        // Every acknowledged point is there (ids are contiguous, batch after batch); the batch cut off by the last
        // kill was not acknowledged but may have reached the WAL.
        await server.RestartAsync();
        Assert.InRange(await server.CountAsync(Collection), acknowledged, acknowledged + BatchSize);

        for (var life = 1; life < Lives; life++)
        {
            // A boot replays the previous life's writes (one WAL entry per batch, and the batch cut off by the kill),
            // never what earlier lives wrote: those were flushed by the boot after them.
            Assert.True(lives[life].Replayed <= batchesPerLife[life - 1] + 1,
                $"life {life} replayed {lives[life].Replayed} WAL entries; the life before it wrote {batchesPerLife[life - 1]} batches\n{server.Logs()}");
        }

        // Segments are merged back between kills: over the last third of the run the count does not climb.
        var lastThird = lives.Skip(Lives * 2 / 3).Select(l => l.Segments).ToList();
        Assert.True(lastThird.Max() <= 8, $"segments at boot over the last lives: {string.Join(", ", lastThird)}\n{server.Logs()}");

        // The disk holds the data plus bounded overhead: vectors are 64 bytes a point; with their HNSW links, ids,
        // versions, the WAL segment being written and a merge's output it stays within a small multiple of that,
        // where a loop that sealed and preallocated a segment on every boot grew by megabytes a life.
        var vectorBytes = (long)acknowledged * Dim * sizeof(float);
        var disk = lives[^1].DiskBytes;
        Assert.True(disk <= 64L * 1024 * 1024 + (20 * vectorBytes), $"{disk} bytes on disk for {vectorBytes} bytes of vectors\n{server.Logs()}");
    }

    private static async Task WriteBatchAsync(ServerProcess server, int batch)
    {
        var first = batch * BatchSize;
        var points = string.Join(",", Enumerable.Range(first, BatchSize).Select(id => $$"""{"id": {{id}}, "vector": {{Vector(id)}}}"""));
        (await server.PutAsync($"/collections/{Collection}/points?wait=true", "{\"points\": [" + points + "]}")).Ok();
    }

    // The WAL entries replayed by boot number `life` (the first life's log has no restart marker before it).
    private static int ReplayedAtBoot(string log, int life)
    {
        var lifeLog = log.Split("=== restart #", StringSplitOptions.None);
        return life < lifeLog.Length ? ReplayedLine().Matches(lifeLog[life]).Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)) : 0;
    }

    // Allocated blocks (du) rather than lengths, so a sparse file counts for what it really holds.
    private static long DiskBytes(string path)
    {
        using var du = Process.Start(new ProcessStartInfo("du", ["-s", "-B1", path]) { RedirectStandardOutput = true })!;
        var text = du.StandardOutput.ReadToEnd();
        du.WaitForExit();
        return long.Parse(text.Split('\t', 2)[0], CultureInfo.InvariantCulture);
    }

    private static string Vector(int id)
    {
        var rng = new Random(id);
        return "[" + string.Join(",", Enumerable.Range(0, Dim).Select(_ => (rng.NextSingle() * 2 - 1).ToString("R", CultureInfo.InvariantCulture))) + "]";
    }

    [GeneratedRegex(@"replayed (\d+) WAL entries")]
    private static partial Regex ReplayedLine();
}
