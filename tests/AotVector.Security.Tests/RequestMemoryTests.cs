using System.IO.Compression;
using System.Net;
using AotVector.Testing;

namespace AotVector.Security.Tests;

/// <summary>
/// The memory rule, against the published binary: no request costs memory before its credentials are checked, and
/// none buffers more than max_request_size_mb. Each scenario uploads far more than the limit (and more than the
/// memory bound) and checks the answer, the server's peak resident memory, and that /healthz answers meanwhile.
/// </summary>
public sealed class RequestMemoryTests
{
    private const int LimitMb = 2;
    private const long UploadBytes = 256 * ResidentMemory.MiB;
    private const long MemoryBound = 64 * ResidentMemory.MiB;
    private const string GrpcType = "application/grpc";
    private const string JsonType = "application/json";

    private static readonly (string Name, string? Key)[] s_callers =
    [
        ("no key", null),
        ("wrong key", "not_the_key_0123456789"),
        ("read-only key", SecureServer.ReadOnlyKey),
    ];

    [Fact]
    public async Task ClearText_RestH1_AndGrpcH2c_RefusedUploads_StayWithinTheBound()
    {
        await using var server = await StartAsync(tls: false);
        using var h2c = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Process.GrpcPort}"), Timeout = TimeSpan.FromSeconds(60) };
        var failures = new List<string>();
        await WithinBoundAsync(server, server.Process.Http, failures, async () =>
        {
            foreach (var (caller, key) in s_callers)
            {
                foreach (var declare in new[] { true, false })
                {
                    var label = $"{caller}, {(declare ? "declared length" : "no length")}";
                    foreach (var type in new[] { JsonType, GrpcType })
                    {
                        // A gRPC content type over HTTP/1.1 is not gRPC: REST's rule, REST's answers.
                        var rest = await Uploads.Http1Async(server.Process.HttpPort, "/collections/c/points", type, key, UploadBytes, declare);
                        Expect(failures, $"REST h1 {type}, {label}", rest, RestAnswers(key));
                    }

                    var grpc = await Uploads.Http2Async(h2c, "/qdrant.Points/Upsert", GrpcType, key, UploadBytes, declare, Uploads.GrpcPrefix(16));
                    Expect(failures, $"gRPC h2c, {label}", grpc, GrpcAnswers(key));
                    var json = await Uploads.Http2Async(h2c, "/qdrant.Points/Upsert", JsonType, key, UploadBytes, declare, prefix: null);
                    Expect(failures, $"h2c JSON to the gRPC port, {label}", json, RestAnswers(key));
                }
            }
        });
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + server.Process.Logs());
    }

    [Fact]
    public async Task Tls_RestH2_AndGrpc_RefusedUploads_StayWithinTheBound()
    {
        await using var server = await StartAsync(tls: true);
        using var rest = server.CreateHttp();
        using var grpcPort = new HttpClient(server.CreateHandler()) { BaseAddress = server.GrpcUri, Timeout = TimeSpan.FromSeconds(60) };
        var failures = new List<string>();
        await WithinBoundAsync(server, rest, failures, async () =>
        {
            foreach (var (caller, key) in s_callers)
            {
                foreach (var declare in new[] { true, false })
                {
                    var label = $"{caller}, {(declare ? "declared length" : "no length")}";
                    Expect(failures, $"REST h2 JSON, {label}",
                        await Uploads.Http2Async(rest, "/collections/c/points", JsonType, key, UploadBytes, declare, prefix: null), RestAnswers(key));
                    // The reported attack: a gRPC content type to the REST port over TLS/h2 is gRPC, and held to its rule.
                    Expect(failures, $"REST port h2 gRPC, {label}",
                        await Uploads.Http2Async(rest, "/qdrant.Points/Upsert", GrpcType, key, UploadBytes, declare, Uploads.GrpcPrefix(16)), GrpcAnswers(key));
                    Expect(failures, $"gRPC TLS, {label}",
                        await Uploads.Http2Async(grpcPort, "/qdrant.Points/Upsert", GrpcType, key, UploadBytes, declare, Uploads.GrpcPrefix(16)), GrpcAnswers(key));
                    Expect(failures, $"gRPC TLS port, JSON, {label}",
                        await Uploads.Http2Async(grpcPort, "/qdrant.Points/Upsert", JsonType, key, UploadBytes, declare, prefix: null), RestAnswers(key));
                }
            }
        });
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + server.Process.Logs());
    }

    [Fact]
    public async Task FullKey_BodiesOverTheLimit_AreRefused_AndAGzipBombIsNotInflated()
    {
        await using var server = await StartAsync(tls: false);
        using var h2c = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Process.GrpcPort}"), Timeout = TimeSpan.FromSeconds(60) };
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/collections/c", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""))).StatusCode);
        var failures = new List<string>();
        await WithinBoundAsync(server, server.Process.Http, failures, async () =>
        {
            foreach (var declare in new[] { true, false })
            {
                var label = declare ? "declared length" : "no length";
                Expect(failures, $"REST h1, {label}",
                    await Uploads.Http1Async(server.Process.HttpPort, "/collections/c/points", JsonType, SecureServer.ApiKey, UploadBytes, declare), [413]);
                Expect(failures, $"gRPC h2c, {label}",
                    await Uploads.Http2Async(h2c, "/qdrant.Points/Upsert", GrpcType, SecureServer.ApiKey, UploadBytes, declare, Uploads.GrpcPrefix(16)), ["8"]);
                Expect(failures, $"gRPC h2c announcing a message over the limit, {label}",
                    await Uploads.Http2Async(h2c, "/qdrant.Points/Upsert", GrpcType, SecureServer.ApiKey, UploadBytes, declare, Uploads.GrpcPrefix(uint.MaxValue)), ["8"]);
            }

            // Half a MiB of gzip that inflates to 512 MiB: within the limit on the wire, refused once 2 MiB have come out.
            var bomb = GzipBomb(512 * ResidentMemory.MiB);
            var answer = await GzipCallAsync(h2c, bomb);
            Expect(failures, $"gzip bomb of {bomb.Length / 1024} KiB", answer, ["8"]);
        });
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + server.Process.Logs());
    }

    [Fact]
    public async Task HugeDeclaredLengths_OnManyConnections_AreRefusedAtOnce_WithNoKeyConfigured()
    {
        // The default configuration: no key, so every request is authenticated. Twelve connections that send
        // only headers declaring 2 GB each must cost nothing (once, each made the server allocate 2 GB).
        await using var server = await SecureServer.StartAsync(env: [("QDRANT__SERVICE__MAX_REQUEST_SIZE_MB", LimitMb.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        using var h2c = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Process.GrpcPort}"), Timeout = TimeSpan.FromSeconds(60) };
        var failures = new List<string>();
        await WithinBoundAsync(server, server.Process.Http, failures, async () =>
        {
            var calls = new List<Task<(string, Uploads.Answer, object[])>>();
            for (var i = 0; i < 12; i++)
            {
                var type = i % 2 == 0 ? JsonType : GrpcType;
                calls.Add(Labelled($"REST h1 {type} #{i}", [413], Uploads.Http1Async(server.Process.HttpPort, "/collections/c/points", type, null, 2_000_000_000, declareLength: true)));
                calls.Add(Labelled($"gRPC h2c #{i}", ["8"], Uploads.Http2Async(h2c, "/qdrant.Points/Upsert", GrpcType, null, 2_000_000_000, declareLength: true, Uploads.GrpcPrefix(16))));
            }

            foreach (var (label, answer, expected) in await Task.WhenAll(calls))
            {
                Expect(failures, label, answer, expected);
                if (answer.BytesSent > 16 * ResidentMemory.MiB)
                {
                    failures.Add($"{label}: the server read {answer.BytesSent / ResidentMemory.MiB} MiB before refusing a declared length over the limit");
                }
            }
        });
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + server.Process.Logs());
    }

    [Fact]
    public async Task ABodyThatStopsArriving_EndsQuietly_WithoutA500OrAStackTrace()
    {
        await using var server = await SecureServer.StartAsync();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Process.HttpPort);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"PUT /collections/c/points HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"points\":"));

        // Kestrel's minimum data rate (240 bytes/s after a 5 s grace period) ends the request; read what is answered.
        var response = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                response.Write(buffer, 0, n);
            }
        }
        catch (IOException)
        {
        }

        var text = System.Text.Encoding.ASCII.GetString(response.ToArray());
        Assert.DoesNotContain(" 500 ", text.Split("\r\n")[0]);
        Assert.Equal(HttpStatusCode.OK, (await server.Process.Http.GetAsync("/healthz")).StatusCode);
        var logs = server.Process.StandardOutput + server.Process.StandardError;
        Assert.DoesNotContain("   at ", logs);
        Assert.DoesNotContain("fail:", logs);
        Assert.Contains("request body not read to the end", logs);
    }

    private static async Task<(string, Uploads.Answer, object[])> Labelled(string label, object[] expected, Task<Uploads.Answer> call) =>
        (label, await call, expected);

    private static Task<SecureServer> StartAsync(bool tls) => SecureServer.StartAsync(tls: tls, env:
    [
        ("QDRANT__SERVICE__API_KEY", SecureServer.ApiKey),
        ("QDRANT__SERVICE__READ_ONLY_API_KEY", SecureServer.ReadOnlyKey),
        ("QDRANT__SERVICE__MAX_REQUEST_SIZE_MB", LimitMb.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ]);

    /// <summary>REST: 401 without a valid key; the read-only key meets the size limit (413) or, without a length, 403 or 415.</summary>
    private static object[] RestAnswers(string? key) => key == SecureServer.ReadOnlyKey ? [413, 403, 415] : [401];

    /// <summary>gRPC: UNAUTHENTICATED without a valid key; the read-only key meets RESOURCE_EXHAUSTED (or PERMISSION_DENIED).</summary>
    private static object[] GrpcAnswers(string? key) => key == SecureServer.ReadOnlyKey ? ["8", "7"] : ["16"];

    private static void Expect(List<string> failures, string label, Uploads.Answer answer, object[] expected)
    {
        var ok = expected.Any(e => e is int http ? answer.Http == http : answer.Http == 200 && answer.Grpc == (string)e);
        if (!ok)
        {
            failures.Add($"{label}: got {answer}, expected one of {string.Join(", ", expected)}");
        }
    }

    /// <summary>Runs <paramref name="scenario"/> while polling /healthz, then checks the peak resident memory it caused.</summary>
    private static async Task WithinBoundAsync(SecureServer server, HttpClient health, List<string> failures, Func<Task> scenario)
    {
        var memory = new ResidentMemory(server.Process.ProcessId);
        // Warm the paths once so that first-use allocations (JIT-free, but pools and TLS) are not counted.
        await health.GetAsync("/healthz");
        await Task.Delay(200);
        var baseline = memory.Current;
        var exactPeak = memory.ResetPeak();
        long sampledPeak = baseline;
        using var done = new CancellationTokenSource();
        var slowest = TimeSpan.Zero;
        var unanswered = 0;
        var probe = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                sampledPeak = Math.Max(sampledPeak, memory.Current);
                var started = DateTime.UtcNow;
                try
                {
                    using var response = await health.GetAsync("/healthz", done.Token);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        unanswered++;
                    }
                }
                catch (OperationCanceledException) when (done.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception)
                {
                    unanswered++;
                }

                var took = DateTime.UtcNow - started;
                slowest = took > slowest ? took : slowest;
                await Task.Delay(50);
            }
        });

        try
        {
            await scenario();
        }
        finally
        {
            done.Cancel();
            await probe;
        }

        var peak = Math.Max(sampledPeak, exactPeak ? memory.Peak : 0);
        if (peak - baseline > MemoryBound)
        {
            failures.Add($"resident memory grew by {(peak - baseline) / ResidentMemory.MiB} MiB (from {baseline / ResidentMemory.MiB} MiB), over the {MemoryBound / ResidentMemory.MiB} MiB bound");
        }

        if (unanswered > 0 || slowest > TimeSpan.FromSeconds(5))
        {
            failures.Add($"/healthz: {unanswered} failed answers, slowest {slowest.TotalMilliseconds:F0} ms while the uploads ran");
        }
    }

    private static byte[] GzipBomb(long inflatedBytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (long written = 0; written < inflatedBytes; written += zeros.Length)
            {
                gzip.Write(zeros);
            }
        }

        return compressed.ToArray();
    }

    private static async Task<Uploads.Answer> GzipCallAsync(HttpClient h2c, byte[] compressed)
    {
        var body = new byte[5 + compressed.Length];
        body[0] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), (uint)compressed.Length);
        compressed.CopyTo(body, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/qdrant.Points/Upsert")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(GrpcType);
        request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
        request.Headers.TryAddWithoutValidation("api-key", SecureServer.ApiKey);
        using var response = await h2c.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var grpc = response.Headers.TryGetValues("grpc-status", out var h) ? h.First()
            : response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.First() : null;
        return new Uploads.Answer((int)response.StatusCode, grpc, body.Length);
    }
}
