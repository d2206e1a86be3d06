using System.Buffers.Binary;
using AotVector.EndToEnd.Tests.Fuzz;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// Request messages that do not decode get INVALID_ARGUMENT naming the problem and one debug line, on every method
/// (unary and streaming); never UNKNOWN, an error-level log line or a stack trace. Likewise broken message framing
/// and compression.
/// </summary>
public sealed class GrpcDecodeTests(GrpcDecodeTests.DebugServer fixture) : IClassFixture<GrpcDecodeTests.DebugServer>
{
    private const string Prefix = "failed to decode Protobuf message: ";

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "truncated", [0x0a, 0x05, 0x61], "the input ended unexpectedly in the middle of a field" },
        { "invalid wire type", [0x0f], "invalid wire type" },
        { "zero tag", [0x00], "invalid tag (zero)" },
        { "negative length", [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f], "negative size" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Every_method_refuses_a_malformed_message_with_invalid_argument(string what, byte[] message, string reason)
    {
        var server = fixture.Server;
        var logBefore = server.StandardOutput.Length;
        using var grpc = new GrpcH2c(new Uri($"http://127.0.0.1:{server.GrpcPort}"));

        var methods = ProtoMethods.All;
        foreach (var method in methods)
        {
            var outcome = await CallAsync(grpc, ProtoMethods.Path(method), Frame(0, message), method.IsServerStreaming, null);
            Assert.True(outcome.Code == 3, $"{what} to {ProtoMethods.Path(method)}: HTTP {outcome.Http}, status {outcome.Code} {outcome.Message}");
            Assert.StartsWith(Prefix, outcome.Message);
            Assert.Contains(reason, outcome.Message, StringComparison.OrdinalIgnoreCase);
        }

        // The server's output reaches us asynchronously: give the last lines a moment to arrive.
        int Refusals() => server.StandardOutput[logBefore..].Split('\n').Count(l => l.Contains(" dbug: AotVector.Protocol.Grpc[301] ", StringComparison.Ordinal));
        for (var wait = 0; wait < 100 && Refusals() < methods.Count; wait++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(methods.Count, Refusals());
        Assert.Empty(LogProblems.Find(server.StandardOutput + server.StandardError));
    }

    [Theory]
    [InlineData("/qdrant.Collections/Get", false)]
    [InlineData("/qdrant.Points/Upsert", false)]
    [InlineData("/qdrant.Points/Search", false)]
    [InlineData("/grpc.health.v1.Health/Check", false)]
    [InlineData("/grpc.health.v1.Health/Watch", true)]
    public async Task A_string_that_is_not_utf8_is_invalid_argument(string path, bool streaming)
    {
        using var grpc = new GrpcH2c(new Uri($"http://127.0.0.1:{fixture.Server.GrpcPort}"));

        // Field 1 is a string in each of these requests (collection_name, or the health check's service).
        var outcome = await CallAsync(grpc, path, Frame(0, [0x0a, 0x03, 0x61, 0xc0, 0xaf]), streaming, null);

        Assert.Equal((3, Prefix + "a string field is not valid UTF-8"), (outcome.Code, outcome.Message));
        Assert.Empty(LogProblems.Find(fixture.Server.StandardOutput + fixture.Server.StandardError));
    }

    [Theory]
    [InlineData("compressed flag 2", new byte[] { 2, 0, 0, 0, 0 }, null, 3, "invalid gRPC message prefix: compressed flag 2, expected 0 or 1")]
    [InlineData("length past 2^31", new byte[] { 0, 0x80, 0, 0, 0 }, null, 8, "Payload too large: the request body exceeds max_request_size_mb")]
    [InlineData("not gzip", new byte[] { 1, 0, 0, 0, 4, 0x61, 0x62, 0x63, 0x64 }, "gzip", 3, "failed to decompress the gzip request message: ")]
    [InlineData("not deflate", new byte[] { 1, 0, 0, 0, 2, 0xff, 0xff }, "deflate", 3, "failed to decompress the deflate request message: ")]
    public async Task Broken_framing_and_compression_are_statuses_too(string what, byte[] body, string? encoding, int code, string message)
    {
        using var grpc = new GrpcH2c(new Uri($"http://127.0.0.1:{fixture.Server.GrpcPort}"));

        foreach (var (path, streaming) in new[] { ("/qdrant.Collections/Get", false), ("/qdrant.Points/Upsert", false), ("/grpc.health.v1.Health/Watch", true) })
        {
            var outcome = await CallAsync(grpc, path, body, streaming, encoding);
            Assert.True(outcome.Code == code, $"{what} to {path}: HTTP {outcome.Http}, status {outcome.Code} {outcome.Message}");
            Assert.StartsWith(message, outcome.Message);
        }

        Assert.Empty(LogProblems.Find(fixture.Server.StandardOutput + fixture.Server.StandardError));
    }

    [Fact]
    public async Task A_gzip_message_that_decodes_is_served()
    {
        using var grpc = new GrpcH2c(new Uri($"http://127.0.0.1:{fixture.Server.GrpcPort}"));
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write([0x0a, 0x02, 0x6e, 0x6f]);
        }

        var outcome = await CallAsync(grpc, "/qdrant.Collections/Get", Frame(1, compressed.ToArray()), false, "gzip");

        Assert.Equal(5, outcome.Code);
        Assert.Contains("no", outcome.Message, StringComparison.Ordinal);
    }

    private static async Task<GrpcOutcome> CallAsync(GrpcH2c grpc, string path, byte[] body, bool streaming, string? encoding)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await grpc.CallAsync(path, body, streaming, encoding, timeout.Token);
    }

    private static byte[] Frame(byte flag, byte[] message)
    {
        var framed = new byte[5 + message.Length];
        framed[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    /// <summary>One server for the class, logging at debug level so the refusals' log lines can be counted.</summary>
    public sealed class DebugServer : IAsyncLifetime
    {
        public ServerProcess Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(new ServerOptions().WithEnv("QDRANT__LOG_LEVEL", "DEBUG"));

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
