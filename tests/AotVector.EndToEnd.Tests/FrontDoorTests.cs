using Google.Protobuf;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// What an operator meets first: the command line, the routes of the reference that are not served yet, a JSON 404 for
/// the rest, and startup mistakes (log_level, service.host, a port in use) told in one line.
/// </summary>
public sealed class FrontDoorTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every route the reference 1.19 registers (its src/actix/api/*.rs) that this server does not serve, with concrete
    /// path values. The text is the reference feature each refusal names.
    /// </summary>
    public static TheoryData<string, string, string> ReferenceRoutesNotServed => new()
    {
        { "POST", "/collections/c/shards/0/snapshot/partial/create", "partial snapshots are" },
        { "POST", "/collections/c/shards/0/snapshot/partial/recover", "partial snapshots are" },
        { "POST", "/collections/c/shards/0/snapshot/partial/recover_from", "partial snapshots are" },
        { "GET", "/collections/c/shards/0/snapshot/partial/manifest", "partial snapshots are" },
        { "GET", "/collections/c/shards", "shard keys are" },
        { "PUT", "/collections/c/shards", "shard keys are" },
        { "POST", "/collections/c/shards/delete", "shard keys are" },
        { "POST", "/collections/c/shards/0/points", "local shard" },
        { "POST", "/collections/c/shards/0/points/scroll", "local shard" },
        { "POST", "/collections/c/shards/0/points/count", "local shard" },
        { "POST", "/collections/c/shards/0/cleanup", "local shard" },
        { "POST", "/cluster/recover", "cluster operations are" },
        { "DELETE", "/cluster/peer/7", "cluster operations are" },
        { "GET", "/cluster/telemetry", "cluster operations are" },
        { "GET", "/cluster/metadata/keys", "cluster operations are" },
        { "GET", "/cluster/metadata/keys/k", "cluster operations are" },
        { "PUT", "/cluster/metadata/keys/k", "cluster operations are" },
        { "DELETE", "/cluster/metadata/keys/k", "cluster operations are" },
        { "GET", "/quotas", "quotas are" },
        { "PUT", "/quotas", "quotas are" },
        { "GET", "/collections/c/memory", "memory" },
        { "POST", "/collections/c/truncate_unapplied_wal", "truncate_unapplied_wal" },
        { "GET", "/logger", "logger" },
        { "POST", "/logger", "logger" },
        { "GET", "/debugger", "debugger" },
        { "PATCH", "/debugger", "debugger" },
        { "GET", "/profiler/slow_requests", "profiler" },
        { "POST", "/audit/logs", "audit logs" },
        { "GET", "/stacktrace", "stack traces" },
        { "GET", "/dashboard", "web UI" },
        { "GET", "/dashboard/index.html", "web UI" },
    };

    [Theory]
    [MemberData(nameof(ReferenceRoutesNotServed))]
    public async Task A_reference_route_not_served_yet_answers_405_with_the_envelope(string method, string path, string feature)
    {
        var response = await fixture.Server.SendAsync(new HttpMethod(method), path, method is "GET" or "DELETE" ? null : "{}");

        var message = response.Error(405);
        response.Check(message.Contains(feature, StringComparison.Ordinal) && message.EndsWith(" not supported yet", StringComparison.Ordinal),
            $"the refusal names '{feature}' and says it is not supported yet");
        Assert.Equal("application/json", response.ContentType);
    }

    [Theory]
    [InlineData("GET", "/no/such/route")]
    [InlineData("POST", "/collections/c")]
    [InlineData("DELETE", "/collections/c/points")]
    [InlineData("GET", "/collections/c/snapshots/s/extra")]
    public async Task A_path_or_method_no_version_serves_is_404_with_the_envelope(string method, string path)
    {
        var response = await fixture.Server.SendAsync(new HttpMethod(method), path, method == "GET" ? null : "{}");

        var message = response.Error(404);
        response.Check(message.StartsWith("Not found: ", StringComparison.Ordinal) && message.Contains(path, StringComparison.Ordinal), "the 404 names the path");
    }

    [Fact]
    public async Task A_route_an_older_reference_served_is_404_saying_when_it_went()
    {
        var response = await fixture.Server.GetAsync("/locks");

        Assert.Equal("Not found: /locks was removed in Qdrant 1.16", response.Error(404));
    }

    [Fact]
    public async Task Served_routes_still_answer_beside_the_table()
    {
        const string name = "front_door_served";
        await fixture.Server.CreateCollectionAsync(name, """{"size": 2, "distance": "Dot"}""");

        (await fixture.Server.GetAsync($"/collections/{name}")).Ok();
        (await fixture.Server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0]}""")).Ok();
        (await fixture.Server.GetAsync("/cluster")).Ok();
        (await fixture.Server.GetAsync("/healthz")).Expect(200);
    }

    [Fact]
    public async Task An_unknown_field_in_a_create_body_is_accepted_and_named_in_a_warning()
    {
        const string name = "front_door_unknown_field";
        var created = await fixture.Server.PutAsync($"/collections/{name}", """{"vectors": {"size": 2, "distance": "Dot"}, "vectorz": {"size": 3}}""");
        created.Ok();

        var line = await WaitForLineAsync(fixture.Server, l => l.Contains("`vectorz`", StringComparison.Ordinal));
        Assert.True(line is not null, "a warning names the unknown field\n" + fixture.Server.Logs());
        Assert.Contains("warn", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(name, line, StringComparison.Ordinal);

        // Known fields of the reference that change nothing here are not reported as unknown.
        const string quiet = "front_door_known_fields";
        (await fixture.Server.PutAsync($"/collections/{quiet}", """{"vectors": {"size": 2, "distance": "Dot"}, "metadata": {}, "strict_mode_config": {}, "optimizer_config": {"indexing_threshold": 1000}}""")).Ok();
        await fixture.Server.GetAsync("/healthz");
        Assert.DoesNotContain(fixture.Server.StandardOutput.Split('\n'), l => l.Contains(quiet, StringComparison.Ordinal) && l.Contains("unknown field", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_field_in_a_grpc_create_is_accepted_and_named_in_a_warning()
    {
        const string name = "front_door_grpc_unknown_field";
        var known = new Qdrant.Client.Grpc.CreateCollection
        {
            CollectionName = name,
            VectorsConfig = new Qdrant.Client.Grpc.VectorsConfig { Params = new Qdrant.Client.Grpc.VectorParams { Size = 2, Distance = Qdrant.Client.Grpc.Distance.Dot } },
        }.ToByteArray();
        // Field 999 (varint 1), which no version of the message has: what a newer client's new field looks like here.
        byte[] message = [.. known, 0xB8, 0x3E, 0x01];
        byte[] framed = [0, (byte)(message.Length >> 24), (byte)(message.Length >> 16), (byte)(message.Length >> 8), (byte)message.Length, .. message];
        using (var grpc = new Fuzz.GrpcH2c(new Uri($"http://127.0.0.1:{fixture.Server.GrpcPort}")))
        {
            var outcome = await grpc.CallAsync("/qdrant.Collections/Create", framed, serverStreaming: false, encoding: null, CancellationToken.None);
            Assert.True(outcome.Code == 0, $"created: {outcome}");
        }

        var line = await WaitForLineAsync(fixture.Server, l => l.Contains("unknown field number 999", StringComparison.Ordinal));
        Assert.True(line is not null, "a warning names the unknown field's number\n" + fixture.Server.Logs());
        Assert.Contains("warn", line, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(name, line, StringComparison.Ordinal);
        (await fixture.Server.GetAsync($"/collections/{name}")).Ok();
    }

    [Fact]
    public async Task A_query_without_using_on_named_vectors_names_the_vectors()
    {
        const string name = "front_door_named";
        await fixture.Server.CreateCollectionAsync(name, """{"text": {"size": 2, "distance": "Dot"}, "image": {"size": 3, "distance": "Cosine"}}""");

        var missing = await fixture.Server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0]}""");
        var message = missing.Error(400);
        missing.Check(message.StartsWith("Wrong input: Not existing vector name error: ", StringComparison.Ordinal), "worded as the reference");
        missing.Check(message.Contains("`image`, `text`", StringComparison.Ordinal) && message.Contains("`using`", StringComparison.Ordinal), "names the vectors and `using`");

        var wrong = await fixture.Server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 0], "using": "txt"}""");
        var wrongMessage = wrong.Error(400);
        wrong.Check(wrongMessage.Contains("txt", StringComparison.Ordinal) && wrongMessage.Contains("`image`, `text`", StringComparison.Ordinal), "names the wrong name and the right ones");
    }

    [Fact]
    public async Task Help_lists_the_reference_flags_and_exits_0()
    {
        var (exitCode, stdout, stderr) = await RunToExitAsync("--help");

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{stdout}\n{stderr}");
        foreach (var flag in new[] { "--config-path", "--uri", "--bootstrap", "--disable-telemetry", "--snapshot", "--storage-snapshot", "--force-snapshot", "--stacktrace", "--reinit", "--version" })
        {
            Assert.Contains(flag, stdout, StringComparison.Ordinal);
        }

        var snapshotLine = stdout.Split('\n').Single(l => l.Contains("--snapshot <", StringComparison.Ordinal));
        Assert.DoesNotContain("Not supported yet", snapshotLine, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Version_prints_the_version_and_exits_0()
    {
        var (exitCode, stdout, stderr) = await RunToExitAsync("--version");

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{stdout}\n{stderr}");
        Assert.Matches(@"^aotvector \d+\.\d+\.\d+\s*$", stdout);
    }

    [Theory]
    [InlineData("--no-such-flag", "'--no-such-flag'")]
    [InlineData("stray", "'stray'")]
    [InlineData("--snapshot=/tmp/s.snapshot", "--snapshot: the collection name is missing")]
    [InlineData("--storage-snapshot", "--storage-snapshot")]
    public async Task A_bad_or_unsupported_flag_is_one_line_and_exit_2(string argument, string named)
    {
        var (exitCode, stdout, stderr) = await RunToExitAsync(argument);

        var context = $"exit code {exitCode}\nstdout: {stdout}\nstderr: {stderr}";
        Assert.True(exitCode == 2, context);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1 && lines[0].Contains(named, StringComparison.Ordinal), context);
        Assert.DoesNotContain("listening", stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_cluster_flag_starts_the_server_with_a_warning()
    {
        await using var server = ServerProcess.Create(new ServerOptions().WithArgs("--uri", "http://peer-1:6335"));
        server.Start();
        await server.WaitReadyAsync();

        var line = await WaitForLineAsync(server, l => l.Contains("--uri and --bootstrap (QDRANT_URI, QDRANT_BOOTSTRAP) have no effect: cluster.enabled is false", StringComparison.Ordinal));
        Assert.True(line is not null && line.Contains("warn", StringComparison.OrdinalIgnoreCase), "a warning names the flag\n" + server.Logs());
    }

    [Theory]
    [InlineData("LOUD")]
    [InlineData("info,storage=chatty")]
    public async Task An_invalid_log_level_is_one_line_naming_the_key_and_exit_2(string level)
    {
        await using var server = ServerProcess.Launch(new ServerOptions().WithEnv("QDRANT__LOG_LEVEL", level));
        var exitCode = await server.WaitForExitAsync(s_exitTimeout);

        var context = $"exit code {exitCode}\n{server.Logs()}";
        Assert.True(exitCode == 2, context);
        var lines = server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1 && lines[0].Contains("log_level", StringComparison.Ordinal) && lines[0].Contains("QDRANT__LOG_LEVEL", StringComparison.Ordinal), context);
    }

    [Fact]
    public async Task A_valid_log_level_with_targets_starts()
    {
        await using var server = ServerProcess.Create(new ServerOptions().WithEnv("QDRANT__LOG_LEVEL", "warn,collection=debug"));
        server.Start();
        await server.WaitReadyAsync();
    }

    [Fact]
    public async Task The_host_may_be_a_host_name()
    {
        var hostName = Dns.GetHostName();
        await using var server = ServerProcess.Create(new ServerOptions().WithEnv("QDRANT__SERVICE__HOST", hostName));
        server.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{hostName}:{server.HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpStatusCode? status = null;
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline && !server.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/readyz");
                status = response.StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        Assert.True(status == HttpStatusCode.OK, $"served on {hostName}\n{server.Logs()}");
    }

    [Fact]
    public async Task A_host_name_that_does_not_resolve_is_one_line_and_exit_2()
    {
        await using var server = ServerProcess.Launch(new ServerOptions().WithEnv("QDRANT__SERVICE__HOST", "no-such-host.invalid"));
        var exitCode = await server.WaitForExitAsync(s_exitTimeout);

        var context = $"exit code {exitCode}\n{server.Logs()}";
        Assert.True(exitCode == 2, context);
        var lines = server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1 && lines[0].Contains("service.host", StringComparison.Ordinal) && lines[0].Contains("no-such-host.invalid", StringComparison.Ordinal), context);
    }

    /// <summary>The REST port binds, the gRPC port is taken: no "listening" line for either, one line on stderr.</summary>
    [Fact]
    public async Task A_port_in_use_logs_no_listening_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        await using var server = ServerProcess.Launch(new ServerOptions().WithEnv("QDRANT__SERVICE__GRPC_PORT", port));
        var exitCode = await server.WaitForExitAsync(s_exitTimeout);

        var context = $"exit code {exitCode}\n{server.Logs()}";
        Assert.True(exitCode != 0, context);
        var lines = server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1 && lines[0].Contains(port, StringComparison.Ordinal), context);
        Assert.DoesNotContain("listening", server.StandardOutput, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", server.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(params string[] args)
    {
        await using var server = ServerProcess.Launch(new ServerOptions().WithArgs(args));
        var exitCode = await server.WaitForExitAsync(s_exitTimeout);
        return (exitCode, server.StandardOutput, server.StandardError);
    }

    /// <summary>The server's output arrives asynchronously: waits a little for a line to show up.</summary>
    private static async Task<string?> WaitForLineAsync(ServerProcess server, Func<string, bool> match)
    {
        for (var i = 0; i < 200; i++)
        {
            var line = (server.StandardOutput + "\n" + server.StandardError).Split('\n').FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(50);
        }

        return null;
    }
}
