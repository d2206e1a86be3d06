using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Storage.Files;

namespace AotVector.Engine.Collections;

/// <summary>
/// Reads and writes a collection's configuration as JSON (<c>collection.json</c>, written
/// atomically). The shape mirrors Qdrant's collection config so an operator can read it.
/// </summary>
internal static class CollectionConfigStore
{
    public const string FileName = "collection.json";

    public static void Save(string directory, string name, CollectionConfig config)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("format", 1);
            w.WriteString("name", name);
            w.WritePropertyName("vectors");
            var vectors = config.Params.Vectors;
            if (vectors.Single is not null)
            {
                WriteVectorParams(w, vectors.Single);
            }
            else
            {
                w.WriteStartObject();
                foreach (var (vectorName, p) in vectors.Named!)
                {
                    w.WritePropertyName(vectorName);
                    WriteVectorParams(w, p);
                }

                w.WriteEndObject();
            }

            w.WriteNumber("shard_number", config.Params.ShardNumber);
            w.WriteNumber("replication_factor", config.Params.ReplicationFactor);
            w.WriteNumber("write_consistency_factor", config.Params.WriteConsistencyFactor);
            w.WriteBoolean("on_disk_payload", config.Params.OnDiskPayload);
            w.WritePropertyName("hnsw_config");
            WriteHnsw(w, config.HnswConfig);
            var o = config.OptimizersConfig;
            w.WriteStartObject("optimizer_config");
            w.WriteNumber("deleted_threshold", o.DeletedThreshold);
            w.WriteNumber("vacuum_min_vector_number", o.VacuumMinVectorNumber);
            w.WriteNumber("default_segment_number", o.DefaultSegmentNumber);
            WriteOpt(w, "max_segment_size", o.MaxSegmentSize);
            WriteOpt(w, "memmap_threshold", o.MemmapThreshold);
            WriteOpt(w, "indexing_threshold", o.IndexingThreshold);
            w.WriteNumber("flush_interval_sec", o.FlushIntervalSec);
            WriteOpt(w, "max_optimization_threads", o.MaxOptimizationThreads);
            w.WriteEndObject();
            w.WriteStartObject("wal_config");
            w.WriteNumber("wal_capacity_mb", config.WalConfig.WalCapacityMb);
            w.WriteNumber("wal_segments_ahead", config.WalConfig.WalSegmentsAhead);
            w.WriteNumber("wal_retain_closed", config.WalConfig.WalRetainClosed);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        AtomicFile.WriteAllBytes(Path.Combine(directory, FileName), buffer.ToArray());
    }

    public static (string Name, CollectionConfig Config) Load(string directory)
    {
        var bytes = File.ReadAllBytes(Path.Combine(directory, FileName));
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        var v = root.GetProperty("vectors");
        VectorsConfig vectors;
        if (v.TryGetProperty("size", out _))
        {
            vectors = new VectorsConfig(ReadVectorParams(v), null);
        }
        else
        {
            var named = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
            foreach (var prop in v.EnumerateObject())
            {
                named[prop.Name] = ReadVectorParams(prop.Value);
            }

            vectors = new VectorsConfig(null, named);
        }

        var parameters = new CollectionParams(
            vectors,
            root.GetProperty("shard_number").GetUInt32(),
            root.GetProperty("replication_factor").GetUInt32(),
            root.GetProperty("write_consistency_factor").GetUInt32(),
            root.GetProperty("on_disk_payload").GetBoolean());
        var h = root.GetProperty("hnsw_config");
        var hnsw = ReadHnsw(h);
        var o = root.GetProperty("optimizer_config");
        var optimizers = new OptimizersConfig(
            o.GetProperty("deleted_threshold").GetDouble(),
            o.GetProperty("vacuum_min_vector_number").GetUInt64(),
            o.GetProperty("default_segment_number").GetUInt64(),
            ReadOpt(o, "max_segment_size"),
            ReadOpt(o, "memmap_threshold"),
            ReadOpt(o, "indexing_threshold"),
            o.GetProperty("flush_interval_sec").GetUInt64(),
            ReadOpt(o, "max_optimization_threads"));
        var wal = root.GetProperty("wal_config");
        var walConfig = new WalConfig(
            wal.GetProperty("wal_capacity_mb").GetUInt64(),
            wal.GetProperty("wal_segments_ahead").GetUInt64(),
            wal.GetProperty("wal_retain_closed").GetUInt64());
        return (root.GetProperty("name").GetString()!, new CollectionConfig(parameters, hnsw, optimizers, walConfig));
    }

    private static void WriteVectorParams(Utf8JsonWriter w, VectorParams p)
    {
        w.WriteStartObject();
        w.WriteNumber("size", p.Size);
        w.WriteString("distance", p.Distance.ToString());
        if (p.OnDisk is { } onDisk)
        {
            w.WriteBoolean("on_disk", onDisk);
        }

        if (p.HnswConfig is { } d)
        {
            w.WriteStartObject("hnsw_config");
            WriteOpt(w, "m", d.M);
            WriteOpt(w, "ef_construct", d.EfConstruct);
            WriteOpt(w, "full_scan_threshold", d.FullScanThreshold);
            WriteOpt(w, "max_indexing_threads", d.MaxIndexingThreads);
            if (d.OnDisk is { } hOnDisk)
            {
                w.WriteBoolean("on_disk", hOnDisk);
            }

            WriteOpt(w, "payload_m", d.PayloadM);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static VectorParams ReadVectorParams(JsonElement e)
    {
        HnswConfigDiff? diff = null;
        if (e.TryGetProperty("hnsw_config", out var h))
        {
            diff = new HnswConfigDiff(
                ReadOpt(h, "m"),
                ReadOpt(h, "ef_construct"),
                ReadOpt(h, "full_scan_threshold"),
                ReadOpt(h, "max_indexing_threads"),
                h.TryGetProperty("on_disk", out var od) && od.ValueKind != JsonValueKind.Null ? od.GetBoolean() : null,
                ReadOpt(h, "payload_m"));
        }

        bool? onDisk = e.TryGetProperty("on_disk", out var o) && o.ValueKind != JsonValueKind.Null ? o.GetBoolean() : null;
        return new VectorParams(e.GetProperty("size").GetUInt64(), Enum.Parse<Distance>(e.GetProperty("distance").GetString()!), diff, onDisk);
    }

    private static void WriteHnsw(Utf8JsonWriter w, HnswConfig h)
    {
        w.WriteStartObject();
        w.WriteNumber("m", h.M);
        w.WriteNumber("ef_construct", h.EfConstruct);
        w.WriteNumber("full_scan_threshold", h.FullScanThreshold);
        w.WriteNumber("max_indexing_threads", h.MaxIndexingThreads);
        w.WriteBoolean("on_disk", h.OnDisk);
        WriteOpt(w, "payload_m", h.PayloadM);
        w.WriteEndObject();
    }

    private static HnswConfig ReadHnsw(JsonElement h) => new(
        h.GetProperty("m").GetUInt64(),
        h.GetProperty("ef_construct").GetUInt64(),
        h.GetProperty("full_scan_threshold").GetUInt64(),
        h.GetProperty("max_indexing_threads").GetUInt64(),
        h.GetProperty("on_disk").GetBoolean(),
        ReadOpt(h, "payload_m"));

    private static void WriteOpt(Utf8JsonWriter w, string name, ulong? value)
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

    private static ulong? ReadOpt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetUInt64() : null;
}
