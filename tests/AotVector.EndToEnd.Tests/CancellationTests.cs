using System.Globalization;
using System.Text;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// A query whose client goes away stops using the server's CPU. The server's CPU time (from /proc) for a slow query
/// run to its end is compared with the same query cancelled by its client a tenth of the way in: the cancelled one
/// must cost far less, and the server goes on answering with nothing in its log about it.
/// </summary>
public sealed class CancellationTests
{
    private const int Dim = 128;
    private const int Points = 20_000;

    [Fact]
    public async Task SlowQuery_ClientGoesAway_ServerStopsWorkingOnIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var server = await ServerProcess.StartAsync();
        // No graphs: the optimizer stays idle, so the server's CPU time is the query's.
        (await server.PutAsync("/collections/slow", "{\"vectors\":{\"size\":" + Dim + ",\"distance\":\"Dot\"},\"optimizers_config\":{\"indexing_threshold\":0}}")).Expect(200);
        var rng = new Random(17);
        for (var first = 0; first < Points; first += 2000)
        {
            var points = new StringBuilder("{\"points\":[");
            for (var i = first; i < first + 2000; i++)
            {
                points.Append(i > first ? "," : "").Append("{\"id\":").Append(i).Append(",\"vector\":");
                AppendVector(points, rng);
                points.Append('}');
            }

            (await server.PutAsync("/collections/slow/points?wait=true", points.Append("]}").ToString())).Expect(200);
        }

        // Sixteen best_score recommendations over 128 examples each: every point is scored against every example.
        var body = new StringBuilder("{\"searches\":[");
        for (var q = 0; q < 16; q++)
        {
            body.Append(q > 0 ? "," : "").Append("{\"query\":{\"recommend\":{\"strategy\":\"best_score\",\"positive\":[");
            for (var e = 0; e < 128; e++)
            {
                if (e > 0)
                {
                    body.Append(',');
                }

                AppendVector(body, rng);
            }

            body.Append("]}},\"limit\":10}");
        }

        var query = body.Append("]}").ToString();
        var pid = server.ProcessId;

        var cpu = CpuSeconds(pid);
        var started = DateTime.UtcNow;
        (await server.PostAsync("/collections/slow/points/query/batch", query)).Expect(200);
        var wall = DateTime.UtcNow - started;
        var whole = CpuSeconds(pid) - cpu;

        cpu = CpuSeconds(pid);
        using (var cancel = new CancellationTokenSource(TimeSpan.FromTicks(Math.Max(wall.Ticks / 10, TimeSpan.FromMilliseconds(20).Ticks))))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/collections/slow/points/query/batch")
            {
                Content = new StringContent(query, Encoding.UTF8, "application/json"),
            };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Http.SendAsync(request, cancel.Token));
        }

        var cancelled = await SettledCpuSecondsAsync(pid) - cpu;
        Assert.True(cancelled < whole / 2, $"the cancelled query used {cancelled:F2} s of CPU; run to its end it used {whole:F2} s in {wall.TotalSeconds:F2} s");

        var after = await server.PostAsync("/collections/slow/points/query", "{\"query\":1,\"limit\":1}");
        after.Expect(200);
        Assert.DoesNotContain("Unhandled exception", server.Logs(), StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", server.Logs(), StringComparison.Ordinal);
    }

    private static void AppendVector(StringBuilder into, Random rng)
    {
        into.Append('[');
        for (var d = 0; d < Dim; d++)
        {
            into.Append(d > 0 ? "," : "").Append(((float)(rng.NextDouble() * 2 - 1)).ToString("R", CultureInfo.InvariantCulture));
        }

        into.Append(']');
    }

    // User plus system CPU seconds of the process, from /proc/<pid>/stat (in clock ticks of 1/100 s).
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    // The CPU time once it stops growing (two readings 200 ms apart agree), so work still running after the cancel counts.
    private static async Task<double> SettledCpuSecondsAsync(int pid)
    {
        var last = CpuSeconds(pid);
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(200);
            var now = CpuSeconds(pid);
            if (now - last < 0.015)
            {
                return now;
            }

            last = now;
        }

        return last;
    }
}
