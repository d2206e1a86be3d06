using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Json;

/// <summary>Results of the collection endpoints: CollectionInfo (api.md §6), listings, aliases, exists.</summary>
internal static class CollectionJsonWriter
{
    public static void WriteInfo(Utf8JsonWriter writer, CollectionInfo info)
    {
        writer.WriteStartObject();
        writer.WriteString("status"u8, StatusName(info.Status));
        if (info.OptimizerError is null)
        {
            writer.WriteString("optimizer_status"u8, "ok"u8);
        }
        else
        {
            writer.WriteStartObject("optimizer_status"u8);
            writer.WriteString("error"u8, info.OptimizerError);
            writer.WriteEndObject();
        }

        writer.WriteNumber("indexed_vectors_count"u8, info.IndexedVectorsCount);
        writer.WriteNumber("points_count"u8, info.PointsCount);
        writer.WriteNumber("segments_count"u8, info.SegmentsCount);
        WriteConfig(writer, info.Config);
        writer.WriteStartObject("payload_schema"u8);
        foreach (var (field, schema) in info.PayloadSchema)
        {
            writer.WriteStartObject(field);
            writer.WriteString("data_type"u8, SchemaName(schema.DataType));
            writer.WriteNumber("points"u8, schema.Points);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("update_queue"u8);
        writer.WriteNumber("length"u8, 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>{"collections":[{"name":"a"},...]}.</summary>
    public static void WriteCollectionList(Utf8JsonWriter writer, IReadOnlyList<string> names)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("collections"u8);
        foreach (var name in names)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, name);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>{"aliases":[{"alias_name","collection_name"},...]}.</summary>
    public static void WriteAliases(Utf8JsonWriter writer, IReadOnlyList<AliasDescription> aliases)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("aliases"u8);
        foreach (var alias in aliases)
        {
            writer.WriteStartObject();
            writer.WriteString("alias_name"u8, alias.AliasName);
            writer.WriteString("collection_name"u8, alias.CollectionName);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteExists(Utf8JsonWriter writer, bool exists)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("exists"u8, exists);
        writer.WriteEndObject();
    }

    public static string StatusName(CollectionStatus status) => status switch
    {
        CollectionStatus.Green => "green",
        CollectionStatus.Yellow => "yellow",
        CollectionStatus.Red => "red",
        CollectionStatus.Grey => "grey",
    };

    public static string SchemaName(PayloadSchemaType type) => type switch
    {
        PayloadSchemaType.Keyword => "keyword",
        PayloadSchemaType.Integer => "integer",
        PayloadSchemaType.Float => "float",
        PayloadSchemaType.Geo => "geo",
        PayloadSchemaType.Text => "text",
        PayloadSchemaType.Bool => "bool",
        PayloadSchemaType.Datetime => "datetime",
        PayloadSchemaType.Uuid => "uuid",
    };

    public static string DistanceName(Distance distance) => distance switch
    {
        Distance.Cosine => "Cosine",
        Distance.Euclid => "Euclid",
        Distance.Dot => "Dot",
        Distance.Manhattan => "Manhattan",
    };

    private static void WriteConfig(Utf8JsonWriter writer, CollectionConfig config)
    {
        writer.WriteStartObject("config"u8);

        var p = config.Params;
        writer.WriteStartObject("params"u8);
        writer.WritePropertyName("vectors"u8);
        if (p.Vectors.Single is { } single)
        {
            WriteVectorParams(writer, single);
        }
        else
        {
            writer.WriteStartObject();
            foreach (var (name, vector) in p.Vectors.Named ?? new Dictionary<string, VectorParams>())
            {
                writer.WritePropertyName(name);
                WriteVectorParams(writer, vector);
            }

            writer.WriteEndObject();
        }

        writer.WriteNumber("shard_number"u8, p.ShardNumber);
        writer.WriteNumber("replication_factor"u8, p.ReplicationFactor);
        writer.WriteNumber("write_consistency_factor"u8, p.WriteConsistencyFactor);
        writer.WriteBoolean("on_disk_payload"u8, p.OnDiskPayload);
        writer.WriteEndObject();

        var h = config.HnswConfig;
        writer.WriteStartObject("hnsw_config"u8);
        writer.WriteNumber("m"u8, h.M);
        writer.WriteNumber("ef_construct"u8, h.EfConstruct);
        writer.WriteNumber("full_scan_threshold"u8, h.FullScanThreshold);
        writer.WriteNumber("max_indexing_threads"u8, h.MaxIndexingThreads);
        writer.WriteBoolean("on_disk"u8, h.OnDisk);
        if (h.PayloadM is { } payloadM)
        {
            writer.WriteNumber("payload_m"u8, payloadM);
        }

        writer.WriteEndObject();

        var o = config.OptimizersConfig;
        writer.WriteStartObject("optimizer_config"u8);
        writer.WriteNumber("deleted_threshold"u8, o.DeletedThreshold);
        writer.WriteNumber("vacuum_min_vector_number"u8, o.VacuumMinVectorNumber);
        writer.WriteNumber("default_segment_number"u8, o.DefaultSegmentNumber);
        WriteNullable(writer, "max_segment_size"u8, o.MaxSegmentSize);
        WriteNullable(writer, "memmap_threshold"u8, o.MemmapThreshold);
        WriteNullable(writer, "indexing_threshold"u8, o.IndexingThreshold);
        writer.WriteNumber("flush_interval_sec"u8, o.FlushIntervalSec);
        WriteNullable(writer, "max_optimization_threads"u8, o.MaxOptimizationThreads);
        writer.WriteNull("prevent_unoptimized"u8);
        writer.WriteEndObject();

        var w = config.WalConfig;
        writer.WriteStartObject("wal_config"u8);
        writer.WriteNumber("wal_capacity_mb"u8, w.WalCapacityMb);
        writer.WriteNumber("wal_segments_ahead"u8, w.WalSegmentsAhead);
        writer.WriteNumber("wal_retain_closed"u8, w.WalRetainClosed);
        writer.WriteEndObject();

        writer.WriteNull("quantization_config"u8);
        writer.WriteEndObject();
    }

    /// <summary>{"size","distance"} plus hnsw_config and on_disk only when set, as Qdrant skips None.</summary>
    private static void WriteVectorParams(Utf8JsonWriter writer, VectorParams vector)
    {
        writer.WriteStartObject();
        writer.WriteNumber("size"u8, vector.Size);
        writer.WriteString("distance"u8, DistanceName(vector.Distance));
        if (vector.HnswConfig is { } hnsw)
        {
            writer.WriteStartObject("hnsw_config"u8);
            WriteIfSet(writer, "m"u8, hnsw.M);
            WriteIfSet(writer, "ef_construct"u8, hnsw.EfConstruct);
            WriteIfSet(writer, "full_scan_threshold"u8, hnsw.FullScanThreshold);
            WriteIfSet(writer, "max_indexing_threads"u8, hnsw.MaxIndexingThreads);
            if (hnsw.OnDisk is { } onDisk)
            {
                writer.WriteBoolean("on_disk"u8, onDisk);
            }

            WriteIfSet(writer, "payload_m"u8, hnsw.PayloadM);
            writer.WriteEndObject();
        }

        if (vector.OnDisk is { } vectorOnDisk)
        {
            writer.WriteBoolean("on_disk"u8, vectorOnDisk);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ulong? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ulong? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
