using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AotVector.EndToEnd.Tests.Fuzz;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// What an operator who swaps the reference for us relies on: /metrics with its metric names, types and labels,
/// /telemetry by detail level, the optimizations and issues APIs, and JSON log lines.
/// </summary>
public sealed class ObservabilityTests
{
    /// <summary>
    /// The families the reference (1.19, src/common/metrics.rs) exports on a single node once a collection exists and
    /// REST and gRPC requests have been answered, with their Prometheus types. Families it writes only in cluster
    /// mode, with quotas, hardware reporting or audit logging are not listed.
    /// </summary>
    private static readonly (string Name, string Type)[] ReferenceFamilies =
    [
        ("app_info", "gauge"),
        ("app_status_recovery_mode", "gauge"),
        ("collections_total", "gauge"),
        ("collections_vector_total", "gauge"),
        ("collection_vectors", "gauge"),
        ("collection_active_replicas_min", "gauge"),
        ("collection_active_replicas_max", "gauge"),
        ("collection_running_optimizations", "gauge"),
        ("collection_points", "gauge"),
        ("collection_dead_replicas", "gauge"),
        ("snapshot_creation_running", "gauge"),
        ("snapshot_recovery_running", "gauge"),
        ("snapshot_created_total", "counter"),
        ("collection_shard_transfer_incoming", "gauge"),
        ("collection_shard_transfer_outgoing", "gauge"),
        ("collection_update_queue_length", "gauge"),
        ("collection_update_queue_deferred_points", "gauge"),
        ("cluster_enabled", "gauge"),
        ("rest_responses_total", "counter"),
        ("rest_responses_avg_duration_seconds", "gauge"),
        ("rest_responses_min_duration_seconds", "gauge"),
        ("rest_responses_max_duration_seconds", "gauge"),
        ("rest_responses_duration_seconds", "histogram"),
        ("grpc_responses_total", "counter"),
        ("grpc_responses_avg_duration_seconds", "gauge"),
        ("grpc_responses_min_duration_seconds", "gauge"),
        ("grpc_responses_max_duration_seconds", "gauge"),
        ("grpc_responses_duration_seconds", "histogram"),
        ("memory_active_bytes", "gauge"),
        ("memory_allocated_bytes", "gauge"),
        ("memory_metadata_bytes", "gauge"),
        ("memory_resident_bytes", "gauge"),
        ("memory_retained_bytes", "gauge"),
        ("process_threads", "gauge"),
        ("process_open_mmaps", "gauge"),
        ("system_max_mmaps", "gauge"),
        ("process_open_fds", "gauge"),
        ("process_max_fds", "gauge"),
        ("process_minor_page_faults_total", "counter"),
        ("process_major_page_faults_total", "counter"),
    ];

    /// <summary>The reference's histogram bucket bounds (DEFAULT_BUCKET_BOUNDARIES_MICROS, in seconds).</summary>
    private static readonly string[] ReferenceBuckets = ["0.001", "0.005", "0.01", "0.02", "0.05", "0.1", "0.5", "1", "5", "10", "50", "+Inf"];

    private const string Query = "/collections/{collection_name}/points/query";

    [Fact]
    public async Task Metrics_carry_the_reference_families_types_and_labels()
    {
        await using var server = await ServerProcess.StartAsync();
        await CreateAsync(server, "obs", points: 20);
        for (var i = 0; i < 3; i++)
        {
            (await server.PostAsync("/collections/obs/points/query", """{"query":[0.1,0.2,0.3,0.4],"limit":3}""")).Ok();
        }

        (await server.PostAsync("/collections/missing/points/query", """{"query":[0.1,0.2,0.3,0.4]}""")).Expect(404);
        using (var grpc = new GrpcH2c(new Uri($"http://127.0.0.1:{server.GrpcPort}")))
        {
            // An empty CountPoints message names no collection: refused, and counted under its status.
            await grpc.CallAsync("/qdrant.Points/Count", [0, 0, 0, 0, 0], serverStreaming: false, encoding: null, CancellationToken.None);
        }

        var text = (await server.GetAsync("/metrics")).Text;
        var lines = text.Split('\n');
        var missing = ReferenceFamilies.Where(f => !lines.Contains($"# TYPE {f.Name} {f.Type}")).Select(f => $"{f.Name} ({f.Type})").ToList();
        Assert.True(missing.Count == 0, "missing or mistyped families: " + string.Join(", ", missing) + "\n" + text);

        Assert.Contains("\ncollections_total 1\n", text);
        Assert.Contains("\ncollection_points{id=\"obs\"} 20\n", text);
        Assert.Contains("\ncollection_vectors{collection=\"obs\",vector=\"\"} 20\n", text);
        Assert.Contains("\ncollections_vector_total 20\n", text);
        Assert.Contains($"\nrest_responses_total{{method=\"POST\",endpoint=\"{Query}\",status=\"200\"}} 3\n", text);
        // A 404 is counted but not timed, as the reference times only 200 answers.
        Assert.Contains($"\nrest_responses_total{{method=\"POST\",endpoint=\"{Query}\",status=\"404\"}} 1\n", text);
        Assert.DoesNotContain($"rest_responses_avg_duration_seconds{{method=\"POST\",endpoint=\"{Query}\",status=\"404\"}}", text);
        var buckets = lines.Where(l => l.StartsWith($"rest_responses_duration_seconds_bucket{{method=\"POST\",endpoint=\"{Query}\",status=\"200\",le=", StringComparison.Ordinal)).ToList();
        Assert.Equal(ReferenceBuckets, buckets.Select(l => l[(l.IndexOf("le=\"", StringComparison.Ordinal) + 4)..l.LastIndexOf('"')]));
        Assert.EndsWith(" 3", buckets[^1]);
        Assert.Contains($"\nrest_responses_duration_seconds_count{{method=\"POST\",endpoint=\"{Query}\",status=\"200\"}} 3\n", text);
        Assert.Contains("\ngrpc_responses_total{endpoint=\"/qdrant.Points/Count\",status=\"3\"} 1\n", text);
        Assert.Matches("\napp_info\\{name=\"aotvector\",version=\"[^\"]+\"\\} 1\n", text);
        // Routes outside the reference's list (collection management here) stay out of the response families.
        Assert.DoesNotContain("endpoint=\"/collections/{collection_name}\"", text);

        // Our own families are still there.
        foreach (var own in new[] { "auth_failures_total", "auth_throttled_total", "audit_lines_dropped_total", "process_uptime_seconds" })
        {
            Assert.Contains($"\n# TYPE {own} ", text);
        }

        var perCollection = (await server.GetAsync("/metrics?per_collection=true")).Text;
        Assert.Contains($"\nrest_responses_total{{method=\"POST\",endpoint=\"{Query}\",status=\"200\",collection=\"obs\"}} 3\n", perCollection);
    }

    [Fact]
    public async Task Uptime_counts_from_process_start_not_from_the_first_scrape()
    {
        var launched = Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync();
        var ready = launched.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2));

        var first = Uptime((await server.GetAsync("/metrics")).Text);
        Assert.True(first >= 2.0, $"first scrape 2 s after the server was ready reads uptime {first}");
        Assert.True(first <= launched.Elapsed.TotalSeconds + 1, $"uptime {first} is longer than the process can have lived ({launched.Elapsed.TotalSeconds} s, ready after {ready.TotalSeconds} s)");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var second = Uptime((await server.GetAsync("/metrics")).Text);
        Assert.True(second >= first + 1, $"uptime went from {first} to {second} over a second");
    }

    [Fact]
    public async Task Metrics_prefix_goes_before_every_metric_name()
    {
        await using var server = await ServerProcess.StartAsync(new ServerOptions().WithEnv("QDRANT__SERVICE__METRICS_PREFIX", "qdrant_"));
        await CreateAsync(server, "obs", points: 5);
        var text = (await server.GetAsync("/metrics")).Text;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var unprefixed = lines.Where(l => !(l.StartsWith("qdrant_", StringComparison.Ordinal) || l.StartsWith("# HELP qdrant_", StringComparison.Ordinal) || l.StartsWith("# TYPE qdrant_", StringComparison.Ordinal))).ToList();
        Assert.True(unprefixed.Count == 0, "lines without the prefix:\n" + string.Join("\n", unprefixed));
        Assert.Contains("# TYPE qdrant_collections_total gauge", lines);
        Assert.Contains("qdrant_collection_points{id=\"obs\"} 5", lines);
        Assert.Contains(lines, l => l.StartsWith("qdrant_process_uptime_seconds ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_prefix_with_other_characters_is_refused_at_startup()
    {
        await using var server = ServerProcess.Launch(new ServerOptions().WithEnv("QDRANT__SERVICE__METRICS_PREFIX", "qdrant-"));
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 2, $"exit code {exitCode}\n{server.Logs()}");
        Assert.Contains("service.metrics_prefix", server.StandardError, StringComparison.Ordinal);
    }

    private static double Uptime(string metrics)
    {
        var line = metrics.Split('\n').Single(l => l.StartsWith("process_uptime_seconds ", StringComparison.Ordinal));
        return double.Parse(line["process_uptime_seconds ".Length..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Telemetry_shows_more_at_each_details_level()
    {
        await using var server = await ServerProcess.StartAsync();
        await CreateAsync(server, "obs", points: 12);
        (await server.PostAsync("/collections/obs/points/query", """{"query":[0.1,0.2,0.3,0.4],"limit":3}""")).Ok();

        var level0 = (await server.GetAsync("/telemetry")).Ok();
        Assert.True(Guid.TryParse(level0.At("id").GetString(), out _), "id is this run's uuid");
        Assert.Equal("aotvector", level0.At("app.name").GetString());
        Assert.True(level0.At("app").Has("startup"));
        Assert.False(level0.At("app").Has("system"));
        Assert.Equal(1, level0.At("collections.number_of_collections").GetInt32());
        Assert.False(level0.At("collections").Has("collections"));
        var queries = level0.At("requests.rest.responses").GetProperty("POST " + Query).GetProperty("200");
        Assert.Equal(1, queries.GetProperty("count").GetInt32());
        Assert.True(queries.Has("avg_duration_micros"));
        Assert.False(queries.Has("max_duration_micros"));
        Assert.False(level0.Has("memory"));

        var level1 = (await server.GetAsync("/telemetry?details_level=1")).Ok();
        Assert.True(level1.At("app").Has("features") && level1.At("app").Has("system"));
        Assert.True(level1.At("memory.resident_bytes").GetInt64() > 0);
        var summary = level1.At("collections.collections")[0];
        Assert.Equal(12, summary.At("vectors").GetInt32());
        Assert.Equal("ok", summary.At("optimizers_status").GetString());
        Assert.Equal(4, summary.At("params.vectors.size").GetInt32());
        Assert.True(level1.At("requests.rest.responses").GetProperty("POST " + Query).GetProperty("200").Has("max_duration_micros"));

        var level2 = (await server.GetAsync("/telemetry?details_level=2")).Ok();
        var full = level2.At("collections.collections")[0];
        Assert.Equal("obs", full.At("id").GetString());
        Assert.Equal("Cosine", full.At("config.params.vectors.distance").GetString());
        Assert.True(full.At("config").Has("optimizer_config"));
        Assert.False(full.Has("shards"));

        var level3 = (await server.GetAsync("/telemetry?details_level=3")).Ok();
        var local = level3.At("collections.collections")[0].At("shards")[0].At("local");
        Assert.Equal(12, local.At("num_points").GetInt32());
        Assert.Equal(12, local.At("num_vectors_by_name").GetProperty("").GetInt32());
        Assert.Equal("ok", local.At("optimizations.status").GetString());
        Assert.False(local.Has("segments"));

        var level4 = (await server.GetAsync("/telemetry?details_level=4")).Ok();
        var local4 = level4.At("collections.collections")[0].At("shards")[0].At("local");
        var segments = local4.At("segments").EnumerateArray().ToList();
        Assert.Equal(12, segments.Sum(s => s.At("info.num_points").GetInt32()));
        Assert.Contains(segments, s => s.At("info.is_appendable").GetBoolean());
        Assert.Equal(JsonValueKind.Array, local4.At("optimizations.log").ValueKind);

        var anonymized = (await server.GetAsync("/telemetry?details_level=2&anonymize=true")).Ok();
        Assert.NotEqual("obs", anonymized.At("collections.collections")[0].At("id").GetString());

        (await server.GetAsync("/telemetry?details_level=high")).Expect(400);
    }

    [Fact]
    public async Task Optimizations_list_running_queued_completed_and_idle_work()
    {
        await using var server = await ServerProcess.StartAsync();
        // 1 KB of vectors seals the appendable segment, which then gets its graph: two finished jobs to list.
        (await server.PutAsync("/collections/opt", """
            {"vectors":{"size":4,"distance":"Dot"},"optimizers_config":{"indexing_threshold":1,"default_segment_number":1}}
            """)).Ok();
        await UpsertAsync(server, "opt", 200);

        JsonElement result = default;
        for (var attempt = 0; attempt < 120; attempt++)
        {
            result = (await server.GetAsync("/collections/opt/optimizations?with=queued,completed,idle_segments")).Ok();
            if (result.At("completed").EnumerateArray().Any(o => o.At("optimizer").GetString() == "indexing" && o.At("status").ValueKind == JsonValueKind.String && o.At("status").GetString() == "done")
                && result.At("running").GetArrayLength() == 0 && result.At("queued").GetArrayLength() == 0)
            {
                break;
            }

            await Task.Delay(250);
        }

        var done = result.At("completed").EnumerateArray().First(o => o.At("optimizer").GetString() == "indexing");
        Assert.Equal("done", done.At("status").GetString());
        Assert.True(done.At("segments").GetArrayLength() >= 1);
        Assert.True(done.At("progress").Has("finished_at") && done.At("progress").Has("duration_sec"));
        Assert.Equal(0, result.At("summary.queued_optimizations").GetInt32());
        Assert.True(result.At("summary.idle_segments").GetInt32() >= 1);
        Assert.Equal(result.At("summary.idle_segments").GetInt32(), result.At("idle_segments").GetArrayLength());
        Assert.Equal(200, result.At("idle_segments").EnumerateArray().Sum(s => s.At("points_count").GetInt32()));

        var plain = (await server.GetAsync("/collections/opt/optimizations")).Ok();
        Assert.Equal(JsonValueKind.Array, plain.At("running").ValueKind);
        Assert.False(plain.Has("queued") || plain.Has("completed") || plain.Has("idle_segments"));

        var limited = (await server.GetAsync("/collections/opt/optimizations?with=completed&completed_limit=1")).Ok();
        Assert.Equal(1, limited.At("completed").GetArrayLength());

        Assert.Contains("Unknown field in 'with' parameter: everything", (await server.GetAsync("/collections/opt/optimizations?with=everything")).Error(400));
        (await server.GetAsync("/collections/nope/optimizations")).Expect(404);
    }

    [Fact]
    public async Task Slow_queries_on_unindexed_fields_raise_issues_that_an_index_solves()
    {
        // Every query counts as slow, so the issue does not depend on how fast this machine is.
        await using var server = await ServerProcess.StartAsync(new ServerOptions().WithEnv("QDRANT__SERVICE__SLOW_QUERY_SECS", "0"));
        await CreateAsync(server, "books", points: 10);
        Assert.Equal(0, (await server.GetAsync("/issues")).Ok().At("issues").GetArrayLength());

        (await server.PostAsync("/collections/books/points/query", """
            {"query":[0.1,0.2,0.3,0.4],"filter":{"must":[{"key":"author","match":{"value":"tolkien"}}]}}
            """)).Ok();
        (await server.PostAsync("/collections/books/points/query", """
            {"query":[0.1,0.2,0.3,0.4],"filter":{"should":[{"key":"year","range":{"gte":1950}}]}}
            """)).Ok();

        var issues = (await server.GetAsync("/issues")).Ok().At("issues").EnumerateArray().ToList();
        var author = issues.Single(i => i.At("id").GetString() == "UNINDEXED_FIELD/books/author");
        Assert.Equal("Unindexed field 'author' might be slowing queries down in collection 'books'", author.At("description").GetString());
        Assert.Equal("books", author.At("related_collection").GetString());
        var fix = author.At("solution.immediate");
        Assert.Equal(
            "Create an index on field 'author' of schema \"keyword\" in collection 'books'. Check the documentation for more details: https://qdrant.tech/documentation/concepts/indexing/#payload-index",
            fix.At("message").GetString());
        Assert.Equal("PUT", fix.At("action.method").GetString());
        Assert.Equal("/collections/books/index", fix.At("action.uri").GetString());
        Assert.Equal("application/json", fix.At("action.headers").GetProperty("content-type").GetString());
        Assert.Equal("author", fix.At("action.body.field_name").GetString());
        Assert.Equal("keyword", fix.At("action.body.field_schema").GetString());

        // A numeric range may be served by an integer or a float index: a choice.
        var year = issues.Single(i => i.At("id").GetString() == "UNINDEXED_FIELD/books/year");
        var choices = year.At("solution.immediate_choice").EnumerateArray().Select(c => c.At("action.body.field_schema").GetString()).Order().ToList();
        Assert.Equal(["float", "integer"], choices);

        // The fix, applied, solves the issue.
        (await server.PutAsync("/collections/books/index?wait=true", """{"field_name":"author","field_schema":"keyword"}""")).Ok();
        var left = (await server.GetAsync("/issues")).Ok().At("issues").EnumerateArray().Select(i => i.At("id").GetString()).ToList();
        Assert.Equal(["UNINDEXED_FIELD/books/year"], left);

        // An indexed field raises nothing.
        (await server.PostAsync("/collections/books/points/query", """
            {"query":[0.1,0.2,0.3,0.4],"filter":{"must":[{"key":"author","match":{"value":"tolkien"}}]}}
            """)).Ok();
        Assert.Single((await server.GetAsync("/issues")).Ok().At("issues").EnumerateArray());

        Assert.True((await server.DeleteAsync("/issues")).Ok().GetBoolean());
        Assert.Equal(0, (await server.GetAsync("/issues")).Ok().At("issues").GetArrayLength());
    }

    [Fact]
    public async Task Json_log_format_writes_one_json_object_per_line()
    {
        await using var server = await ServerProcess.StartAsync(new ServerOptions().WithEnv("QDRANT__LOGGER__FORMAT", "json"));
        await CreateAsync(server, "logged", points: 3);
        await server.StopAsync();

        var lines = server.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var messages = new List<string>();
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            Assert.True(DateTimeOffset.TryParse(root.GetProperty("timestamp").GetString(), CultureInfo.InvariantCulture, out _), line);
            Assert.Contains(root.GetProperty("level").GetString(), new[] { "TRACE", "DEBUG", "INFO", "WARN", "ERROR" });
            Assert.False(string.IsNullOrEmpty(root.GetProperty("target").GetString()), line);
            messages.Add(root.GetProperty("fields").GetProperty("message").GetString()!);
        }

        Assert.Contains(messages, m => m.Contains("REST listening", StringComparison.Ordinal));
    }

    private static async Task CreateAsync(ServerProcess server, string name, int points)
    {
        (await server.PutAsync($"/collections/{name}", """{"vectors":{"size":4,"distance":"Cosine"}}""")).Ok();
        await UpsertAsync(server, name, points);
    }

    private static async Task UpsertAsync(ServerProcess server, string name, int points)
    {
        var random = new Random(19);
        var batch = string.Join(",", Enumerable.Range(1, points).Select(i =>
        {
            var v = string.Join(",", Enumerable.Range(0, 4).Select(_ => (random.NextDouble() + 0.01).ToString("F3", CultureInfo.InvariantCulture)));
            return $$$"""{"id":{{{i}}},"vector":[{{{v}}}],"payload":{"author":"a{{{i % 3}}}","year":{{{1900 + i}}}}}""";
        }));
        (await server.PutAsync($"/collections/{name}/points?wait=true", $$"""{"points":[{{batch}}]}""")).Ok();
    }
}
