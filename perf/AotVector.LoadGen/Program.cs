using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AotVector.AnnBench;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.LoadGen;
using AotVector.Testing;
using Google.Protobuf;
using Grpc.Net.Client;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using Distance = Qdrant.Client.Grpc.Distance;
using PointStruct = Qdrant.Client.Grpc.PointStruct;
using VectorParams = Qdrant.Client.Grpc.VectorParams;

// Usage: AotVector.LoadGen DATA_DIR OUT_DIR [ef=64] [queries=10000]
// DATA_DIR holds base.fbin, query.fbin, truth.ibin (prepared by AotVector.AnnBench). The server binary
// comes from AOTVECTOR_BIN or artifacts/publish/aotvector/aotvector.
if (args is ["probe", ..])
{
    Environment.Exit(ProbeProcess.RunChild(args)); // the latency probe's own process, started below
}

var loadAtStart = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
var dataDir = args[0];
var outDir = args[1];
var ef = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
var queryCount = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10000;
// LOAD_CLIENTS ("1,2,8") and LOAD_FRONTS ("grpc,grpc-mux,grpc-lean,grpc-raw,rest"; in-process always runs, it is the baseline)
// narrow a run down when one row is being studied, e.g. under perf record.
int[] clientCounts = (Environment.GetEnvironmentVariable("LOAD_CLIENTS") is { Length: > 0 } cl ? cl : "1,2,8")
    .Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
// LOAD_FRONTS=none leaves only the paired measurement and the in-process rows.
var fronts = (Environment.GetEnvironmentVariable("LOAD_FRONTS") is { Length: > 0 } fr ? fr : "grpc,grpc-mux,grpc-lean,grpc-raw,rest").Split(',').Where(f => f != "none").ToArray();
// The in-process baseline compiled as the server is (Native AOT for this CPU): AnnBench published by run-load.sh.
var aotEngine = Environment.GetEnvironmentVariable("LOAD_AOT_ENGINE") is { Length: > 0 } aotPath ? aotPath : "artifacts/bench/aot/AotVector.AnnBench";
// The paired measurement: LOAD_PAIRED_ROUNDS (default 7, 0 = off) rounds of LOAD_PAIRED_QUERIES (default 4000) queries
// per side at LOAD_PAIRED_CLIENTS (default 2) clients, for each of LOAD_PAIRED_FRONTS (default grpc,grpc-raw).
var pairedRounds = EnvInt("LOAD_PAIRED_ROUNDS", 7);
var pairedQueries = EnvInt("LOAD_PAIRED_QUERIES", 4000);
var pairedClients = EnvInt("LOAD_PAIRED_CLIENTS", 2);
var pairedFronts = (Environment.GetEnvironmentVariable("LOAD_PAIRED_FRONTS") is { Length: > 0 } pf ? pf : "grpc,grpc-raw").Split(',');
List<PairedResult> paired = [];
// LOAD_PROBE_MS (default 5, 0 = off): one query every this many ms from the first upsert until the collection is
// green and for a while after, to report search latency while loading and indexing against idle.
var probeMs = EnvInt("LOAD_PROBE_MS", 5);
const double ProbeIdleSeconds = 5;
IReadOnlyList<PhaseLatency> probed = [];
const string Collection = "fashion";

var (baseValues, baseRows, dim) = BinMatrix.Read<float>(Path.Combine(dataDir, "base.fbin"));
var (queryValues, queryRows, _) = BinMatrix.Read<float>(Path.Combine(dataDir, "query.fbin"));
var (truthValues, _, truthCols) = BinMatrix.Read<uint>(Path.Combine(dataDir, "truth.ibin"));
// More queries than the set holds cycle through it again (longer rows for profiling).

// Every request is built before the clock starts, so the load generator spends its CPU on the transport
// and not on building messages (it shares the 2 cores with the server).
var vectors = new float[queryCount][];
var grpcRequests = new QueryPoints[queryCount];
var restBodies = new byte[queryCount][];
for (var i = 0; i < queryCount; i++)
{
    vectors[i] = queryValues.AsSpan(i % queryRows * dim, dim).ToArray();
    var request = new QueryPoints
    {
        CollectionName = Collection,
        Query = vectors[i],
        Limit = 10,
        Params = new Qdrant.Client.Grpc.SearchParams { HnswEf = (ulong)ef },
        WithPayload = new WithPayloadSelector { Enable = false },
    };
    grpcRequests[i] = request;
    restBodies[i] = Encoding.UTF8.GetBytes("{\"query\":[" + string.Join(",", vectors[i].Select(x => x.ToString("R", CultureInfo.InvariantCulture))) +
        "],\"limit\":10,\"params\":{\"hnsw_ef\":" + ef.ToString(CultureInfo.InvariantCulture) + "}}");
}

// The same gRPC calls through the minimal clients need the request messages framed once up front.
var framed = grpcRequests.Select(r =>
{
    var message = r.ToByteArray();
    var frame = new byte[5 + message.Length];
    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
    message.CopyTo(frame, 5);
    return frame;
}).ToArray();

var results = new List<Row>();
var indexedNote = "";
await using (var server = await ServerProcess.StartAsync())
{
    var serverPid = ProcessCpu.FindChild("aotvector");
    using (var grpc = new QdrantClient("127.0.0.1", server.GrpcPort, grpcTimeout: TimeSpan.FromMinutes(5)))
    {
        Console.WriteLine($"== loading {baseRows} x {dim} over gRPC (server pid {serverPid})");
        await grpc.CreateCollectionAsync(Collection, new VectorParams { Size = (ulong)dim, Distance = Distance.Euclid });
        using var probe = probeMs > 0 ? new ProbeProcess(server.GrpcPort, framed, TimeSpan.FromMilliseconds(probeMs), outDir) : null;
        probe?.Enter("ingest");
        // LOAD_UPSERT_CLIENTS uploaders (default 1), each with its own connection, take batches in turn, as a
        // parallel upload does (the Python client's upload_points with parallel > 1).
        var uploaders = Enumerable.Range(0, EnvInt("LOAD_UPSERT_CLIENTS", 1))
            .Select(u => u == 0 ? grpc : new QdrantClient("127.0.0.1", server.GrpcPort, grpcTimeout: TimeSpan.FromMinutes(5))).ToArray();
        var nextBatch = -1000;
        await Task.WhenAll(uploaders.Select(async uploader =>
        {
            for (var start = Interlocked.Add(ref nextBatch, 1000); start < baseRows; start = Interlocked.Add(ref nextBatch, 1000))
            {
                var batch = new List<PointStruct>();
                for (var i = start; i < Math.Min(baseRows, start + 1000); i++)
                {
                    batch.Add(new PointStruct { Id = (ulong)i, Vectors = baseValues.AsSpan(i * dim, dim).ToArray() });
                }

                await uploader.UpsertAsync(Collection, batch, wait: false);
            }
        }));

        foreach (var uploader in uploaders.Skip(1))
        {
            uploader.Dispose();
        }

        // Wait until the optimizer has nothing left to do (status green): sealed segments carry graphs, and a tail
        // below indexing_threshold stays in the appendable segment and is scanned exactly, as in Qdrant.
        var loadClock = Stopwatch.StartNew();
        probe?.Enter("drain");
        var info = await grpc.GetCollectionInfoAsync(Collection);
        while (info.Status != Qdrant.Client.Grpc.CollectionStatus.Green && loadClock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(200);
            info = await grpc.GetCollectionInfoAsync(Collection);
        }

        indexedNote = info.Status == Qdrant.Client.Grpc.CollectionStatus.Green
            ? $"optimizer done {loadClock.Elapsed.TotalSeconds:F1} s after the last upsert: {info.IndexedVectorsCount} of {baseRows} points in HNSW graphs over {info.SegmentsCount} segments (the rest is the appendable tail below indexing_threshold, scanned exactly)"
            : $"**the optimizer was still busy after 10 minutes ({info.IndexedVectorsCount} of {baseRows} points indexed)**";
        Console.WriteLine("== " + indexedNote);

        // Let the optimizer's last flush settle so its CPU does not count against the first row.
        probe?.Enter("settle");
        await Task.Delay(2000);
        if (probe is not null)
        {
            probe.Enter("idle");
            await Task.Delay(TimeSpan.FromSeconds(ProbeIdleSeconds));
            probed = probe.Finish();
            foreach (var p in probed)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"probe {p.Phase,-7} {p.Seconds,6:F1}s queries={p.Queries} p50={p.P50:F2}ms p95={p.P95:F2}ms p99={p.P99:F2}ms max={p.Max:F2}ms max_handler={p.MaxHandler:F2}ms errors={p.Errors}" +
                    $" slowest answered at {string.Join(", ", p.Slowest.Take(3).Select(x => $"{x.AnsweredUtc:HH:mm:ss.fff} ({x.Ms:F0} ms, handler {x.HandlerMs:F0} ms)"))}"));
            }

            // The server's log (UTC timestamps) next to the results, to line slow answers up with what the optimizer did.
            Directory.CreateDirectory(outDir);
            File.WriteAllText(Path.Combine(outDir, "server-during-load.log"), server.StandardOutput + server.StandardError);
        }
    }

    // LOAD_AB_BIN: a second server build on a copy of the storage, queried in turn with this one (LOAD_AB_FRONT, default
    // rest, at LOAD_PAIRED_CLIENTS clients, LOAD_AB_ROUNDS rounds of LOAD_PAIRED_QUERIES): the cost of a front-end change
    // between two builds, each side of every round seeing the same moment of the shared host.
    if (Environment.GetEnvironmentVariable("LOAD_AB_BIN") is { Length: > 0 } abBin)
    {
        await ServerAbAsync(server, abBin);
        serverPid = ProcessCpu.FindChild("aotvector");
    }

    // The target's ratio from short chunks of server load and of in-process load taken in turn, so both sides of each
    // ratio see the same moment of this shared host (single rows taken a minute apart move by 0.1).
    if (pairedRounds > 0 && File.Exists(aotEngine))
    {
        paired = await PairedAsync(server);
        serverPid = ProcessCpu.FindChild("aotvector");
    }

    foreach (var front in fronts.Where(f => f != "in-process"))
    {
        foreach (var clients in clientCounts)
        {
            using var set = Connect(front, clients, server);
            results.Add(await RunAsync(front, clients, serverPid, set.Port, set.Query));
        }
    }

    // Stop the server, then open the same storage in-process (the graph is reopened, not rebuilt): first in this
    // process (JIT, tiered PGO), then in AnnBench published Native AOT for this CPU like the server, so the
    // difference from the server rows is the front end alone and not JIT against AOT code generation.
    await server.StopAsync();
    using (var engine = VectorEngine.Open(EngineOptions.Defaults(server.StoragePath)))
    {
        foreach (var clients in clientCounts)
        {
            results.Add(Report1(FromEngine("in-process", EngineQueryLoad.Run(engine, Collection, vectors, ef, clients, Recall))));
        }
    }

    if (File.Exists(aotEngine))
    {
        var info = new ProcessStartInfo(aotEngine) { RedirectStandardOutput = true };
        foreach (var a in new[] { "engine-query", dataDir, server.StoragePath, Collection, ef.ToString(CultureInfo.InvariantCulture),
                     queryCount.ToString(CultureInfo.InvariantCulture), string.Join(',', clientCounts) })
        {
            info.ArgumentList.Add(a);
        }

        using var aot = Process.Start(info)!;
        string? line;
        while ((line = await aot.StandardOutput.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("engine-query ", StringComparison.Ordinal))
            {
                results.Add(Report1(FromEngine("in-process-aot", EngineQueryRow.Parse(line))));
            }
        }

        await aot.WaitForExitAsync();
        if (aot.ExitCode != 0)
        {
            throw new InvalidOperationException($"{aotEngine} engine-query exited with {aot.ExitCode}");
        }
    }
    else
    {
        Console.WriteLine($"== {aotEngine} not found (LOAD_AOT_ENGINE): no in-process-aot rows; ratios fall back to the JIT engine");
    }
}

Report(results);
return 0;

static Row FromEngine(string front, EngineQueryRow r) =>
    new(front, r.Clients, r.Qps, r.P50Ms, r.P99Ms, r.Recall, r.Seconds, r.CpuSeconds, 0, 0);

double Recall(int i, int[] ids) => EngineQueryLoad.RecallAt10(truthValues.AsSpan(i % queryRows * truthCols, 10), ids);

static Row Report1(Row row)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{row.Front,-10} clients={row.Clients} qps={row.Qps:F0} p50={row.P50Ms:F2}ms p99={row.P99Ms:F2}ms recall@10={row.Recall:F4} " +
        $"wall={row.Seconds:F2}s server_cpu={row.ServerCpu:F2}s client_cpu={row.ClientCpu:F2}s conns={row.Connections}"));
    return row;
}

static int[] WireIds(QueryResponse response)
{
    var ids = new int[response.Result.Count];
    for (var k = 0; k < ids.Length; k++)
    {
        ids[k] = (int)response.Result[k].Id.Num;
    }

    return ids;
}

Task<Row> RunAsync(string front, int clients, int serverPid, int port, Func<int, int, Task<int[]>> query) =>
    MeasureAsync(front, clients, serverPid, port, query, 0, queryCount, warmUp: true);

// Queries first .. first+count (wrapping round the set); the warm-up (connections, the client's JIT, the server's
// page cache) drives the same queries once before the clock starts.
async Task<Row> MeasureAsync(string front, int clients, int serverPid, int port, Func<int, int, Task<int[]>> query, int first, int count, bool warmUp)
{
    // Channels and HttpClients connect lazily, so connections already open to the port belong to someone else.
    var otherConnections = ProcessCpu.EstablishedTo(port);
    var found = new int[count][];
    if (warmUp)
    {
        await DriveAsync(clients, query, first, found, null);
    }

    var latencies = new double[count];
    var clientCpu0 = ProcessCpu.Self();
    var serverCpu0 = ProcessCpu.Of(serverPid);
    var clock = Stopwatch.StartNew();
    await DriveAsync(clients, query, first, found, latencies);
    var seconds = clock.Elapsed.TotalSeconds;
    var clientCpu = ProcessCpu.Self() - clientCpu0;
    var serverCpu = ProcessCpu.Of(serverPid) - serverCpu0;
    var connections = ProcessCpu.EstablishedTo(port) - otherConnections;

    Array.Sort(latencies);
    var recall = 0.0;
    for (var k = 0; k < count; k++)
    {
        recall += Recall((first + k) % queryCount, found[k]);
    }

    return Report1(new Row(front, clients, count / seconds, latencies[count / 2], latencies[(int)(count * 0.99)], recall / count,
        seconds, serverCpu, clientCpu, connections));
}

// found[k] and latencies[k] belong to query (first + k) mod queryCount.
async Task DriveAsync(int clients, Func<int, int, Task<int[]>> query, int first, int[][] found, double[]? latencies)
{
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
    {
        int k;
        while ((k = Interlocked.Increment(ref next)) < found.Length)
        {
            var start = Stopwatch.GetTimestamp();
            found[k] = await query(client, (first + k) % queryCount);
            if (latencies is not null)
            {
                latencies[k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }
    })));
}

// One set of client connections of one kind; each client index owns its own connection.
ClientSet Connect(string front, int clients, ServerProcess server)
{
    switch (front)
    {
        case "grpc":
        {
            // One channel (so one HTTP/2 connection) per client, as separate client processes would have.
            var channels = Enumerable.Range(0, clients).Select(_ => GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}")).ToArray();
            var points = channels.Select(c => new QdrantGrpcClient(c).Points).ToArray();
            return new ClientSet(server.GrpcPort, async (client, i) => WireIds(await points[client].QueryAsync(grpcRequests[i])), () => channels);
        }

        case "grpc-mux":
        {
            // One channel shared by every client: the usual application, one QdrantClient with calls in flight at
            // once on one HTTP/2 connection. Shows that the server still runs a multiplexed connection's calls in
            // parallel (it runs short reads on the socket thread only for one-at-a-time connections).
            var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
            var points = new QdrantGrpcClient(channel).Points;
            return new ClientSet(server.GrpcPort, async (_, i) => WireIds(await points.QueryAsync(grpcRequests[i])), () => [channel]);
        }

        case "grpc-lean":
        {
            // HTTP/2 (h2c) through HttpClient with the request messages framed up front, answers parsed by the generated parser.
            var h2 = Enumerable.Range(0, clients).Select(_ => new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = false })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{server.GrpcPort}"),
                DefaultRequestVersion = System.Net.HttpVersion.Version20,
                DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            }).ToArray();
            var method = new Uri("/qdrant.Points/Query", UriKind.Relative);
            return new ClientSet(server.GrpcPort, async (client, i) =>
            {
                // The client's default version applies only to its helper methods, not to a request built here.
                using var request = new HttpRequestMessage(HttpMethod.Post, method)
                {
                    Content = new ByteArrayContent(framed[i]),
                    Version = System.Net.HttpVersion.Version20,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
                request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
                using var response = await h2[client].SendAsync(request, HttpCompletionOption.ResponseContentRead);
                var body = await response.Content.ReadAsByteArrayAsync();
                if (body.Length < 5 || body[0] != 0)
                {
                    throw new InvalidOperationException($"unexpected gRPC answer: HTTP {(int)response.StatusCode}, {body.Length} bytes, headers {response.Headers}, trailers {response.TrailingHeaders}");
                }

                return WireIds(QueryResponse.Parser.ParseFrom(body.AsSpan(5)));
            }, () => h2);
        }

        case "grpc-raw":
        {
            // RawH2cClient: a blocking socket per client and hand-made HTTP/2 frames, the cheapest load generator we can
            // write, so the server gets as much of the shared cores as a remote client would leave it. Connected on first
            // use, like the other clients, so the row counts its own connections.
            var raw = new RawH2cClient?[clients];
            return new ClientSet(server.GrpcPort, (client, i) =>
                Task.FromResult(WireIds(QueryResponse.Parser.ParseFrom((raw[client] ??= new RawH2cClient(server.GrpcPort, "/qdrant.Points/Query")).Call(framed[i])))),
                () => raw);
        }

        case "rest":
        {
            // One HttpClient (one keep-alive HTTP/1.1 connection) per client.
            var https = Enumerable.Range(0, clients).Select(_ => new HttpClient { BaseAddress = server.BaseUri }).ToArray();
            var path = new Uri($"/collections/{Collection}/points/query", UriKind.Relative);
            return new ClientSet(server.HttpPort, async (client, i) =>
            {
                using var content = new ByteArrayContent(restBodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await https[client].PostAsync(path, content);
                using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
                return doc.RootElement.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToArray();
            }, () => https);
        }

        default:
            throw new ArgumentException($"unknown front end '{front}' (LOAD_FRONTS takes grpc, grpc-mux, grpc-lean, grpc-raw, rest)");
    }
}

// Rounds of one server chunk and one in-process chunk on the same queries, the order flipped every round so that a
// drift in the host's speed falls on both sides alike. The in-process side is AnnBench engine-query-serve (Native AOT)
// on a copy of the server's storage, blocked on its stdin while the server's chunk runs, and the server idle meanwhile.
async Task<List<PairedResult>> PairedAsync(ServerProcess server)
{
    var copy = Path.Combine(outDir, "paired-storage");
    await server.StopAsync();
    CopyDirectory(server.StoragePath, copy);
    await server.RestartAsync();
    var pid = ProcessCpu.FindChild("aotvector");
    var info = new ProcessStartInfo(aotEngine) { RedirectStandardInput = true, RedirectStandardOutput = true };
    foreach (var a in new[] { "engine-query-serve", dataDir, copy, Collection, ef.ToString(CultureInfo.InvariantCulture), queryCount.ToString(CultureInfo.InvariantCulture) })
    {
        info.ArgumentList.Add(a);
    }

    using var engine = Process.Start(info)!;
    if (await engine.StandardOutput.ReadLineAsync() != "ready")
    {
        throw new InvalidOperationException($"{aotEngine} engine-query-serve did not start");
    }

    async Task<EngineQueryRow> EngineChunk(int first, bool warmUp)
    {
        await engine.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{pairedClients} {first} {pairedQueries} {(warmUp ? 1 : 0)}"));
        await engine.StandardInput.FlushAsync();
        var line = await engine.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException($"{aotEngine} engine-query-serve exited");
        return EngineQueryRow.Parse(line);
    }

    var outcome = new List<PairedResult>();
    foreach (var front in pairedFronts)
    {
        using var set = Connect(front, pairedClients, server);
        Console.WriteLine($"== paired: {front} vs in-process-aot, {pairedClients} clients, {pairedRounds} rounds of {pairedQueries} queries each");
        await MeasureAsync(front, pairedClients, pid, set.Port, set.Query, 0, pairedQueries, warmUp: true);
        await EngineChunk(0, warmUp: true);
        var rounds = new List<PairedRound>();
        for (var r = 0; r < pairedRounds; r++)
        {
            var first = (int)((long)r * pairedQueries % queryCount);
            Row served;
            EngineQueryRow local;
            if (r % 2 == 0)
            {
                served = await MeasureAsync(front, pairedClients, pid, set.Port, set.Query, first, pairedQueries, warmUp: false);
                local = await EngineChunk(first, warmUp: false);
            }
            else
            {
                local = await EngineChunk(first, warmUp: false);
                served = await MeasureAsync(front, pairedClients, pid, set.Port, set.Query, first, pairedQueries, warmUp: false);
            }

            rounds.Add(new PairedRound(served, FromEngine("in-process-aot", local)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   round {r + 1}: {served.Qps:F0} / {local.Qps:F0} = {served.Qps / local.Qps:F3}x"));
        }

        outcome.Add(new PairedResult(front, pairedClients, rounds));
    }

    engine.StandardInput.Close();
    await engine.WaitForExitAsync();
    Directory.Delete(copy, recursive: true);
    return outcome;
}

// Rounds of this server (A) and LOAD_AB_BIN (B) on the same queries, ABBA order; B serves a copy of A's storage and is
// stopped at the end. Prints per-round QPS and server CPU per query of each side and the median B/A ratios.
async Task ServerAbAsync(ServerProcess a, string otherBinary)
{
    var front = Environment.GetEnvironmentVariable("LOAD_AB_FRONT") is { Length: > 0 } f ? f : "rest";
    var rounds = EnvInt("LOAD_AB_ROUNDS", 9);
    var copy = Path.Combine(outDir, "ab-storage");
    await a.StopAsync();
    CopyDirectory(a.StoragePath, copy);
    await a.RestartAsync();
    var ownBinary = Environment.GetEnvironmentVariable("AOTVECTOR_BIN");
    Environment.SetEnvironmentVariable("AOTVECTOR_BIN", otherBinary);
    ServerProcess b;
    try
    {
        b = await ServerProcess.StartAsync(new ServerOptions().WithEnv("QDRANT__STORAGE__STORAGE_PATH", copy));
    }
    finally
    {
        Environment.SetEnvironmentVariable("AOTVECTOR_BIN", ownBinary);
    }

    await using (b)
    {
        using var setA = Connect(front, pairedClients, a);
        using var setB = Connect(front, pairedClients, b);
        Console.WriteLine($"== A/B: {front}, {pairedClients} clients, {rounds} rounds of {pairedQueries} queries; A = {ownBinary}, B = {otherBinary}");
        await MeasureAsync(front, pairedClients, a.ProcessId, setA.Port, setA.Query, 0, pairedQueries, warmUp: true);
        await MeasureAsync(front, pairedClients, b.ProcessId, setB.Port, setB.Query, 0, pairedQueries, warmUp: true);
        var qps = new List<double>();
        var cpu = new List<double>();
        var lines = new List<string>();
        for (var r = 0; r < rounds; r++)
        {
            var first = (int)((long)r * pairedQueries % queryCount);
            Row rowA, rowB;
            if (r % 2 == 0)
            {
                rowA = await MeasureAsync(front, pairedClients, a.ProcessId, setA.Port, setA.Query, first, pairedQueries, warmUp: false);
                rowB = await MeasureAsync(front, pairedClients, b.ProcessId, setB.Port, setB.Query, first, pairedQueries, warmUp: false);
            }
            else
            {
                rowB = await MeasureAsync(front, pairedClients, b.ProcessId, setB.Port, setB.Query, first, pairedQueries, warmUp: false);
                rowA = await MeasureAsync(front, pairedClients, a.ProcessId, setA.Port, setA.Query, first, pairedQueries, warmUp: false);
            }

            double CpuMs(Row row) => row.ServerCpu * 1000 / (row.Qps * row.Seconds);
            qps.Add(rowB.Qps / rowA.Qps);
            cpu.Add(CpuMs(rowB) / CpuMs(rowA));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"| {r + 1} | {rowA.Qps:F0} | {rowB.Qps:F0} | {CpuMs(rowA):F3} | {CpuMs(rowB):F3} |"));
        }

        var report = new StringBuilder();
        report.AppendLine("| round | A QPS | B QPS | A server CPU ms/query | B server CPU ms/query |");
        report.AppendLine("|---:|---:|---:|---:|---:|");
        lines.ForEach(line => report.AppendLine(line));
        report.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"\nmedian B/A: QPS {qps.Order().ElementAt(qps.Count / 2):F3}x, server CPU per query {cpu.Order().ElementAt(cpu.Count / 2):F3}x (per round: QPS {string.Join(", ", qps.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))}; CPU {string.Join(", ", cpu.Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))})"));
        Console.Write(report);
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "server-ab.md"), report.ToString());
        await b.StopAsync();
    }

    Directory.Delete(copy, recursive: true);
}

static void CopyDirectory(string from, string to)
{
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
    {
        var target = Path.Combine(to, Path.GetRelativePath(from, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target, overwrite: true);
    }
}

static int EnvInt(string name, int fallback) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

void Report(List<Row> rows)
{
    Directory.CreateDirectory(outDir);
    var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
    // The target's baseline is the engine compiled as the server is (Native AOT, this CPU); without the AOT
    // rows (LOAD_AOT_ENGINE missing) the JIT engine stands in.
    var hasAot = rows.Any(x => x.Front == "in-process-aot");
    Row Baseline(Row r) => rows.First(x => x.Front == (hasAot ? "in-process-aot" : "in-process") && x.Clients == r.Clients);
    Row Jit(Row r) => rows.First(x => x.Front == "in-process" && x.Clients == r.Clients);
    static bool InProcess(Row r) => r.Front.StartsWith("in-process", StringComparison.Ordinal);
    var md = new StringBuilder();
    md.AppendLine("# Server end-to-end load: Fashion-MNIST, REST and gRPC vs in-process");
    md.AppendLine();
    md.AppendLine($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `perf/run-load.sh`. Machine: {Environment.ProcessorCount} cores, load average {string.Join(' ', loadAtStart)} at the start and {string.Join(' ', load)} at the end " +
        "(other sessions may be building on the same machine). " +
        $"Server: the Native AOT binary published with IlcInstructionSet=native, HNSW m=16 ef_construct=100 built by its background optimizer; queries with hnsw_ef={ef}, limit 10, with_payload false, {queryCount} queries per row after one warm-up pass over the same queries; {indexedNote}.");
    md.AppendLine();
    md.AppendLine("Clients (each on the same 2 cores as the server, so every CPU-second a client spends is taken from the server):");
    md.AppendLine("- **grpc**: the official Qdrant.Client (requests pre-built, one channel = one HTTP/2 connection per client, gzip accepted as the client does by default).");
    md.AppendLine("- **grpc-mux**: the official client with one channel shared by all clients, so every call in flight shares one HTTP/2 connection (the usual application: one QdrantClient). With 2 or 8 clients its QPS near the grpc row's shows the server runs a multiplexed connection's calls in parallel.");
    md.AppendLine("- **grpc-lean**: the same gRPC calls through HttpClient over h2c (one connection per client, request frames serialized once up front, answers parsed by the generated parser).");
    md.AppendLine("- **grpc-raw**: the same gRPC calls from `RawH2cClient`: a blocking socket per client and hand-made HTTP/2 frames, the leanest load generator (the role h2load plays), so the server keeps as much of the shared cores as a remote client would leave it.");
    md.AppendLine("- **rest**: HttpClient over REST (one keep-alive connection per client).");
    md.AppendLine("- **in-process-aot**: the same queries into the engine opened on the same storage by `AotVector.AnnBench engine-query`, published Native AOT for this CPU like the server: the target's baseline, so the ratio is the cost of the front end alone. **in-process**: the same in the JIT-compiled load generator (tiered PGO), for reference.");
    md.AppendLine();
    md.AppendLine($"- **QPS vs in-process{(hasAot ? " AOT" : "")}** (the target's ratio): same-run QPS divided by the {(hasAot ? "AOT" : "JIT")} in-process engine's QPS at the same client count. **vs JIT**: the same against the JIT engine.");
    md.AppendLine("- **server CPU s**: CPU time (user+system, /proc/PID/stat) the server process used during the timed row; for in-process rows, the whole process. **client CPU s**: the load generator's own CPU in the row.");
    md.AppendLine("- **QPS per server CPU-s vs in-process** (CPU-normalized): queries per server CPU-second divided by the baseline engine's queries per CPU-second at the same client count, i.e. what fraction of the engine's per-query cost the whole server path (engine + front end) costs, independent of the client's CPU share.");
    md.AppendLine();
    md.AppendLine($"| front end | clients | QPS | p50 ms | p99 ms | recall@10 | QPS vs in-process{(hasAot ? " AOT" : "")} | vs JIT | server CPU s | client CPU s | QPS per server CPU-s | QPS per CPU-s vs in-process | connections |");
    md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var r in rows)
    {
        var baseline = Baseline(r);
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {r.Front} | {r.Clients} | {r.Qps:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.Recall:F4} | **{r.Qps / baseline.Qps:F2}x** | {r.Qps / Jit(r).Qps:F2}x | {r.ServerCpu:F2} | {(InProcess(r) ? "-" : r.ClientCpu.ToString("F2", CultureInfo.InvariantCulture))} | {r.QpsPerServerCpu:F0} | {r.QpsPerServerCpu / baseline.QpsPerServerCpu:F2}x | {(InProcess(r) ? "-" : r.Connections.ToString(CultureInfo.InvariantCulture))} |");
    }

    if (paired.Count > 0)
    {
        md.AppendLine();
        md.AppendLine($"### Paired measurement: {pairedClients} clients, server vs in-process AOT in alternating chunks");
        md.AppendLine();
        md.AppendLine($"{pairedRounds} rounds per front end; each round times {pairedQueries} queries through the server and the same {pairedQueries} queries into " +
            "the AOT engine (`AnnBench engine-query-serve` on a copy of the server's storage, idle while the server runs and the other way round), " +
            "in ABBA order. The median of the per-round ratios is the figure for the target; a disturbed round cannot move it. " +
            "Pooled: all server queries per second over all in-process queries per second. CPU ms per query: server process (or the in-process engine) and load generator.");
        md.AppendLine();
        md.AppendLine("| front end | clients | median ratio | min | max | pooled | server QPS (median) | in-process QPS (median) | server CPU ms/query | in-process CPU ms/query | client CPU ms/query | per-round ratios |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var p in paired)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {p.Front} | {p.Clients} | **{p.Median:F2}x** | {p.Min:F2}x | {p.Max:F2}x | {p.Pooled:F2}x | {p.ServerQps:F0} | {p.InProcessQps:F0} | {p.ServerCpuMsPerQuery:F3} | {p.InProcessCpuMsPerQuery:F3} | {p.ClientCpuMsPerQuery:F3} | {string.Join(", ", p.Rounds.Select(r => r.Ratio.ToString("F2", CultureInfo.InvariantCulture)))} |");
        }
    }

    var idleP95 = probed.FirstOrDefault(p => p.Phase == "idle")?.P95 ?? double.NaN;
    if (probed.Count > 0)
    {
        md.AppendLine();
        md.AppendLine("### Search latency while loading and indexing");
        md.AppendLine();
        md.AppendLine(
            $"One `RawH2cClient` connection, in a process of its own (so the loader's pauses are not counted), sends a query every {probeMs} ms (the next one waits for a slow answer; hnsw_ef={ef}, limit 10) while the official client upserts the {baseRows} points " +
            $"in batches of 1,000 (wait=false; {EnvInt("LOAD_UPSERT_CLIENTS", 1)} uploader(s), each with its own connection and one batch at a time): **ingest** until the last batch is acknowledged, **drain** until the collection is green " +
            $"(the optimizer seals, indexes and merges; searches meanwhile scan what is not indexed yet), **settle** the 2 s after, **idle** {ProbeIdleSeconds:F0} s more. " +
            "Latency is from send to the whole answer; max handler is the longest time the server itself reported (the answer's `time`, from handler entry), " +
            "so a max far above it was spent outside the search: in the transport, a pause of the server or the probe, or waiting for a core. p95 vs idle is the figure users watch: a server whose optimizer starves searches is slow exactly when it is busiest.");
        md.AppendLine();
        md.AppendLine("| phase | seconds | queries | p50 ms | p95 ms | p99 ms | max ms | max handler ms | p95 vs idle | errors |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in probed)
        {
            var errors = p.FirstError is null ? p.Errors.ToString(CultureInfo.InvariantCulture) : $"{p.Errors} ({p.FirstError})";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {p.Phase} | {p.Seconds:F1} | {p.Queries} | {p.P50:F2} | {p.P95:F2} | {p.P99:F2} | {p.Max:F2} | {p.MaxHandler:F2} | {p.P95 / idleP95:F1}x | {errors} |");
        }
    }

    File.WriteAllText(Path.Combine(outDir, "server-load.md"), md.ToString());
    File.WriteAllText(Path.Combine(outDir, "server-load.json"), "{\"load_average_start\":\"" + string.Join(' ', loadAtStart) + "\",\"load_average_end\":\"" + string.Join(' ', load) + "\",\"ef\":" + ef + ",\"queries\":" + queryCount +
        ",\"baseline\":\"" + (hasAot ? "in-process-aot" : "in-process") + "\",\"rows\":[" + string.Join(",", rows.Select(r =>
    {
        var baseline = Baseline(r);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"front\":\"{r.Front}\",\"clients\":{r.Clients},\"qps\":{r.Qps:F1},\"p50_ms\":{r.P50Ms:F3},\"p99_ms\":{r.P99Ms:F3},\"recall\":{r.Recall:F4},\"seconds\":{r.Seconds:F3},\"server_cpu_s\":{r.ServerCpu:F3},\"client_cpu_s\":{r.ClientCpu:F3},\"connections\":{r.Connections},\"qps_ratio\":{r.Qps / baseline.Qps:F3},\"qps_ratio_jit\":{r.Qps / Jit(r).Qps:F3},\"qps_per_cpu_ratio\":{r.QpsPerServerCpu / baseline.QpsPerServerCpu:F3}}}");
    })) + "],\"paired\":[" + string.Join(",", paired.Select(p => string.Create(CultureInfo.InvariantCulture,
        $"{{\"front\":\"{p.Front}\",\"clients\":{p.Clients},\"median_ratio\":{p.Median:F3},\"min_ratio\":{p.Min:F3},\"max_ratio\":{p.Max:F3},\"pooled_ratio\":{p.Pooled:F3}," +
        $"\"server_cpu_ms_per_query\":{p.ServerCpuMsPerQuery:F4},\"in_process_cpu_ms_per_query\":{p.InProcessCpuMsPerQuery:F4},\"client_cpu_ms_per_query\":{p.ClientCpuMsPerQuery:F4}," +
        $"\"rounds\":[{string.Join(",", p.Rounds.Select(r => FormattableString.Invariant($"{{\"server_qps\":{r.Server.Qps:F1},\"in_process_qps\":{r.InProcess.Qps:F1},\"ratio\":{r.Ratio:F3}}}")))}]}}"))) +
        "],\"indexing_latency\":[" + string.Join(",", probed.Select(p => p.ToJson(idleP95))) + "]}");
    Console.WriteLine(md.ToString());
}

internal sealed record Row(string Front, int Clients, double Qps, double P50Ms, double P99Ms, double Recall, double Seconds, double ServerCpu, double ClientCpu, int Connections)
{
    public double QpsPerServerCpu => Qps * Seconds / Math.Max(ServerCpu, 1e-9);
}
