using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using AotVector.Common.Model;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.AnnBench;

/// <summary>
/// The memory target measured on the whole database, not the bare graph: the engine runs in this process through its
/// public API (create, upsert, wait for the optimizer, query) and the process's resident set is compared with the raw
/// vector bytes plus the graph files. Prints one JSON object.
/// </summary>
/// <remarks>
/// The base set is streamed from disk in batches, so the harness itself holds no copy of it; what stays resident is
/// the engine's. With <c>reopen</c> an existing storage directory is opened instead (a restarted server's footprint).
/// </remarks>
internal static class EngineMemory
{
    private const string Collection = "scale";
    private const int Batch = 1_000;
    private const int QueryCount = 500;
    private const int K = 10;
    private const int Ef = 64;

    public static async Task<string> RunAsync(string dataDir, string storageDir, string mode)
    {
        var access = AccessContext.Full;
        bool reopen = mode == "reopen";
        bool withPayload = mode == "payload";
        var (queries, _, dim) = BinMatrix.Read<float>(Path.Combine(dataDir, "query.fbin"));
        var (truth, _, truthCols) = BinMatrix.Read<uint>(Path.Combine(dataDir, "truth.ibin"));
        if (!reopen && Directory.Exists(storageDir))
        {
            Directory.Delete(storageDir, recursive: true);
        }

        var total = Stopwatch.StartNew();
        using var engine = VectorEngine.Open(EngineOptions.Defaults(storageDir));
        int rows = 0;
        double upsertSeconds = 0;
        if (!reopen)
        {
            var created = await engine.CreateAsync(access, new CreateCollectionRequest(Collection, new VectorsConfig(new VectorParams((ulong)dim, Distance.Euclid), null)), default);
            Check(created.IsOk, created.IsOk ? null : created.Error.Message);
            rows = await UpsertAsync(engine, Path.Combine(dataDir, "base.fbin"), withPayload);
            upsertSeconds = total.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"engine-memory: {rows} points upserted in {upsertSeconds:F1} s (RSS {Status("VmRSS") / 1024:F0} MB)");
        }

        var info = await WaitIndexedAsync(engine, reopen ? -1 : rows);
        rows = (int)info.PointsCount;
        double indexedSeconds = total.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"engine-memory: green, {info.IndexedVectorsCount} indexed in {info.SegmentsCount} segments at {indexedSeconds:F1} s");

        // A few hundred queries so the pages a search touches are resident, as in a serving process.
        var request = new SearchParams(HnswEf: Ef);
        long found = 0;
        var watch = Stopwatch.StartNew();
        for (int q = 0; q < QueryCount; q++)
        {
            var query = new QueryRequest(new NearestQuery(new DenseVectorInput(queries.AsSpan(q * dim, dim).ToArray())), null, null, K, 0, null, request, WithPayload.None, WithVector.None);
            var hits = await engine.QueryAsync(access, Collection, query, default, default);
            Check(hits.IsOk, hits.IsOk ? null : hits.Error.Message);
            var expected = truth.AsSpan(q * truthCols, K);
            foreach (var hit in hits.Value!)
            {
                if (expected.Contains((uint)hit.Id.Num))
                {
                    found++;
                }
            }
        }

        double qps = QueryCount / watch.Elapsed.TotalSeconds;

        // Steady state: what is left after a full compacting collection (freed managed memory goes back to the OS).
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        long managed = GC.GetTotalMemory(forceFullCollection: false);
        double rss = Status("VmRSS") * 1024.0;
        double peak = Status("VmHWM") * 1024.0;
        double anon = Status("RssAnon") * 1024.0;
        double fileBacked = Status("RssFile") * 1024.0;

        double raw = (double)rows * dim * sizeof(float);
        var files = StorageFiles(storageDir);
        double graph = files.Where(f => f.Category == "graph").Sum(f => (double)f.Bytes);
        var (mapped, mappings) = MappedResidency(storageDir);

        const double MB = 1024 * 1024;
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"engine\":\"aotvector-engine\",\"mode\":\"{mode}\",\"points\":{rows},\"dim\":{dim},\"segments\":{info.SegmentsCount},");
        json.Append(CultureInfo.InvariantCulture, $"\"upsert_seconds\":{upsertSeconds:F1},\"index_seconds\":{indexedSeconds - upsertSeconds:F1},\"total_seconds\":{indexedSeconds:F1},");
        json.Append(CultureInfo.InvariantCulture, $"\"query_recall_at_10\":{found / (double)(QueryCount * K):F4},\"query_ef\":{Ef},\"query_qps\":{qps:F0},");
        json.Append(CultureInfo.InvariantCulture, $"\"raw_vector_mb\":{raw / MB:F1},\"graph_mb\":{graph / MB:F1},\"rss_mb\":{rss / MB:F1},\"peak_rss_mb\":{peak / MB:F1},");
        json.Append(CultureInfo.InvariantCulture, $"\"ratio\":{rss / (raw + graph):F3},\"peak_ratio\":{peak / (raw + graph):F3},");
        json.Append(CultureInfo.InvariantCulture, $"\"rss_anon_mb\":{anon / MB:F1},\"rss_file_mb\":{fileBacked / MB:F1},");
        json.Append(CultureInfo.InvariantCulture, $"\"gc_heap_mb\":{gc.HeapSizeBytes / MB:F1},\"gc_committed_mb\":{gc.TotalCommittedBytes / MB:F1},\"gc_fragmented_mb\":{gc.FragmentedBytes / MB:F1},\"managed_live_mb\":{managed / MB:F1},");
        json.Append("\"resident_by_file_kind_mb\":{");
        json.AppendJoin(',', mapped.OrderByDescending(m => m.Value).Select(m => string.Create(CultureInfo.InvariantCulture, $"\"{m.Key}\":{m.Value / MB:F1}")));
        json.Append("},\"storage_mappings\":{");
        json.AppendJoin(',', mappings.Select(m => string.Create(CultureInfo.InvariantCulture, $"\"{m.Key}\":{m.Value}")));
        json.Append("},\"storage_files_mb\":{");
        json.AppendJoin(',', files.GroupBy(f => f.Category).OrderByDescending(g => g.Sum(f => f.Bytes))
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"\"{g.Key}\":{g.Sum(f => (double)f.Bytes) / MB:F1}")));
        json.Append("}}");
        return json.ToString();
    }

    private static async Task<int> UpsertAsync(VectorEngine engine, string basePath, bool withPayload)
    {
        using var file = File.OpenRead(basePath);
        var header = new byte[8];
        file.ReadExactly(header);
        int rows = BinaryPrimitives.ReadInt32LittleEndian(header);
        int dim = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        var bytes = new byte[Batch * dim * sizeof(float)];
        for (int first = 0; first < rows; first += Batch)
        {
            int count = Math.Min(Batch, rows - first);
            var chunk = bytes.AsSpan(0, count * dim * sizeof(float));
            file.ReadExactly(chunk);
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(chunk);
            var points = new PointStruct[count];
            for (int i = 0; i < count; i++)
            {
                Payload? payload = null;
                if (withPayload)
                {
                    // A small, typical payload: one integer and one short keyword.
                    payload = new Payload
                    {
                        ["n"] = PayloadValue.FromInteger(first + i),
                        ["tag"] = PayloadValue.FromString("t" + ((first + i) % 100).ToString(CultureInfo.InvariantCulture)),
                    };
                }

                var vector = values.Slice(i * dim, dim).ToArray();
                points[i] = new PointStruct((ulong)(first + i), new Dictionary<string, VectorData> { [VectorsConfig.DefaultName] = vector }, payload);
            }

            var result = await engine.UpdateAsync(AccessContext.Full, Collection, new UpsertPoints(points), new WriteOptions(Wait: true), default);
            Check(result.IsOk, result.IsOk ? null : result.Error.Message);
            if ((first / Batch) % 100 == 99)
            {
                Console.Error.WriteLine($"engine-memory: {first + count} upserted");
            }
        }

        return rows;
    }

    // Green with every point indexed; expected < 0 (reopen) takes the collection's own point count.
    private static async Task<CollectionInfo> WaitIndexedAsync(VectorEngine engine, int expected)
    {
        var last = DateTime.UtcNow;
        while (true)
        {
            var info = engine.GetInfo(AccessContext.Full, Collection);
            Check(info.IsOk, info.IsOk ? null : info.Error.Message);
            var value = info.Value!;
            ulong points = expected < 0 ? value.PointsCount : (ulong)expected;
            if (value.Status == CollectionStatus.Green && value.PointsCount == points && value.IndexedVectorsCount >= points)
            {
                return value;
            }

            if ((DateTime.UtcNow - last).TotalSeconds >= 30)
            {
                last = DateTime.UtcNow;
                Console.Error.WriteLine($"engine-memory: {value.Status}, {value.IndexedVectorsCount}/{value.PointsCount} indexed, {value.SegmentsCount} segments");
            }

            await Task.Delay(250);
        }
    }

    private static List<(string Category, long Bytes)> StorageFiles(string storageDir) =>
        Directory.EnumerateFiles(storageDir, "*", SearchOption.AllDirectories)
            .Select(path => (Kind(Path.GetFileName(path)), new FileInfo(path).Length))
            .ToList();

    // Resident bytes of each mapping, from /proc/self/smaps: storage files by kind, everything else by what it is.
    private static (Dictionary<string, double> Resident, Dictionary<string, int> Mappings) MappedResidency(string storageDir)
    {
        var root = Path.GetFullPath(storageDir);
        var result = new Dictionary<string, double>();
        var mappings = new Dictionary<string, int>();
        string current = "anonymous";
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            int space = line.IndexOf(' ');
            if (space > 0 && line.AsSpan(0, space).Contains('-') && !line.EndsWith(':'))
            {
                // Header: address perms offset dev inode [path]
                var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                string path = parts.Length > 5 ? parts[5].Trim() : "";
                // A file deleted while still mapped (e.g. a segment merged away) shows as "path (deleted)".
                bool deleted = path.EndsWith(" (deleted)", StringComparison.Ordinal);
                current = path.StartsWith(root, StringComparison.Ordinal)
                    ? "storage:" + Kind(Path.GetFileName(deleted ? path[..^10] : path)) + (deleted ? " (deleted file)" : "")
                    : path.Length == 0 || path.StartsWith('[') ? "anonymous"
                    : "program and libraries";
                if (current.StartsWith("storage:", StringComparison.Ordinal))
                {
                    // A page resident in several views of one file counts once per view in VmRSS.
                    mappings[current] = mappings.GetValueOrDefault(current) + 1;
                }
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                double kb = double.Parse(line[4..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                result[current] = result.GetValueOrDefault(current) + (kb * 1024);
            }
        }

        return (result, mappings);
    }

    private static string Kind(string name) =>
        name.StartsWith("hnsw-", StringComparison.Ordinal) && name.EndsWith(".bin", StringComparison.Ordinal) ? "graph"
        : name.Contains("wal", StringComparison.OrdinalIgnoreCase) ? "wal"
        : name.Contains("vector", StringComparison.OrdinalIgnoreCase) ? "vectors"
        : name.Contains("payload", StringComparison.OrdinalIgnoreCase) ? "payload"
        : "other:" + Path.GetExtension(name);

    // A /proc/self/status field in kB.
    private static double Status(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return double.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static void Check(bool ok, string? message)
    {
        if (!ok)
        {
            throw new InvalidOperationException(message);
        }
    }
}
