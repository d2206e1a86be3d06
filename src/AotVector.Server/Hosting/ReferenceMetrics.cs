using System.Text;
using AotVector.Engine;
using AotVector.Engine.Api;

namespace AotVector.Server.Hosting;

/// <summary>
/// The reference's /metrics families, with its names, help texts, types and labels, so dashboards and alerts built
/// for it work unchanged. Like the reference, responses are exported only for its list of search, query, scroll and
/// update endpoints (bounded cardinality), timings only for REST 200 answers; with per_collection=true the REST
/// families carry a collection label instead. A family with nothing to show (no collection, no request yet) is
/// left out, as the reference leaves it out.
/// </summary>
internal static class ReferenceMetrics
{
    private static readonly HashSet<string> s_restEndpoints = new(StringComparer.Ordinal)
    {
        "/collections/{collection_name}/index",
        "/collections/{collection_name}/points",
        "/collections/{collection_name}/points/batch",
        "/collections/{collection_name}/points/count",
        "/collections/{collection_name}/points/delete",
        "/collections/{collection_name}/points/discover",
        "/collections/{collection_name}/points/discover/batch",
        "/collections/{collection_name}/points/facet",
        "/collections/{collection_name}/points/payload",
        "/collections/{collection_name}/points/payload/clear",
        "/collections/{collection_name}/points/payload/delete",
        "/collections/{collection_name}/points/query",
        "/collections/{collection_name}/points/query/batch",
        "/collections/{collection_name}/points/query/groups",
        "/collections/{collection_name}/points/recommend",
        "/collections/{collection_name}/points/recommend/batch",
        "/collections/{collection_name}/points/recommend/groups",
        "/collections/{collection_name}/points/scroll",
        "/collections/{collection_name}/points/search",
        "/collections/{collection_name}/points/search/batch",
        "/collections/{collection_name}/points/search/groups",
        "/collections/{collection_name}/points/search/matrix/offsets",
        "/collections/{collection_name}/points/search/matrix/pairs",
        "/collections/{collection_name}/points/vectors",
        "/collections/{collection_name}/points/vectors/delete",
        "/collections/{collection_name}/vectors/{vector_name}",
    };

    private static readonly HashSet<string> s_grpcEndpoints = new(StringComparer.Ordinal)
    {
        "/qdrant.Points/ClearPayload", "/qdrant.Points/Count", "/qdrant.Points/CreateVectorName", "/qdrant.Points/Delete",
        "/qdrant.Points/DeletePayload", "/qdrant.Points/DeleteVectorName", "/qdrant.Points/Discover", "/qdrant.Points/DiscoverBatch",
        "/qdrant.Points/Facet", "/qdrant.Points/Get", "/qdrant.Points/OverwritePayload", "/qdrant.Points/Query",
        "/qdrant.Points/QueryBatch", "/qdrant.Points/QueryGroups", "/qdrant.Points/Recommend", "/qdrant.Points/RecommendBatch",
        "/qdrant.Points/RecommendGroups", "/qdrant.Points/Scroll", "/qdrant.Points/Search", "/qdrant.Points/SearchBatch",
        "/qdrant.Points/SearchGroups", "/qdrant.Points/SetPayload", "/qdrant.Points/UpdateBatch", "/qdrant.Points/UpdateVectors",
        "/qdrant.Points/Upsert",
    };

    private const string Gauge = "gauge";
    private const string Counter = "counter";

    public static void Write(StringBuilder sb, VectorEngine engine, AccessContext access, RequestStatistics requests, bool perCollection)
    {
        var text = new PrometheusText(sb);
        text.Family("app_info", "information about qdrant server", Gauge, [(1, [("name", "aotvector"), ("version", ServerHost.Version)])]);
        text.Single("app_status_recovery_mode", "features enabled in qdrant server", Gauge, 0);
        WriteCollections(text, engine.Reports(access));
        text.Single("cluster_enabled", "is cluster support enabled", Gauge, 0);
        WriteRest(text, requests, perCollection);
        WriteGrpc(text, requests);
        WriteMemory(text);
        WriteProc(text);
    }

    private static void WriteCollections(PrometheusText text, IReadOnlyList<CollectionReport> collections)
    {
        text.Single("collections_total", "number of collections", Gauge, collections.Count);
        var vectors = new List<(double, (string, string)[])>();
        var points = new List<(double, (string, string)[])>();
        var running = new List<(double, (string, string)[])>();
        var zeroById = new List<(double, (string, string)[])>();
        var snapshotsRunning = new List<(double, (string, string)[])>();
        var recoveriesRunning = new List<(double, (string, string)[])>();
        var snapshotsCreated = new List<(double, (string, string)[])>();
        double vectorTotal = 0;
        foreach (var c in collections)
        {
            (string, string)[] id = [("id", c.Name)];
            foreach (var (name, count) in c.VectorsByName.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                vectors.Add((count, [("collection", c.Name), ("vector", name)]));
                vectorTotal += count;
            }

            points.Add((c.Info.PointsCount, id));
            running.Add((c.Optimizations.Running.Count, id));
            // Standalone: no transfers, no queued updates (updates apply when received). Written as zeros so
            // per-collection panels and alerts find their series.
            zeroById.Add((0, id));
            snapshotsRunning.Add((c.Snapshots.CreationsRunning, id));
            recoveriesRunning.Add((c.Snapshots.RecoveriesRunning, id));
            snapshotsCreated.Add((c.Snapshots.Created, id));
        }

        text.Single("collections_vector_total", "total number of vectors in all collections", Gauge, vectorTotal);
        text.Family("collection_vectors", "amount of vectors grouped by vector name", Gauge, vectors);
        // One local replica per shard, always active.
        var replicas = collections.Count > 0 ? 1 : 0;
        text.Single("collection_active_replicas_min", "minimum number of active replicas across all shards", Gauge, replicas);
        text.Single("collection_active_replicas_max", "maximum number of active replicas across all shards", Gauge, replicas);
        text.Family("collection_running_optimizations", "number of currently running optimization tasks per collection", Gauge, running);
        text.Family("collection_points", "approximate amount of points per collection", Gauge, points);
        text.Single("collection_dead_replicas", "total amount of shard replicas in non-active state", Gauge, 0);
        text.Family("snapshot_creation_running", "amount of snapshot creations that are currently running", Gauge, snapshotsRunning);
        text.Family("snapshot_recovery_running", "amount of snapshot recovery operations currently running", Gauge, recoveriesRunning);
        text.Family("snapshot_created_total", "total amount of snapshots created", Counter, snapshotsCreated);
        text.Family("collection_shard_transfer_incoming", "incoming shard transfers currently running", Gauge, zeroById);
        text.Family("collection_shard_transfer_outgoing", "outgoing shard transfers currently running", Gauge, zeroById);
        text.Family("collection_update_queue_length", "number of pending operations in update queues per collection", Gauge, zeroById);
        text.Family("collection_update_queue_deferred_points", "number of points currently hidden during read operations as they're not yet optimized", Gauge, zeroById);
    }

    private static void WriteRest(PrometheusText text, RequestStatistics requests, bool perCollection)
    {
        var series = new List<((string, string)[] Labels, DurationSnapshot Stats, bool Timings)>();
        if (perCollection)
        {
            foreach (var ((collection, key, status), stats) in requests.RestPerCollection())
            {
                if (Split(key) is { } parts)
                {
                    series.Add(([("method", parts.Method), ("endpoint", parts.Endpoint), ("status", Status(status)), ("collection", collection)], stats, status == 200));
                }
            }
        }
        else
        {
            foreach (var ((key, status), stats) in requests.Rest())
            {
                if (Split(key) is { } parts)
                {
                    series.Add(([("method", parts.Method), ("endpoint", parts.Endpoint), ("status", Status(status))], stats, status == 200));
                }
            }
        }

        WriteResponses(text, "rest_", series);
    }

    private static (string Method, string Endpoint)? Split(string key)
    {
        var space = key.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && s_restEndpoints.Contains(key[(space + 1)..]) ? (key[..space], key[(space + 1)..]) : null;
    }

    private static void WriteGrpc(PrometheusText text, RequestStatistics requests)
    {
        var series = new List<((string, string)[] Labels, DurationSnapshot Stats, bool Timings)>();
        foreach (var ((endpoint, status), stats) in requests.Grpc())
        {
            if (s_grpcEndpoints.Contains(endpoint))
            {
                series.Add(([("endpoint", endpoint), ("status", Status(status))], stats, true));
            }
        }

        WriteResponses(text, "grpc_", series);
    }

    private static string Status(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteResponses(PrometheusText text, string prefix, List<((string, string)[] Labels, DurationSnapshot Stats, bool Timings)> series)
    {
        var timed = series.Where(s => s.Timings).ToList();
        text.Family(prefix + "responses_total", "total number of responses", Counter, [.. series.Select(s => ((double)s.Stats.Count, s.Labels))]);
        text.Family(prefix + "responses_avg_duration_seconds", "average response duration", Gauge, [.. timed.Select(s => (s.Stats.AverageSeconds, s.Labels))]);
        text.Family(prefix + "responses_min_duration_seconds", "minimum response duration", Gauge, [.. timed.Select(s => (s.Stats.MinSeconds, s.Labels))]);
        text.Family(prefix + "responses_max_duration_seconds", "maximum response duration", Gauge, [.. timed.Select(s => (s.Stats.MaxSeconds, s.Labels))]);
        text.Histogram(prefix + "responses_duration_seconds", "response duration histogram",
            [.. timed.Select(s => (s.Labels, DurationStatistics.BucketBoundsSeconds, s.Stats.CumulativeBuckets, s.Stats.TotalSeconds, s.Stats.Count))]);
    }

    private static void WriteMemory(PrometheusText text)
    {
        var m = ProcessStatistics.Memory();
        text.Single("memory_active_bytes", "Total number of bytes in active pages allocated by the application", Gauge, m.Active);
        text.Single("memory_allocated_bytes", "Total number of bytes allocated by the application", Gauge, m.Allocated);
        text.Single("memory_metadata_bytes", "Total number of bytes dedicated to metadata", Gauge, m.Metadata);
        text.Single("memory_resident_bytes", "Maximum number of bytes in physically resident data pages mapped", Gauge, m.Resident);
        text.Single("memory_retained_bytes", "Total number of bytes in virtual memory mappings", Gauge, m.Retained);
    }

    private static void WriteProc(PrometheusText text)
    {
        if (ProcessStatistics.Proc() is not { } p)
        {
            return;
        }

        text.Single("process_threads", "count of active threads", Gauge, p.Threads);
        text.Single("process_open_mmaps", "count of open mmaps", Gauge, p.OpenMmaps);
        if (p.SystemMaxMmaps is { } max)
        {
            text.Single("system_max_mmaps", "system wide limit of open mmaps", Gauge, max);
        }

        text.Single("process_open_fds", "count of currently open file descriptors", Gauge, p.OpenFds);
        text.Single("process_max_fds", "limit for open file descriptors", Gauge, p.MaxFds);
        text.Single("process_minor_page_faults_total", "count of minor page faults which didn't cause a disk access", Counter, p.MinorFaults);
        text.Single("process_major_page_faults_total", "count of disk accesses caused by a mmap page fault", Counter, p.MajorFaults);
    }
}
