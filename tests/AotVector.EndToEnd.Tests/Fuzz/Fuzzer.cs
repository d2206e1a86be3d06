using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Qdrant.Client.Grpc;

namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>
/// A seeded fuzz run against a running server: mutated REST requests (and a few odd raw HTTP/1.1 ones) on the
/// REST port, mutated protobuf requests for every method in protos/ on the gRPC port, one at a time. A failure is
/// a REST status of 500 or more, a gRPC UNKNOWN, INTERNAL or DATA_LOSS (or no status at all), or no answer in
/// time. The same seed sends the same requests.
/// </summary>
internal sealed class Fuzzer
{
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>gRPC's own INTERNAL answers to broken framing (not to the message): expected for those requests only.</summary>
    private static readonly string[] s_framingInternal =
    [
        "Incomplete message.", "Additional data after the message received.", "Request did not include grpc-encoding value with compressed message.",
    ];

    private static readonly string[] s_oddCollections = ["", "fuzz_alias", "no_such_collection", new string('c', 300), "..", "fuzz/points", "\ud83d\ude00", " fuzz", "fuzz\u0000", "%", "FUZZ"];
    private static readonly string[] s_ids = ["1", "2", "3", "17", "40", "999", "0", "\"5c56c793-69f3-4fbf-87e6-c4bf54c28c26\"", "\"5c56c79369f34fbf87e6c4bf54c28c26\"", "-1", "1.5", "\"abc\"", "18446744073709551615", "18446744073709551616", "null", "[1]", "{}"];
    private static readonly string[] s_fields = ["city", "n", "tags", "geo", "ts", "nested[].x", "obj.k", "", "a..b", "[]", "\u00e9t\u00e9", "city "];
    private static readonly string[] s_queryOddities = ["wait=maybe", "wait=", "timeout=-1", "timeout=99999999999999999999", "timeout=0", "ordering=zzz", "ordering=strong", "wait=true&wait=false", "%ff=%fe", "exact=yes"];
    private static readonly string[] s_contentTypes = ["text/plain", "application/json; charset=utf-16", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/grpc"];

    private static readonly string[] s_statusNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    private readonly Random _rng;
    private readonly JsonMutator _json;
    private readonly ProtoMessages _proto;
    private readonly FuzzReport _report;
    private readonly List<MethodDescriptor> _methods;
    private readonly Dictionary<string, byte[]> _seeds;
    private TextWriter? _progress;
    private string _last = "";

    private Fuzzer(int seed)
    {
        _rng = new Random(seed);
        _json = new JsonMutator(_rng);
        _proto = new ProtoMessages(_rng);
        _report = new FuzzReport { Seed = seed };
        _methods = ProtoMethods.All;
        _seeds = ProtoSeeds.Json.ToDictionary(
            s => s.Key,
            s => JsonParser.Default.Parse(s.Value, _methods.Single(m => ProtoMethods.Path(m) == s.Key).InputType).ToByteArray(),
            StringComparer.Ordinal);
    }

    /// <summary>Sends <paramref name="restCount"/> REST and <paramref name="grpcCount"/> gRPC requests, interleaved.</summary>
    public static async Task<FuzzReport> RunAsync(ServerProcess server, int seed, int restCount, int grpcCount, TextWriter? progress = null)
    {
        var (restPort, grpcPort) = (server.HttpPort, server.GrpcPort);
        var fuzzer = new Fuzzer(seed) { _progress = progress };
        var started = DateTime.UtcNow;
        using var rest = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{restPort}"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        using var grpc = new GrpcH2c(new Uri($"http://127.0.0.1:{grpcPort}"));
        using (var setup = new CancellationTokenSource(s_requestTimeout))
        {
            await FuzzData.EnsureAsync(rest, setup.Token).ConfigureAwait(false);
        }

        var restLeft = restCount;
        var grpcLeft = grpcCount;
        for (var i = 0; restLeft + grpcLeft > 0; i++)
        {
            if (i > 0 && i % 200 == 0)
            {
                // Mutated deletes remove the fuzz collections now and then; most requests should find them.
                using var setup = new CancellationTokenSource(s_requestTimeout);
                await FuzzData.EnsureAsync(rest, setup.Token).ConfigureAwait(false);
                progress?.WriteLine($"{i} requests, {fuzzer._report.FailureCount} failures, {(DateTime.UtcNow - started).TotalSeconds:F0} s");
            }

            if (fuzzer._rng.Next(restLeft + grpcLeft) < restLeft)
            {
                restLeft--;
                await fuzzer.RestAsync(rest, restPort).ConfigureAwait(false);
            }
            else
            {
                grpcLeft--;
                await fuzzer.GrpcAsync(grpc).ConfigureAwait(false);
            }

            if (server.HasExited)
            {
                fuzzer.Fail($"the server exited (code {server.ExitCode})", "the request before: " + fuzzer._last);
                break;
            }
        }

        fuzzer._report.Elapsed = DateTime.UtcNow - started;
        return fuzzer._report;
    }

    private async Task RestAsync(HttpClient rest, int port)
    {
        if (_rng.Next(30) == 0)
        {
            await RawAsync(port).ConfigureAwait(false);
            return;
        }

        var (method, path, body, contentType) = NextRest();
        var described = _last = $"REST {method} {Shorten(path)} [{contentType}] {Shorten(body is null ? "" : Encoding.UTF8.GetString(body))}";
        _report.RestSent++;
        using var cts = new CancellationTokenSource(s_requestTimeout);
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            var started = DateTime.UtcNow;
            using var response = await rest.SendAsync(request, cts.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cts.Token).ConfigureAwait(false);
            _report.Took(DateTime.UtcNow - started, described);
            FuzzReport.Count(_report.RestStatuses, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (status >= 500)
            {
                Fail($"REST {method} {Route(path)} -> HTTP {status} {Shorten(text, 160)}", described);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            FuzzReport.Count(_report.RestStatuses, "timeout");
            Fail($"REST {method} {Route(path)} -> no answer within {s_requestTimeout.TotalSeconds} s", described);
        }
        catch (HttpRequestException e)
        {
            FuzzReport.Count(_report.RestStatuses, "connection error");
            Fail($"REST {method} {Route(path)} -> {e.Message}", described);
        }
    }

    private (string Method, string Path, byte[]? Body, string? ContentType) NextRest()
    {
        var (method, template, bodyTemplate) = RestCases.All[_rng.Next(RestCases.All.Count)];
        var lifecycle = template == "/collections/{c}" && method is "PUT" or "DELETE" or "PATCH";
        var collection = lifecycle ? CollectionToCreate() : CollectionToUse();
        var id = s_ids[_rng.Next(s_ids.Length)];
        var field = s_fields[_rng.Next(s_fields.Length)];
        var path = template
            .Replace("{c}", Uri.EscapeDataString(collection), StringComparison.Ordinal)
            .Replace("{id}", Uri.EscapeDataString(id.Trim('"')), StringComparison.Ordinal)
            .Replace("{f}", Uri.EscapeDataString(field), StringComparison.Ordinal);
        if (_rng.Next(7) == 0)
        {
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + s_queryOddities[_rng.Next(s_queryOddities.Length)];
        }

        if (_rng.Next(40) == 0)
        {
            method = Pick(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]);
        }

        var json = bodyTemplate?
            .Replace("{c}", JsonText(collection), StringComparison.Ordinal)
            .Replace("{id}", id, StringComparison.Ordinal)
            .Replace("{f}", JsonText(field), StringComparison.Ordinal);
        byte[]? body = _rng.Next(10) switch
        {
            < 7 when json is not null => MutateJson(json),
            < 9 when json is not null => Encoding.UTF8.GetBytes(json),
            9 => _json.Garbage(),
            _ => null,
        };
        var contentType = _rng.Next(15) == 0 ? Pick(s_contentTypes) : _rng.Next(60) == 0 ? null : "application/json";
        return (method, path, body, contentType);
    }

    private byte[] MutateJson(string json)
    {
        try
        {
            return _json.Mutate(json);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
        {
            // A mutation the JSON writer refused to write (an invalid surrogate): send the template instead.
            return Encoding.UTF8.GetBytes(json);
        }
    }

    private string CollectionToUse() => _rng.Next(20) switch
    {
        < 14 => FuzzData.Collection,
        < 17 => FuzzData.NamedCollection,
        _ => Pick(s_oddCollections),
    };

    private string CollectionToCreate() => _rng.Next(40) switch
    {
        < 30 => "fuzz_new",
        < 34 => "fuzz_new2",
        < 38 => Pick(s_oddCollections),
        _ => Pick([FuzzData.Collection, FuzzData.NamedCollection]),
    };

    private async Task RawAsync(int port)
    {
        var (head, body, endInput) = RawOddity();
        var described = _last = $"raw {Shorten(head.Replace("\r\n", " | ", StringComparison.Ordinal))}";
        _report.RawSent++;
        using var cts = new CancellationTokenSource(s_requestTimeout);
        try
        {
            var (status, response) = await RawHttp1.SendAsync(port, head, body, endInput, cts.Token).ConfigureAwait(false);
            FuzzReport.Count(_report.RestStatuses, status == 0 ? "raw: closed" : "raw: " + status);
            if (status >= 500)
            {
                Fail($"raw -> {response.Split('\r')[0]} {Shorten(response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], 160)}", described);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            FuzzReport.Count(_report.RestStatuses, "timeout");
            Fail($"raw -> no answer within {s_requestTimeout.TotalSeconds} s", described);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            FuzzReport.Count(_report.RestStatuses, "connection error");
            Fail($"raw -> {e.Message}", described);
        }
    }

    /// <summary>Request lines, headers and framings HttpClient would not send; whether the request ends the input.</summary>
    private (string Head, byte[] Body, bool EndInput) RawOddity()
    {
        const string Close = "Connection: close";
        static (string, byte[], bool) Get(string target, params string[] headers) =>
            ($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{Close}\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n", [], false);
        static (string, byte[], bool) Post(string target, string body, params string[] headers) =>
            ($"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{Close}\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n", Encoding.Latin1.GetBytes(body), false);
        static (string, byte[], bool) CutShort((string Head, byte[] Body, bool) request) => (request.Head, request.Body, true);

        return _rng.Next(26) switch
        {
            0 => Get("/collections/%00"),
            1 => Get("/collections/%ff%fe/points/1"),
            2 => Get("/collections/" + new string('a', 6000)),
            3 => Get("/collections/fuzz/points/%2e%2e"),
            4 => Get("/collections/fuzz/points/18446744073709551616"),
            5 => Get("/collections/fuzz/points/-1"),
            6 => Get("/collections//points"),
            7 => Get("/collections/fuzz?wait=%ff&timeout=%00"),
            8 => Post("/collections/fuzz/points/scroll", "{\"limit\":1}", "Content-Type: text/plain", "Content-Length: 11"),
            9 => Post("/collections/fuzz/points/scroll", "{\"limit\":1}", "Content-Length: 11"),
            10 => Post("/collections/fuzz/points/count", "{\"exact\":true}", "Content-Type: application/json; charset=utf-16", "Content-Length: 14"),
            11 => Post("/collections/fuzz/points/scroll", "5\r\n{\"lim\r\n0\r\n\r\n", "Content-Type: application/json", "Transfer-Encoding: chunked"),
            12 => Post("/collections/fuzz/points/scroll", "zz\r\n{}\r\n0\r\n\r\n", "Content-Type: application/json", "Transfer-Encoding: chunked"),
            13 => Post("/collections/fuzz/points/scroll", "{}{}", "Content-Type: application/json", "Content-Length: 1"),
            14 => Post("/collections/fuzz/points/count", "\u001f\u008b\u0008garbage", "Content-Type: application/json", "Content-Encoding: gzip", "Content-Length: 10"),
            15 => ($"FOO /collections HTTP/1.1\r\nHost: 127.0.0.1\r\n{Close}\r\n\r\n", [], false),
            16 => ("GET /collections HTTP/1.0\r\n\r\n", [], false),
            17 => ($"GET http://127.0.0.1/collections/fuzz HTTP/1.1\r\nHost: 127.0.0.1\r\n{Close}\r\n\r\n", [], false),
            18 => Get("/collections", "X-Big: " + new string('a', 40_000)),
            19 => Get("/collections", [.. Enumerable.Range(0, 300).Select(i => $"X-H{i}: {i}")]),
            20 => ($"GET /collections HTTP/1.1\r\nHost:\r\nHost: a\r\n{Close}\r\n\r\n", [], false),
            21 => Post("/qdrant.Points/Search", "\0\0\0\0\0", "Content-Type: application/grpc", "Content-Length: 5"),
            22 => Get("/collections/fuzz/points/%7B%7D", "Content-Length: abc"),
            23 => ($"GET /collections/fuzz HTTP/1.1\r\nHost: 127.0.0.1\r\n{Close}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", [], false),
            // Bodies cut short: the client goes away mid-body.
            24 => CutShort(Post("/collections/fuzz/points/scroll", "{\"limit\":1}", "Content-Type: application/json", "Content-Length: 100")),
            _ => CutShort(Post("/collections/fuzz/points/count", "5\r\n{\"exa", "Content-Type: application/json", "Transfer-Encoding: chunked")),
        };
    }

    private async Task GrpcAsync(GrpcH2c grpc)
    {
        var method = _methods[_rng.Next(_methods.Count)];
        var path = ProtoMethods.Path(method);
        var (body, encoding, kind) = NextGrpcBody(method, path);
        var described = _last = $"gRPC {path} ({kind}{(encoding is null ? "" : ", grpc-encoding " + encoding)}) body {Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 600)))}{(body.Length > 600 ? "…" : "")} ({body.Length} bytes)";
        _report.GrpcSent++;
        using var cts = new CancellationTokenSource(s_requestTimeout);
        try
        {
            var started = DateTime.UtcNow;
            var outcome = await grpc.CallAsync(path, body, method.IsServerStreaming, encoding, cts.Token).ConfigureAwait(false);
            _report.Took(DateTime.UtcNow - started, described);
            var name = outcome.Code is { } code ? StatusName(code) : "none";
            FuzzReport.Count(_report.GrpcStatuses, name);
            var bad = outcome.Code is null or 2 or 15
                || (outcome.Code == 13 && !(kind == "framing" && s_framingInternal.Contains(outcome.Message)))
                || outcome.Http >= 500;
            if (bad)
            {
                Fail($"gRPC {path} -> HTTP {outcome.Http}, {name}: {Shorten(outcome.Message, 160)}", described);
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            FuzzReport.Count(_report.GrpcStatuses, "timeout");
            Fail($"gRPC {path} -> no answer within {s_requestTimeout.TotalSeconds} s", described);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            FuzzReport.Count(_report.GrpcStatuses, "stream error");
            Fail($"gRPC {path} -> {e.GetType().Name}: {e.Message}", described);
        }
    }

    /// <summary>A framed request body: mostly a valid message with random fields merged in, or a random one.</summary>
    private (byte[] Body, string? Encoding, string Kind) NextGrpcBody(MethodDescriptor method, string path)
    {
        var seed = _seeds.GetValueOrDefault(path);
        var r = _rng.Next(100);
        if (r >= 95)
        {
            return Framing(seed ?? _proto.Message(method.InputType));
        }

        var (message, kind) = r switch
        {
            < 45 when seed is not null => ([.. seed, .. _proto.Message(method.InputType)], "seed+random"),
            < 75 => (_proto.Message(method.InputType), "random"),
            < 88 => (MutateBytes(seed is not null && _rng.Next(2) == 0 ? seed : _proto.Message(method.InputType)), "mutated"),
            _ => (RandomBytes(_rng.Next(64)), "bytes"),
        };
        return (Frame(0, message), null, kind);
    }

    private (byte[] Body, string? Encoding, string Kind) Framing(byte[] message)
    {
        const string Kind = "framing";
        return _rng.Next(10) switch
        {
            0 => (Frame((byte)_rng.Next(2, 256), message), null, Kind),
            1 => ([.. Frame(0, message)[..5], .. message[..^Math.Min(message.Length, 1 + _rng.Next(4))]], null, Kind),
            2 => ([.. Frame(0, message), .. Frame(0, message)], null, Kind),
            3 => ([.. Frame(0, message), 0], null, Kind),
            4 => (Frame(1, Gzip(message)), "gzip", Kind),
            5 => (Frame(1, RandomBytes(1 + _rng.Next(40))), "gzip", Kind),
            6 => (Frame(1, message), null, Kind),
            7 => (Frame(1, message), "br", Kind),
            8 => ([0, 0xff, 0xff, 0xff, 0xff, .. message], null, Kind),
            _ => ([], null, Kind),
        };
    }

    private byte[] MutateBytes(byte[] message)
    {
        if (message.Length == 0)
        {
            return RandomBytes(1 + _rng.Next(8));
        }

        var at = _rng.Next(message.Length);
        switch (_rng.Next(4))
        {
            case 0:
                return message[..at];
            case 1:
                var flipped = (byte[])message.Clone();
                flipped[at] ^= (byte)(1 << _rng.Next(8));
                return flipped;
            case 2:
                return [.. message[..at], .. RandomBytes(1 + _rng.Next(6)), .. message[at..]];
            default:
                // A length prefix somewhere made huge: varint 2^32-1.
                return [.. message[..at], 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, .. message[at..]];
        }
    }

    private void Fail(string answer, string request)
    {
        _report.Fail(answer, request);
        _progress?.WriteLine($"FAIL {answer}\n  request: {request}");
    }

    private static byte[] Frame(byte flag, byte[] message)
    {
        var framed = new byte[5 + message.Length];
        framed[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _rng.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(T[] values) => values[_rng.Next(values.Length)];

    private static string StatusName(int code) => code is >= 0 and < 17
        ? s_statusNames[code]
        : code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string JsonText(string value) => System.Text.Json.JsonSerializer.Serialize(value)[1..^1];

    private static string Shorten(string text, int max = 400) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>The path without its query, with the collection name folded, to group failures by route.</summary>
    private static string Route(string path)
    {
        var route = path.Split('?')[0];
        return route.StartsWith("/collections/", StringComparison.Ordinal) && route.Split('/') is { Length: > 3 } parts
            ? "/collections/{c}/" + string.Join('/', parts[3..])
            : route;
    }
}
