using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using AotVector.AnnBench;
using AotVector.Common.Model;
using AotVector.Segment.Index.Hnsw;

// Verbs:
//   prepare SOURCE_DIR DATA_DIR   Fashion-MNIST IDX files -> base.fbin, query.fbin, truth.ibin (exact top-100)
//   run DATA_DIR [LABEL]          build on 1 and 2 threads, sweep ef, print one JSON object (the shape hnswlib-bench prints);
//                                 BENCH_QUANT=int8 (or binary) adds the sweep through int8 (binary) codes with float32
//                                 rescoring ("runs_int8", "runs_binary"; BENCH_BINARY_ENCODING one_bit|two_bits|
//                                 one_and_half_bits, BENCH_BINARY_QUERY default|scalar4bits|scalar8bits); BENCH_QUANT=product
//                                 the same through product codes (BENCH_PQ_COMPRESSION x4|x8|x16|x32|x64, default x16);
//                                 BENCH_RESCORE=0 keeps the codes' order instead of rescoring
//   search DATA_DIR [LABEL]       as run, without the 1-thread build (quicker when tuning search)
//   build DATA_DIR THREADS [ROWS] time one build (wall and process CPU seconds), for tuning the build alone
//   synth DATA_DIR [ROWS]         the seeded clustered scale set (default 1,000,000 x 128, 1,000 queries) + exact top-100
//   sparse STORAGE_DIR [DOCS]     the sparse set: inverted index vs brute force, one JSON object
//   multi STORAGE_DIR [POINTS [ROWS [DIM [THREADS]]]]
//                                 the multivector set (default 20,000 x 16 rows x 64-d): MaxSim exact vs HNSW, one JSON object
//   hybrid SOURCE_DIR STORAGE_DIR [ROWS]
//                                 Fashion-MNIST + synthetic sparse vectors in the engine: dense, sparse and RRF-fused
//                                 hybrid queries single-threaded, one JSON object
//   engine-memory DATA_DIR STORAGE_DIR [plain|payload|reopen]
//                                 the whole engine through its public API: upsert, wait for the index, query, report RSS
//   snapshot-source STORAGE_DIR ROWS DIM [plain|payload]
//                                 seeded points (with a small payload), then one collection snapshot; prints its path
//   filtered STORAGE_DIR [POINTS [QUERIES [EF]]]
//                                 filtered search on one segment (default 200,000 x 128, 200 queries, ef 64): per filter,
//                                 indexed and not, p50/p95, recall@10 against exact filtered answers and the plan; one JSON object
//   engine-query DATA_DIR STORAGE_DIR COLLECTION EF QUERIES CLIENTS
//                                 the server load test's in-process baseline (CLIENTS like 1,2,8), one line per client count
//   engine-query-serve DATA_DIR STORAGE_DIR COLLECTION EF QUERIES
//                                 the same engine kept open: prints "ready", then answers each stdin line
//                                 "CLIENTS START COUNT WARMUP(0|1)" with one row line (the paired load measurement)
if (args.Length >= 3 && args[0] == "prepare")
{
    Prepare(args[1], args[2]);
    return 0;
}

// BENCH_BUILD1=0 skips the 1-thread build in `run` too (the scale set's takes minutes); build_seconds_1t is then 0.
if (args.Length >= 2 && args[0] == "run")
{
    Console.WriteLine(Run(args[1], args.Length > 2 ? args[2] : "aotvector", buildSingle: Environment.GetEnvironmentVariable("BENCH_BUILD1") != "0"));
    return 0;
}

if (args.Length >= 2 && args[0] == "search")
{
    Console.WriteLine(Run(args[1], args.Length > 2 ? args[2] : "aotvector", buildSingle: false));
    return 0;
}

if (args.Length >= 3 && args[0] == "build")
{
    BuildOnly(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0);
    return 0;
}

if (args.Length >= 2 && args[0] == "synth")
{
    Synthesize(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000_000);
    return 0;
}

if (args.Length >= 2 && args[0] == "sparse")
{
    Console.WriteLine(SparseBench.Run(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200_000, 30_000, 100, 20, 1_000));
    return 0;
}

if (args.Length >= 2 && args[0] == "multi")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    Console.WriteLine(MultiVectorBench.Run(args[1], Arg(2, 20_000), Arg(3, 16), Arg(4, 64), 200, Arg(5, 2)));
    return 0;
}

if (args.Length >= 3 && args[0] == "hybrid")
{
    Console.WriteLine(await HybridBench.RunAsync(args[1], args[2], args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 60_000, 1_000));
    return 0;
}

if (args.Length >= 2 && args[0] == "filtered")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    Console.WriteLine(FilteredBench.Run(args[1], Arg(2, 200_000), Arg(3, 200), Arg(4, 64)));
    return 0;
}

if (args.Length >= 3 && args[0] == "scan-codes")
{
    int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
    Console.WriteLine(ScanCodesBench.Run(args[1], args[2], Arg(3, 30_000), Arg(4, 200), Arg(5, 5)));
    return 0;
}

if (args.Length >= 3 && args[0] == "engine-memory")
{
    Console.WriteLine(await EngineMemory.RunAsync(args[1], args[2], args.Length > 3 ? args[3] : "plain"));
    return 0;
}

if (args.Length >= 4 && args[0] == "snapshot-source")
{
    Console.WriteLine(await SnapshotSource.RunAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args.Length > 4 && args[4] == "payload"));
    return 0;
}

if (args.Length >= 7 && args[0] == "engine-query")
{
    EngineQuery(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture),
        args[6].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)));
    return 0;
}

if (args.Length >= 6 && args[0] == "engine-query-serve")
{
    EngineQueryServe(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture));
    return 0;
}

Console.Error.WriteLine("usage: AotVector.AnnBench prepare SOURCE_DIR DATA_DIR | run DATA_DIR [LABEL] | search DATA_DIR [LABEL] | build DATA_DIR THREADS [ROWS]"
    + " | synth DATA_DIR [ROWS] | sparse STORAGE_DIR [DOCS] | multi STORAGE_DIR [POINTS [ROWS [DIM [THREADS]]]] | hybrid SOURCE_DIR STORAGE_DIR [ROWS] | engine-memory DATA_DIR STORAGE_DIR [plain|payload|reopen] | engine-query DATA_DIR STORAGE_DIR COLLECTION EF QUERIES CLIENTS"
    + " | snapshot-source STORAGE_DIR ROWS DIM [plain|payload] | filtered STORAGE_DIR [POINTS [QUERIES [EF]]]"
    + " | engine-query-serve DATA_DIR STORAGE_DIR COLLECTION EF QUERIES");
return 64;

static void EngineQuery(string dataDir, string storageDir, string collection, int ef, int queryCount, IEnumerable<int> clientCounts)
{
    var (queries, queryRows, dim) = BinMatrix.Read<float>(Path.Combine(dataDir, "query.fbin"));
    var (truth, _, truthCols) = BinMatrix.Read<uint>(Path.Combine(dataDir, "truth.ibin"));
    // More queries than the set holds cycle through it again, as LoadGen's do.
    var vectors = Enumerable.Range(0, queryCount).Select(i => queries.AsSpan(i % queryRows * dim, dim).ToArray()).ToArray();
    using var engine = AotVector.Engine.VectorEngine.Open(AotVector.Engine.EngineOptions.Defaults(storageDir));
    foreach (var clients in clientCounts)
    {
        var row = EngineQueryLoad.Run(engine, collection, vectors, ef, clients,
            (i, ids) => EngineQueryLoad.RecallAt10(truth.AsSpan(i % queryRows * truthCols, 10), ids));
        Console.WriteLine(row.ToLine());
    }
}

// Idle between requests (blocked on stdin), so it takes no CPU while the server's chunks run.
static void EngineQueryServe(string dataDir, string storageDir, string collection, int ef, int queryCount)
{
    var (queries, queryRows, dim) = BinMatrix.Read<float>(Path.Combine(dataDir, "query.fbin"));
    var (truth, _, truthCols) = BinMatrix.Read<uint>(Path.Combine(dataDir, "truth.ibin"));
    var vectors = Enumerable.Range(0, queryCount).Select(i => queries.AsSpan(i % queryRows * dim, dim).ToArray()).ToArray();
    using var engine = AotVector.Engine.VectorEngine.Open(AotVector.Engine.EngineOptions.Defaults(storageDir));
    Console.WriteLine("ready");
    string? line;
    while ((line = Console.ReadLine()) is { Length: > 0 })
    {
        var f = line.Split(' ').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var row = EngineQueryLoad.RunChunk(engine, collection, vectors, ef, f[0], f[1], f[2], warmUp: f[3] != 0,
            (i, ids) => EngineQueryLoad.RecallAt10(truth.AsSpan(i % queryRows * truthCols, 10), ids));
        Console.WriteLine(row.ToLine());
    }
}

static void Prepare(string source, string dataDir)
{
    Directory.CreateDirectory(dataDir);
    var (data, rows, dim) = IdxReader.ReadImages(Path.Combine(source, "train-images-idx3-ubyte.gz"));
    var (queries, queryRows, _) = IdxReader.ReadImages(Path.Combine(source, "t10k-images-idx3-ubyte.gz"));
    Console.Error.WriteLine($"fashion-mnist: {rows} base, {queryRows} queries, {dim} dims; computing exact top-100");
    var watch = Stopwatch.StartNew();
    var truth = GroundTruth.Compute(data, queries, dim, 100);
    Console.Error.WriteLine($"ground truth in {watch.Elapsed.TotalSeconds:F1} s");
    BinMatrix.Write<float>(Path.Combine(dataDir, "base.fbin"), data, dim);
    BinMatrix.Write<float>(Path.Combine(dataDir, "query.fbin"), queries, dim);
    BinMatrix.Write<uint>(Path.Combine(dataDir, "truth.ibin"), truth, 100);
}

static void Synthesize(string dataDir, int rows)
{
    const int Dim = 128;
    const int Queries = 1_000;
    Directory.CreateDirectory(dataDir);
    var watch = Stopwatch.StartNew();
    // One cluster layout (seed 1); base and queries draw their points from it with different seeds.
    var data = SyntheticSet.Generate(rows, Dim, seed: 1, pointSeed: 2);
    var queries = SyntheticSet.Generate(Queries, Dim, seed: 1, pointSeed: 3);
    Console.Error.WriteLine($"synthetic: {rows} base, {Queries} queries, {Dim} dims, {SyntheticSet.Clusters} clusters in {watch.Elapsed.TotalSeconds:F1} s; computing exact top-100");
    watch.Restart();
    var truth = GroundTruth.Compute(data, queries, Dim, 100);
    Console.Error.WriteLine($"ground truth in {watch.Elapsed.TotalSeconds:F1} s");
    BinMatrix.Write<float>(Path.Combine(dataDir, "base.fbin"), data, Dim);
    BinMatrix.Write<float>(Path.Combine(dataDir, "query.fbin"), queries, Dim);
    BinMatrix.Write<uint>(Path.Combine(dataDir, "truth.ibin"), truth, 100);
}

static void BuildOnly(string dataDir, int threads, int rows)
{
    var (data, count, dim) = BinMatrix.Read<float>(Path.Combine(dataDir, "base.fbin"));
    if (rows > 0 && rows < count)
    {
        data = data.AsSpan(0, rows * dim).ToArray();
    }

    var cpuStart = Environment.CpuUsage.TotalTime;
    var watch = Stopwatch.StartNew();
    HnswIndex.Build(Distance.Euclid, new ArrayVectorSource(data, dim), new HnswParameters(16, 100), threads).Dispose();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"threads {threads}: wall {watch.Elapsed.TotalSeconds:F2} s, cpu {(Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds:F2} s"));
}

static string Run(string dataDir, string label, bool buildSingle = true)
{
    const int K = 10;
    int[] efs = [10, 16, 32, 64, 128, 256];
    var (data, _, dim) = BinMatrix.Read<float>(Path.Combine(dataDir, "base.fbin"));
    var (queries, queryCount, _) = BinMatrix.Read<float>(Path.Combine(dataDir, "query.fbin"));
    var (truth, _, truthCols) = BinMatrix.Read<uint>(Path.Combine(dataDir, "truth.ibin"));
    var source = new ArrayVectorSource(data, dim);
    var parameters = new HnswParameters(16, 100);

    var watch = Stopwatch.StartNew();
    if (buildSingle)
    {
        HnswIndex.Build(Distance.Euclid, source, parameters, threads: 1).Dispose();
    }

    double build1 = watch.Elapsed.TotalSeconds;
    GC.Collect();
    watch.Restart();
    using var index = BuildOrOpen(source, parameters);
    double build2 = watch.Elapsed.TotalSeconds;

    var json = new StringBuilder();
    json.Append(CultureInfo.InvariantCulture, $"{{\"engine\":\"{label}\",\"m\":16,\"ef_construct\":100,\"build_seconds_1t\":{build1:F3},\"build_seconds_2t\":{build2:F3},");
    json.Append(CultureInfo.InvariantCulture, $"\"vector512\":{(Vector512.IsHardwareAccelerated ? "true" : "false")},\"runs\":[");
    // Several passes over the ef list, interleaved, keeping each ef's best time: on a shared machine the
    // fastest pass is the one least disturbed by other processes. Recall is the same in every pass.
    // cpu_qps divides by the process CPU time instead of wall time: less sensitive to time-slicing.
    var hits = new ScoredOffset[K];
    var best = new double[efs.Length];
    var bestCpu = new double[efs.Length];
    var recall = new double[efs.Length];
    for (int pass = 0; pass < SearchPasses(); pass++)
    {
        for (int e = 0; e < efs.Length; e++)
        {
            int ef = efs[e];
            for (int q = 0; q < 500; q++)
            {
                index.Search(queries.AsSpan(q * dim, dim), K, ef, default(AcceptAllFilter), default, hits);
            }

            long found = 0;
            var cpuStart = Environment.CpuUsage.TotalTime;
            watch.Restart();
            for (int q = 0; q < queryCount; q++)
            {
                int n = index.Search(queries.AsSpan(q * dim, dim), K, ef, default(AcceptAllFilter), default, hits);
                var expected = truth.AsSpan(q * truthCols, K);
                for (int i = 0; i < n; i++)
                {
                    if (expected.Contains(hits[i].Offset))
                    {
                        found++;
                    }
                }
            }

            best[e] = Math.Max(best[e], queryCount / watch.Elapsed.TotalSeconds);
            bestCpu[e] = Math.Max(bestCpu[e], queryCount / (Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds);
            recall[e] = found / (double)(queryCount * K);
        }
    }

    for (int e = 0; e < efs.Length; e++)
    {
        json.Append(CultureInfo.InvariantCulture, $"{(e > 0 ? "," : "")}{{\"ef\":{efs[e]},\"recall\":{recall[e]:F5},\"qps\":{best[e]:F1},\"cpu_qps\":{bestCpu[e]:F1}}}");
    }

    json.Append(']');
    if (Environment.GetEnvironmentVariable("BENCH_QUANT") is "int8" or "binary" or "product")
    {
        json.Append(',').Append(QuantizedRuns(index, source, data, queries, queryCount, dim, truth, truthCols, efs));
    }

    json.Append(CultureInfo.InvariantCulture, $",\"peak_rss_mb\":{PeakRssMegabytes():F1},\"index_mb\":{IndexMegabytes(index, parameters):F1}}}");
    return json.ToString();
}

// BENCH_QUANT=int8: the same graph walked by int8 scalar codes (quantile 0.99), the best limit × oversampling
// candidates rescored with the float32 vectors, as the engine does with `rescore: true`; BENCH_QUANT=binary: the same
// with binary codes (BENCH_BINARY_ENCODING, BENCH_BINARY_QUERY). Same passes and timing as the float32 sweep;
// "{kind}_mb" is the codes' memory (float32 vectors: rows × dim × 4 bytes).
static string QuantizedRuns(IHnswIndex index, ArrayVectorSource source, float[] data, float[] queries, int queryCount, int dim, uint[] truth, int truthCols, int[] efs)
{
    const int K = 10;
    var oversampling = double.TryParse(Environment.GetEnvironmentVariable("BENCH_OVERSAMPLING"), CultureInfo.InvariantCulture, out var o) && o >= 1 ? o : 2;
    var kind = Environment.GetEnvironmentVariable("BENCH_QUANT")!;
    var rescore = Environment.GetEnvironmentVariable("BENCH_RESCORE") != "0";
    AotVector.Segment.QuantizationSettings settings = kind == "product"
        ? new AotVector.Segment.ProductQuantization(ProductCompressionExtensions.FromWireName(Environment.GetEnvironmentVariable("BENCH_PQ_COMPRESSION")) ?? ProductCompression.X16)
        : kind == "binary"
        ? new AotVector.Segment.BinaryQuantization(
            Environment.GetEnvironmentVariable("BENCH_BINARY_ENCODING") switch
            {
                "two_bits" => BinaryEncoding.TwoBits,
                "one_and_half_bits" => BinaryEncoding.OneAndHalfBits,
                _ => BinaryEncoding.OneBit,
            },
            Environment.GetEnvironmentVariable("BENCH_BINARY_QUERY") switch
            {
                "scalar4bits" => BinaryQueryEncoding.Scalar4Bits,
                "scalar8bits" => BinaryQueryEncoding.Scalar8Bits,
                _ => BinaryQueryEncoding.Default,
            })
        : new AotVector.Segment.ScalarQuantization(0.99f);
    var watch = Stopwatch.StartNew();
    var encodeCpu = Environment.CpuUsage.TotalTime;
    var codes = AotVector.Segment.Vectors.QuantizedVectors.Build(settings, Distance.Euclid, source, null, default);
    var encodeSeconds = watch.Elapsed.TotalSeconds;
    var encodeCpuSeconds = (Environment.CpuUsage.TotalTime - encodeCpu).TotalSeconds;
    var wanted = (int)(K * oversampling);
    var hits = new ScoredOffset[wanted];
    var best = new double[efs.Length];
    var bestCpu = new double[efs.Length];
    var recall = new double[efs.Length];
    var top = new (float Score, uint Offset)[wanted];
    int SearchOne(int q, int ef, Span<uint> found)
    {
        var query = queries.AsSpan(q * dim, dim);
        int n = codes.SearchGraph(index, query, wanted, Math.Max(ef, wanted), default(AcceptAllFilter), hits, default);
        for (int i = 0; i < n; i++)
        {
            top[i] = (rescore ? -AotVector.Kernels.Distance.SquaredL2.Compute(query, data.AsSpan((int)hits[i].Offset * dim, dim)) : hits[i].Score, hits[i].Offset);
        }

        var span = top.AsSpan(0, n);
        span.Sort((a, b) => b.Score.CompareTo(a.Score));
        n = Math.Min(n, K);
        for (int i = 0; i < n; i++)
        {
            found[i] = span[i].Offset;
        }

        return n;
    }

    Span<uint> ids = stackalloc uint[K];
    for (int pass = 0; pass < SearchPasses(); pass++)
    {
        for (int e = 0; e < efs.Length; e++)
        {
            for (int q = 0; q < 500; q++)
            {
                SearchOne(q % queryCount, efs[e], ids);
            }

            long hitsFound = 0;
            var cpuStart = Environment.CpuUsage.TotalTime;
            watch.Restart();
            for (int q = 0; q < queryCount; q++)
            {
                int n = SearchOne(q, efs[e], ids);
                var expected = truth.AsSpan(q * truthCols, K);
                for (int i = 0; i < n; i++)
                {
                    if (expected.Contains(ids[i]))
                    {
                        hitsFound++;
                    }
                }
            }

            best[e] = Math.Max(best[e], queryCount / watch.Elapsed.TotalSeconds);
            bestCpu[e] = Math.Max(bestCpu[e], queryCount / (Environment.CpuUsage.TotalTime - cpuStart).TotalSeconds);
            recall[e] = hitsFound / (double)(queryCount * K);
        }
    }

    var json = new StringBuilder();
    json.Append(CultureInfo.InvariantCulture, $"\"{kind}_rescore\":{(rescore ? "true" : "false")},\"{kind}_oversampling\":{oversampling:F1},\"{kind}_encode_seconds\":{encodeSeconds:F3},\"{kind}_encode_cpu_seconds\":{encodeCpuSeconds:F3},\"{kind}_mb\":{codes.Bytes / (1024.0 * 1024.0):F1},\"runs_{kind}\":[");
    for (int e = 0; e < efs.Length; e++)
    {
        json.Append(CultureInfo.InvariantCulture, $"{(e > 0 ? "," : "")}{{\"ef\":{efs[e]},\"recall\":{recall[e]:F5},\"qps\":{best[e]:F1},\"cpu_qps\":{bestCpu[e]:F1}}}");
    }

    return json.Append(']').ToString();
}

// BENCH_GRAPH=PATH (for tuning search): open the graph saved there instead of building it, or build and save it
// there when the file is missing. build_seconds_2t is then the open time.
static IHnswIndex BuildOrOpen(ArrayVectorSource source, HnswParameters parameters)
{
    var path = Environment.GetEnvironmentVariable("BENCH_GRAPH");
    if (string.IsNullOrEmpty(path))
    {
        return HnswIndex.Build(Distance.Euclid, source, parameters, threads: 2);
    }

    if (File.Exists(path))
    {
        var opened = HnswIndex.Open(path, Distance.Euclid, source);
        if (opened.TryGet(out var graph, out var error))
        {
            return graph;
        }

        throw new InvalidOperationException(error.ToString());
    }

    var index = HnswIndex.Build(Distance.Euclid, source, parameters, threads: 2);
    index.Save(path);
    return index;
}

static int SearchPasses() => int.TryParse(Environment.GetEnvironmentVariable("BENCH_SEARCH_PASSES"), out var n) && n > 0 ? n : 3;

// VmHWM: the process's peak resident set, the number getrusage's ru_maxrss reports for hnswlib.
static double PeakRssMegabytes()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
        {
            return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        }
    }

    return 0;
}

// The graph's own size: layer 0 table plus upper layers (about 1/M of the nodes); vectors stay in their storage.
static double IndexMegabytes(IHnswIndex index, HnswParameters parameters)
    => index.Count * (((1.0 + parameters.M0) * sizeof(uint)) + 1 + ((1.0 + parameters.M) * sizeof(uint) / (parameters.M - 1))) / (1024.0 * 1024.0);
