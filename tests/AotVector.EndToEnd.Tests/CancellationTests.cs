using System.Globalization;
using System.Text;
using AotVector.EndToEnd.Tests.Fuzz;
using AotVector.EndToEnd.Tests.Infrastructure;
using Google.Protobuf;
using Qdrant.Client.Grpc;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// A query whose client goes away stops using the server's CPU, over REST and over gRPC. The server's CPU time (from
/// /proc) for a slow query run to its end is compared with the same query cancelled by its client a tenth of the way
/// in: the cancelled one must cost far less, and the server goes on answering with nothing in its log about it.
/// </summary>
public sealed class CancellationTests
{
    private const int Dim = 128;
    private const int Points = 20_000;

    [Fact]
    public async Task SlowQuery_RestClientGoesAway_ServerStopsWorkingOnIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var server = await ServerProcess.StartAsync();
        var examples = await CreateSlowCollectionAsync(server);
        var body = new StringBuilder("{\"searches\":[");
        for (var q = 0; q < examples.Length; q++)
        {
            body.Append(q > 0 ? "," : "").Append("{\"query\":{\"recommend\":{\"strategy\":\"best_score\",\"positive\":[");
            for (var e = 0; e < examples[q].Length; e++)
            {
                body.Append(e > 0 ? "," : "");
                AppendVector(body, examples[q][e]);
            }

            body.Append("]}},\"limit\":10}");
        }

        var query = body.Append("]}").ToString();
        HttpRequestMessage Request() => new(HttpMethod.Post, "/collections/slow/points/query/batch")
        {
            Content = new StringContent(query, Encoding.UTF8, "application/json"),
        };

        await AssertCancelledQueryStopsAsync(server, async ct =>
        {
            using var request = Request();
            using var response = await server.Http.SendAsync(request, ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        });
    }

    [Fact]
    public async Task SlowQuery_GrpcClientGoesAway_ServerStopsWorkingOnIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var server = await ServerProcess.StartAsync();
        var examples = await CreateSlowCollectionAsync(server);
        var batch = new QueryBatchPoints { CollectionName = "slow" };
        foreach (var query in examples)
        {
            var recommend = new RecommendInput { Strategy = RecommendStrategy.BestScore };
            foreach (var example in query)
            {
                recommend.Positive.Add(new VectorInput { Dense = new DenseVector { Data = { example } } });
            }

            batch.QueryPoints.Add(new QueryPoints { CollectionName = "slow", Query = new Query { Recommend = recommend }, Limit = 10 });
        }

        var message = batch.ToByteArray();
        var framed = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        using var grpc = new GrpcH2c(new Uri($"http://127.0.0.1:{server.GrpcPort}"));

        await AssertCancelledQueryStopsAsync(server, async ct =>
        {
            var outcome = await grpc.CallAsync("/qdrant.Points/QueryBatch", framed, serverStreaming: false, encoding: null, ct);
            Assert.Equal(0, outcome.Code);
        });
    }

    /// <summary>
    /// Runs <paramref name="query"/> to its end, then again cancelled by its client a tenth of the way in: the cancelled
    /// run must cost the server less than half the CPU time, and the server goes on answering with nothing logged.
    /// </summary>
    private static async Task AssertCancelledQueryStopsAsync(ServerProcess server, Func<CancellationToken, Task> query)
    {
        var pid = server.ProcessId;
        var cpu = CpuSeconds(pid);
        var started = DateTime.UtcNow;
        await query(CancellationToken.None);
        var wall = DateTime.UtcNow - started;
        var whole = CpuSeconds(pid) - cpu;

        cpu = CpuSeconds(pid);
        using (var cancel = new CancellationTokenSource(TimeSpan.FromTicks(Math.Max(wall.Ticks / 10, TimeSpan.FromMilliseconds(20).Ticks))))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query(cancel.Token));
        }

        var cancelled = await SettledCpuSecondsAsync(pid) - cpu;
        Assert.True(cancelled < whole / 2, $"the cancelled query used {cancelled:F2} s of CPU; run to its end it used {whole:F2} s in {wall.TotalSeconds:F2} s");

        var after = await server.PostAsync("/collections/slow/points/query", "{\"query\":1,\"limit\":1}");
        after.Expect(200);
        Assert.DoesNotContain("Unhandled exception", server.Logs(), StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", server.Logs(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A collection of random points with no graphs (the optimizer stays idle, so the server's CPU time is the
    /// query's), and sixteen best_score recommendations of 128 examples each: every point is scored against every example.
    /// </summary>
    private static async Task<float[][][]> CreateSlowCollectionAsync(ServerProcess server)
    {
        (await server.PutAsync("/collections/slow", "{\"vectors\":{\"size\":" + Dim + ",\"distance\":\"Dot\"},\"optimizers_config\":{\"indexing_threshold\":0}}")).Expect(200);
        var rng = new Random(17);
        for (var first = 0; first < Points; first += 2000)
        {
            var points = new StringBuilder("{\"points\":[");
            for (var i = first; i < first + 2000; i++)
            {
                points.Append(i > first ? "," : "").Append("{\"id\":").Append(i).Append(",\"vector\":");
                AppendVector(points, RandomVector(rng));
                points.Append('}');
            }

            (await server.PutAsync("/collections/slow/points?wait=true", points.Append("]}").ToString())).Expect(200);
        }

        return Enumerable.Range(0, 16).Select(_ => Enumerable.Range(0, 128).Select(_ => RandomVector(rng)).ToArray()).ToArray();
    }

    private static float[] RandomVector(Random rng) => Enumerable.Range(0, Dim).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    private static void AppendVector(StringBuilder into, float[] vector)
    {
        into.Append('[');
        for (var d = 0; d < vector.Length; d++)
        {
            into.Append(d > 0 ? "," : "").Append(vector[d].ToString("R", CultureInfo.InvariantCulture));
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
