using System.Diagnostics;
using System.Globalization;
using System.Net;
using AotVector.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// Kubernetes probes while a large storage loads: collections load after the listeners are up, so /livez answers
/// at once whatever the storage size, and /readyz answers 503 until every collection is loaded. Meanwhile the
/// collection is listed and answers 503 "still loading" (not 404), and the gRPC health checks say not serving.
/// </summary>
public sealed class StartupProbeTests
{
    private const int Points = 200_000;
    private const int BatchSize = 10_000;

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
        var loadingChecked = await CheckWhileLoadingAsync(server);
        await server.WaitReadyAsync();
        var ready = watch.Elapsed;
        _output.WriteLine($"storage of {Points} points replayed from the WAL: /livez 200 after {live!.Value.TotalMilliseconds:F0} ms, " +
            $"/readyz 200 after {ready.TotalMilliseconds:F0} ms (readyz when livez first answered: {readyWhenLive})");

        _output.WriteLine(loadingChecked
            ? "checked while loading: list, info, exists and both gRPC health checks"
            : "loading ended before the checks could run (nothing asserted about the loading state)");
        Assert.StartsWith("503", readyWhenLive, StringComparison.Ordinal);
        Assert.Equal(Points, await server.CountAsync("big"));
        Assert.Equal(Serving, await HealthStatusAsync(server));
        Assert.Equal(0, (await GrpcAsync(server, "/qdrant.Qdrant/HealthCheck")).Code);
    }

    private const int Serving = 1;
    private const int NotServing = 2;

    // Once Kestrel serves (/readyz says how loading goes), while the collection loads: what a client sees. Asserted only
    // when /readyz still says "loading" after the checks, so that all of them saw the loading state.
    private static async Task<bool> CheckWhileLoadingAsync(ServerProcess server)
    {
        string ready;
        do
        {
            ready = (await server.GetAsync("/readyz")).Text;
        }
        while (ready.Contains("starting", StringComparison.Ordinal));

        if (!ready.StartsWith("loading collections", StringComparison.Ordinal))
        {
            return false;
        }

        var list = await server.GetAsync("/collections");
        var info = await server.GetAsync("/collections/big");
        var exists = await server.GetAsync("/collections/big/exists");
        var health = await HealthStatusAsync(server);
        var qdrantHealth = await GrpcAsync(server, "/qdrant.Qdrant/HealthCheck");
        if (!(await server.GetAsync("/readyz")).Text.StartsWith("loading collections", StringComparison.Ordinal))
        {
            return false;
        }

        Assert.Equal("big", list.Ok().At("collections").EnumerateArray().Single().GetProperty("name").GetString());
        info.Expect(503);
        Assert.Contains("still loading", info.Json.At("status.error").GetString(), StringComparison.Ordinal);
        Assert.True(exists.Ok().At("exists").GetBoolean());
        Assert.Equal(NotServing, health);
        Assert.Equal(14, qdrantHealth.Code); // UNAVAILABLE
        Assert.Contains("loading collections", qdrantHealth.Message, StringComparison.Ordinal);
        return true;
    }

    private static async Task<int> HealthStatusAsync(ServerProcess server)
    {
        var (code, _, body) = await GrpcAsync(server, "/grpc.health.v1.Health/Check");
        Assert.Equal(0, code);
        return AotVector.Protocol.Grpc.Health.HealthCheckResponse.Parser.ParseFrom(body).Status switch
        {
            AotVector.Protocol.Grpc.Health.HealthCheckResponse.Types.ServingStatus.Serving => Serving,
            AotVector.Protocol.Grpc.Health.HealthCheckResponse.Types.ServingStatus.NotServing => NotServing,
            var other => (int)other,
        };
    }

    // A unary call with an empty request message over h2c: the gRPC status, its message and the response message.
    private static async Task<(int? Code, string Message, byte[] Body)> GrpcAsync(ServerProcess server, string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.GrpcPort}") };
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var headers = response.TrailingHeaders.Contains("grpc-status") ? response.TrailingHeaders : response.Headers;
        int? code = headers.TryGetValues("grpc-status", out var status) ? int.Parse(status.First(), CultureInfo.InvariantCulture) : null;
        var message = headers.TryGetValues("grpc-message", out var text) ? Uri.UnescapeDataString(text.First()) : "";
        return (code, message, bytes.Length >= 5 ? bytes[5..] : []);
    }

    private static string Vector(int id) =>
        "[" + string.Join(",", Enumerable.Range(0, 8).Select(i => ((id * 31 + i * 7) % 97 / 97f).ToString("R", CultureInfo.InvariantCulture))) + "]";
}
