using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AotVector.AnnBench;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Testing;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using Distance = Qdrant.Client.Grpc.Distance;
using PointStruct = Qdrant.Client.Grpc.PointStruct;
using VectorParams = Qdrant.Client.Grpc.VectorParams;

// Usage: AotVector.LoadGen DATA_DIR OUT_DIR [ef=64] [queries=2000]
// DATA_DIR holds base.fbin, query.fbin, truth.ibin (prepared by AotVector.AnnBench). The server binary
// comes from AOTVECTOR_BIN or artifacts/publish/aotvector/aotvector.
var dataDir = args[0];
var outDir = args[1];
var ef = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
var queryCount = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2000;
int[] clientCounts = [1, 2, 8];
const string Collection = "fashion";

var (baseValues, baseRows, dim) = BinMatrix.Read<float>(Path.Combine(dataDir, "base.fbin"));
var (queryValues, queryRows, _) = BinMatrix.Read<float>(Path.Combine(dataDir, "query.fbin"));
var (truthValues, _, truthCols) = BinMatrix.Read<int>(Path.Combine(dataDir, "truth.ibin"));
queryCount = Math.Min(queryCount, queryRows);
float[] Query(int i) => queryValues.AsSpan(i * dim, dim).ToArray();

var results = new List<Row>();
await using (var server = await ServerProcess.StartAsync())
{
    using var grpc = new QdrantClient("127.0.0.1", server.GrpcPort, grpcTimeout: TimeSpan.FromMinutes(5));
    Console.WriteLine($"== loading {baseRows} x {dim} over gRPC");
    await grpc.CreateCollectionAsync(Collection, new VectorParams { Size = (ulong)dim, Distance = Distance.Euclid });
    for (var start = 0; start < baseRows; start += 1000)
    {
        var batch = new List<PointStruct>();
        for (var i = start; i < Math.Min(baseRows, start + 1000); i++)
        {
            batch.Add(new PointStruct { Id = (ulong)i, Vectors = baseValues.AsSpan(i * dim, dim).ToArray() });
        }

        await grpc.UpsertAsync(Collection, batch, wait: false);
    }

    var loadClock = Stopwatch.StartNew();
    while ((await grpc.GetCollectionInfoAsync(Collection)).IndexedVectorsCount < (ulong)baseRows)
    {
        await Task.Delay(200);
    }

    Console.WriteLine($"== indexed by the server's optimizer in {loadClock.Elapsed.TotalSeconds:F1} s after the last upsert");

    var searchParams = new Qdrant.Client.Grpc.SearchParams { HnswEf = (ulong)ef };
    foreach (var clients in clientCounts)
    {
        results.Add(await RunAsync("grpc", clients, async i =>
        {
            var hits = await grpc.QueryAsync(Collection, Query(i), limit: 10, searchParams: searchParams, payloadSelector: false);
            return hits.Select(h => (int)h.Id.Num).ToArray();
        }));
    }

    using var http = new HttpClient { BaseAddress = server.BaseUri };
    foreach (var clients in clientCounts)
    {
        results.Add(await RunAsync("rest", clients, async i =>
        {
            var body = "{\"query\":[" + string.Join(",", Query(i).Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "],\"limit\":10,\"params\":{\"hnsw_ef\":" + ef + "}}";
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync($"/collections/{Collection}/points/query", content);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            return doc.RootElement.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToArray();
        }));
    }

    // Stop the server, then open the same storage in-process (the graph is reopened, not rebuilt).
    await server.StopAsync();
    using var engine = VectorEngine.Open(EngineOptions.Defaults(server.StoragePath));
    foreach (var clients in clientCounts)
    {
        results.Add(await RunAsync("in-process", clients, async i =>
        {
            var r = await engine.QueryAsync(AccessContext.Full, Collection, new QueryRequest(
                new NearestQuery(new DenseVectorInput(Query(i))), null, null, 10, 0, null, new AotVector.Engine.Api.SearchParams((ulong)ef), WithPayload.None, WithVector.None), default);
            return r.Value!.Select(p => (int)p.Id.Num).ToArray();
        }));
    }
}

Report(results);
return 0;

async Task<Row> RunAsync(string front, int clients, Func<int, Task<int[]>> query)
{
    // Warm-up over every query once: JIT, connections, and the page cache of the memory-mapped vectors and
    // graph (the in-process rows reopen the storage cold, which would otherwise depress their first row).
    for (var i = 0; i < queryCount; i++)
    {
        await query(i);
    }

    var latencies = new double[queryCount];
    var found = new int[queryCount][];
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < queryCount)
        {
            var start = Stopwatch.GetTimestamp();
            found[i] = await query(i);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    })));
    var seconds = clock.Elapsed.TotalSeconds;
    Array.Sort(latencies);
    var recall = 0.0;
    for (var i = 0; i < queryCount; i++)
    {
        var truth = truthValues.AsSpan(i * truthCols, 10).ToArray();
        recall += found[i].Intersect(truth).Count() / 10.0;
    }

    var row = new Row(front, clients, queryCount / seconds, latencies[queryCount / 2], latencies[(int)(queryCount * 0.99)], recall / queryCount);
    Console.WriteLine($"{row.Front,-10} clients={row.Clients} qps={row.Qps:F0} p50={row.P50Ms:F2}ms p99={row.P99Ms:F2}ms recall@10={row.Recall:F4}");
    return row;
}

void Report(List<Row> rows)
{
    Directory.CreateDirectory(outDir);
    var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
    var md = new StringBuilder();
    md.AppendLine("# Server end-to-end load: Fashion-MNIST, REST and gRPC vs in-process");
    md.AppendLine();
    md.AppendLine($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `perf/run-load.sh`. Machine: {Environment.ProcessorCount} cores, load average {string.Join(' ', load)}. " +
        $"Server: the published Native AOT binary (default x86-64-v3 build), HNSW m=16 ef_construct=100 built by its background optimizer; queries with hnsw_ef={ef}, limit 10, {queryCount} queries per row, " +
        "client and server on the same 2 cores (the client's own CPU use counts against the server).");
    md.AppendLine();
    md.AppendLine("| front end | clients | QPS | p50 ms | p99 ms | recall@10 | QPS vs in-process |");
    md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
    foreach (var r in rows)
    {
        var baseline = rows.First(x => x.Front == "in-process" && x.Clients == r.Clients).Qps;
        md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Front} | {r.Clients} | {r.Qps:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.Recall:F4} | **{r.Qps / baseline:F2}x** |");
    }

    File.WriteAllText(Path.Combine(outDir, "server-load.md"), md.ToString());
    File.WriteAllText(Path.Combine(outDir, "server-load.json"), "[" + string.Join(",", rows.Select(r =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"front\":\"{r.Front}\",\"clients\":{r.Clients},\"qps\":{r.Qps:F1},\"p50_ms\":{r.P50Ms:F3},\"p99_ms\":{r.P99Ms:F3},\"recall\":{r.Recall:F4}}}"))) + "]");
    Console.WriteLine(md.ToString());
}

internal sealed record Row(string Front, int Clients, double Qps, double P50Ms, double P99Ms, double Recall);
