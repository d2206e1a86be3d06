using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Kernels;

namespace AotVector.Server.Hosting;

/// <summary>
/// GET /telemetry in the reference's shape, written by hand (the shape depends on the detail level and the caller).
/// details_level 0: app, collection count, request statistics; 1: app features and system, a summary per collection,
/// memory; 2: each collection's config; 3: its shards with point and vector counts and the optimizer's status;
/// 4: segments and the optimizer's log. A caller with rights on some collections only (a scoped JWT) sees those
/// collections and nothing server-wide: no id, no request statistics, no memory.
/// </summary>
internal sealed class TelemetryReport(VectorEngine engine, RequestStatistics requests, bool jwtRbac, Cluster.ConsensusNode? cluster = null)
{
    /// <summary>Identifies this run of the server, as the reference's id does (a new one each start, no host name).</summary>
    private static readonly string s_runId = Guid.NewGuid().ToString();

    public void Write(IBufferWriter<byte> output, AccessContext access, int level, bool anonymize, long startTimestamp)
    {
        var anon = new Anonymizer(anonymize);
        var global = access.Global >= AccessLevel.Read;
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WritePropertyName("result");
        w.WriteStartObject();
        if (global)
        {
            w.WriteString("id", s_runId);
        }

        WriteApp(w, level);
        var reports = engine.Reports(access);
        WriteCollections(w, reports, level, anon);
        if (global)
        {
            Cluster.ClusterTelemetry.Write(w, cluster, level);
            WriteRequests(w, level, anon);
            if (level > 0)
            {
                var m = ProcessStatistics.Memory();
                w.WriteStartObject("memory");
                w.WriteNumber("active_bytes", m.Active);
                w.WriteNumber("allocated_bytes", m.Allocated);
                w.WriteNumber("metadata_bytes", m.Metadata);
                w.WriteNumber("resident_bytes", m.Resident);
                w.WriteNumber("retained_bytes", m.Retained);
                w.WriteEndObject();
            }
        }

        w.WriteEndObject();
        w.WriteString("status", "ok");
        w.WriteNumber("time", System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
        w.WriteEndObject();
    }

    private void WriteApp(Utf8JsonWriter w, int level)
    {
        w.WriteStartObject("app");
        w.WriteString("name", "aotvector");
        w.WriteString("version", ServerHost.Version);
        if (level >= 1)
        {
            w.WriteStartObject("features");
            w.WriteBoolean("debug", false);
            w.WriteBoolean("service_debug_feature", false);
            w.WriteBoolean("recovery_mode", false);
            w.WriteBoolean("gpu", false);
            w.WriteBoolean("rocksdb", false);
            w.WriteBoolean("staging", false);
            w.WriteEndObject();
            w.WriteStartObject("system");
            w.WriteString("distribution", OperatingSystem.IsLinux() ? "linux" : Environment.OSVersion.Platform.ToString().ToLowerInvariant());
            w.WriteString("distribution_version", Environment.OSVersion.Version.ToString());
            w.WriteBoolean("is_docker", File.Exists("/.dockerenv"));
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteNumber("ram_size", GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024);
            w.WriteString("cpu_flags", SimdInfo.Describe());
            w.WriteEndObject();
        }

        w.WriteBoolean("jwt_rbac", jwtRbac);
        w.WriteString("startup", OptimizationsJson.Timestamp(ProcessStatistics.StartedAt));
        w.WriteEndObject();
    }

    private static void WriteCollections(Utf8JsonWriter w, IReadOnlyList<CollectionReport> reports, int level, Anonymizer anon)
    {
        w.WriteStartObject("collections");
        w.WriteNumber("number_of_collections", reports.Count);
        if (level >= 1)
        {
            w.WriteStartArray("collections");
            foreach (var c in reports)
            {
                if (level == 1)
                {
                    WriteAggregated(w, c, anon);
                }
                else
                {
                    WriteFull(w, c, level, anon);
                }
            }

            w.WriteEndArray();
        }

        if (level >= 2)
        {
            // The reference's per-collection snapshot counters (collection and shard snapshots since the start).
            w.WriteStartArray("snapshots");
            foreach (var c in reports)
            {
                w.WriteStartObject();
                w.WriteString("id", anon.Name(c.Name));
                w.WriteNumber("running_snapshots", c.Snapshots.CreationsRunning);
                w.WriteNumber("running_snapshot_recovery", c.Snapshots.RecoveriesRunning);
                w.WriteNumber("total_snapshot_creations", c.Snapshots.Created);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteAggregated(Utf8JsonWriter w, CollectionReport c, Anonymizer anon)
    {
        w.WriteStartObject();
        w.WriteNumber("vectors", anon.Count(c.VectorsByName.Values.Aggregate(0UL, (a, b) => a + b)));
        WriteOptimizerStatus(w, "optimizers_status", c.Info.OptimizerError);
        WriteParams(w, c.Info.Config.Params);
        w.WriteEndObject();
    }

    private static void WriteFull(Utf8JsonWriter w, CollectionReport c, int level, Anonymizer anon)
    {
        var config = c.Info.Config;
        w.WriteStartObject();
        w.WriteString("id", anon.Name(c.Name));
        w.WriteStartObject("config");
        WriteParams(w, config.Params);
        w.WriteStartObject("hnsw_config");
        WriteHnsw(w, config.HnswConfig);
        w.WriteEndObject();
        w.WriteStartObject("optimizer_config");
        var o = config.OptimizersConfig;
        w.WriteNumber("deleted_threshold", o.DeletedThreshold);
        w.WriteNumber("vacuum_min_vector_number", o.VacuumMinVectorNumber);
        w.WriteNumber("default_segment_number", o.DefaultSegmentNumber);
        WriteNullable(w, "max_segment_size", o.MaxSegmentSize);
        WriteNullable(w, "memmap_threshold", o.MemmapThreshold);
        WriteNullable(w, "indexing_threshold", o.IndexingThreshold);
        w.WriteNumber("flush_interval_sec", o.FlushIntervalSec);
        WriteNullable(w, "max_optimization_threads", o.MaxOptimizationThreads);
        w.WriteEndObject();
        w.WriteStartObject("wal_config");
        w.WriteNumber("wal_capacity_mb", config.WalConfig.WalCapacityMb);
        w.WriteNumber("wal_segments_ahead", config.WalConfig.WalSegmentsAhead);
        w.WriteNumber("wal_retain_closed", config.WalConfig.WalRetainClosed);
        w.WriteEndObject();
        w.WriteNull("quantization_config");
        w.WriteEndObject();
        if (level >= 3)
        {
            WriteShards(w, c, level, anon);
            w.WriteStartArray("transfers");
            w.WriteEndArray();
            w.WriteStartArray("resharding");
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    // The collection's local shard as the reference's single-node telemetry shows it: shard 0, one active replica.
    private static void WriteShards(Utf8JsonWriter w, CollectionReport c, int level, Anonymizer anon)
    {
        w.WriteStartArray("shards");
        w.WriteStartObject();
        w.WriteNumber("id", 0);
        w.WriteNull("key");
        w.WriteStartObject("local");
        w.WriteNull("variant_name");
        w.WriteNull("status");
        w.WriteNumber("total_optimized_points", anon.Count(c.TotalOptimizedPoints));
        w.WriteNumber("num_points", anon.Count(c.Info.PointsCount));
        w.WriteNumber("num_vectors", anon.Count(c.VectorsByName.Values.Aggregate(0UL, (a, b) => a + b)));
        w.WriteStartObject("num_vectors_by_name");
        foreach (var (name, count) in c.VectorsByName.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(name, anon.Count(count));
        }

        w.WriteEndObject();
        if (level >= 4 && c.Segments.Count > 0)
        {
            w.WriteStartArray("segments");
            foreach (var s in c.Segments)
            {
                w.WriteStartObject();
                w.WriteStartObject("info");
                w.WriteString("uuid", anon.Name(s.Id));
                w.WriteString("segment_type", s.IndexedVectors > 0 ? "indexed" : "plain");
                w.WriteNumber("num_vectors", anon.Count(s.Vectors));
                w.WriteNumber("num_points", anon.Count(s.Points));
                w.WriteNumber("num_indexed_vectors", anon.Count(s.IndexedVectors));
                w.WriteNumber("num_deleted_vectors", anon.Count(s.DeletedPoints));
                w.WriteBoolean("is_appendable", s.Appendable);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteStartObject("optimizations");
        WriteOptimizerStatus(w, "status", c.Info.OptimizerError);
        w.WriteStartObject("optimizations");
        w.WriteNumber("count", anon.Count(c.OptimizationsRun));
        if (c.OptimizationsFailed > 0)
        {
            w.WriteNumber("fail_count", anon.Count(c.OptimizationsFailed));
        }

        w.WriteEndObject();
        if (level >= 4)
        {
            w.WriteStartArray("log");
            foreach (var record in c.Optimizations.Running.Concat(c.Optimizations.Completed))
            {
                w.WriteStartObject();
                w.WriteString("name", record.Optimizer);
                w.WriteString("uuid", anon.Name(record.Id));
                w.WriteStartArray("segment_uuids");
                foreach (var s in record.Segments)
                {
                    w.WriteStringValue(anon.Name(s.Id));
                }

                w.WriteEndArray();
                OptimizationsJson.WriteStatus(w, record);
                w.WriteString("start_at", OptimizationsJson.Timestamp(record.StartedAt));
                if (record.FinishedAt is { } end)
                {
                    w.WriteString("end_at", OptimizationsJson.Timestamp(end));
                }
                else
                {
                    w.WriteNull("end_at");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("remote");
        w.WriteEndArray();
        w.WriteStartObject("replicate_states");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteOptimizerStatus(Utf8JsonWriter w, string name, string? error)
    {
        if (error is null)
        {
            w.WriteString(name, "ok");
        }
        else
        {
            w.WriteStartObject(name);
            w.WriteString("error", error);
            w.WriteEndObject();
        }
    }

    private static void WriteParams(Utf8JsonWriter w, CollectionParams p)
    {
        w.WriteStartObject("params");
        if (p.Vectors.Single is { } single)
        {
            w.WritePropertyName("vectors");
            WriteVector(w, single);
        }
        else
        {
            w.WriteStartObject("vectors");
            foreach (var (name, v) in p.Vectors.Named ?? new Dictionary<string, VectorParams>())
            {
                w.WritePropertyName(name);
                WriteVector(w, v);
            }

            w.WriteEndObject();
        }

        w.WriteNumber("shard_number", p.ShardNumber);
        w.WriteNumber("replication_factor", p.ReplicationFactor);
        w.WriteNumber("write_consistency_factor", p.WriteConsistencyFactor);
        w.WriteBoolean("on_disk_payload", p.OnDiskPayload);
        w.WriteEndObject();
    }

    private static void WriteVector(Utf8JsonWriter w, VectorParams v)
    {
        w.WriteStartObject();
        w.WriteNumber("size", v.Size);
        w.WriteString("distance", v.Distance.ToString());
        w.WriteEndObject();
    }

    private static void WriteHnsw(Utf8JsonWriter w, HnswConfig h)
    {
        w.WriteNumber("m", h.M);
        w.WriteNumber("ef_construct", h.EfConstruct);
        w.WriteNumber("full_scan_threshold", h.FullScanThreshold);
        w.WriteNumber("max_indexing_threads", h.MaxIndexingThreads);
        w.WriteBoolean("on_disk", h.OnDisk);
        WriteNullable(w, "payload_m", h.PayloadM);
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, ulong? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    // Response statistics per endpoint and status. Level 0 gives counts and averages; from level 1, the minimum,
    // maximum, total and last response time too (as the reference).
    private void WriteRequests(Utf8JsonWriter w, int level, Anonymizer anon)
    {
        w.WriteStartObject("requests");
        w.WriteStartObject("rest");
        WriteResponses(w, requests.Rest(), level, anon);
        w.WriteEndObject();
        w.WriteStartObject("grpc");
        WriteResponses(w, requests.Grpc(), level, anon);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteResponses(Utf8JsonWriter w, IReadOnlyList<KeyValuePair<(string Endpoint, int Status), DurationSnapshot>> responses, int level, Anonymizer anon)
    {
        w.WriteStartObject("responses");
        foreach (var group in responses.GroupBy(r => r.Key.Endpoint, StringComparer.Ordinal))
        {
            w.WriteStartObject(group.Key);
            foreach (var ((_, status), stats) in group)
            {
                w.WriteStartObject(status.ToString(CultureInfo.InvariantCulture));
                w.WriteNumber("count", anon.Count((ulong)stats.Count));
                w.WriteNumber("avg_duration_micros", Math.Round(stats.AverageSeconds * 1e6, 3));
                if (level >= 1)
                {
                    w.WriteNumber("min_duration_micros", Math.Round(stats.MinSeconds * 1e6, 3));
                    w.WriteNumber("max_duration_micros", Math.Round(stats.MaxSeconds * 1e6, 3));
                    w.WriteNumber("total_duration_micros", (long)(stats.TotalSeconds * 1e6));
                    w.WriteString("last_responded", OptimizationsJson.Timestamp(stats.LastResponded));
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
