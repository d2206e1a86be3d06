using System.Text.Json.Serialization;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Files;

/// <summary>
/// <c>collection.json</c>: the collection's name and configuration in Qdrant's field names, so an operator can read
/// it. Member order, and which unset values are written as null and which are left out, are part of the format: a
/// file written by any format-1 build reads back, and saving what was read gives the same bytes.
/// <c>required</c> members must be in the file; the others may be missing (read as unset). Format 2 adds
/// <c>metadata</c>; a collection without metadata is still written as format 1, so builds that read only format 1
/// keep reading it.
/// </summary>
internal sealed class CollectionConfigFile
{
    public const int CurrentFormat = 2;

    /// <summary>The format a file without metadata is written in.</summary>
    public const int PlainFormat = 1;

    public required int Format { get; init; }

    public required string Name { get; init; }

    public required VectorsFile Vectors { get; init; }

    /// <summary>Left out when the collection has no sparse vectors, so files without them keep their bytes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, SparseVectorParamsFile>? SparseVectors { get; init; }

    public required uint ShardNumber { get; init; }

    public required uint ReplicationFactor { get; init; }

    public required uint WriteConsistencyFactor { get; init; }

    public required bool OnDiskPayload { get; init; }

    /// <summary><c>payload.memory</c> as given; left out when not given, so files without it keep their bytes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PayloadMemory { get; init; }

    public required HnswConfigFile HnswConfig { get; init; }

    public required OptimizerConfigFile OptimizerConfig { get; init; }

    public required WalConfigFile WalConfig { get; init; }

    /// <summary>Left out when the collection has none, so files without it keep their bytes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QuantizationConfigFile? QuantizationConfig { get; init; }

    /// <summary>Left out when never set, so files without it keep their bytes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StrictModeConfigFile? StrictModeConfig { get; init; }

    /// <summary>Format 2: the collection's free-form metadata; left out (and the file format 1) when never set.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(PayloadFileConverter))]
    public Payload? Metadata { get; init; }

    /// <summary>Whether this build reads a file of <paramref name="format"/>.</summary>
    public static bool Reads(int format) => format is >= PlainFormat and <= CurrentFormat;

    public static CollectionConfigFile From(string name, CollectionConfig config)
    {
        var p = config.Params;
        var h = config.HnswConfig;
        var o = config.OptimizersConfig;
        var w = config.WalConfig;
        return new CollectionConfigFile
        {
            Format = config.Metadata is null ? PlainFormat : CurrentFormat,
            Name = name,
            Vectors = p.Vectors.Single is { } single
                ? new VectorsFile(VectorParamsFile.From(single), null)
                : new VectorsFile(null, (p.Vectors.Named ?? new Dictionary<string, VectorParams>()).ToDictionary(v => v.Key, v => VectorParamsFile.From(v.Value), StringComparer.Ordinal)),
            SparseVectors = p.SparseVectors is { Count: > 0 } sparse
                ? sparse.ToDictionary(v => v.Key, v => SparseVectorParamsFile.From(v.Value), StringComparer.Ordinal)
                : null,
            ShardNumber = p.ShardNumber,
            ReplicationFactor = p.ReplicationFactor,
            WriteConsistencyFactor = p.WriteConsistencyFactor,
            OnDiskPayload = p.OnDiskPayload,
            PayloadMemory = p.PayloadMemory,
            HnswConfig = new HnswConfigFile
            {
                M = h.M,
                EfConstruct = h.EfConstruct,
                FullScanThreshold = h.FullScanThreshold,
                MaxIndexingThreads = h.MaxIndexingThreads,
                OnDisk = h.OnDisk,
                PayloadM = h.PayloadM,
                Memory = h.Memory,
            },
            OptimizerConfig = new OptimizerConfigFile
            {
                DeletedThreshold = o.DeletedThreshold,
                VacuumMinVectorNumber = o.VacuumMinVectorNumber,
                DefaultSegmentNumber = o.DefaultSegmentNumber,
                MaxSegmentSize = o.MaxSegmentSize,
                MemmapThreshold = o.MemmapThreshold,
                IndexingThreshold = o.IndexingThreshold,
                FlushIntervalSec = o.FlushIntervalSec,
                MaxOptimizationThreads = o.MaxOptimizationThreads,
            },
            WalConfig = new WalConfigFile
            {
                WalCapacityMb = w.WalCapacityMb,
                WalSegmentsAhead = w.WalSegmentsAhead,
                WalRetainClosed = w.WalRetainClosed,
            },
            QuantizationConfig = QuantizationConfigFile.From(config.QuantizationConfig),
            StrictModeConfig = StrictModeConfigFile.From(config.StrictModeConfig),
            Metadata = config.Metadata,
        };
    }

    public CollectionConfig ToConfig()
    {
        var vectors = Vectors.Single is { } single
            ? new VectorsConfig(single.ToParams(), null)
            : new VectorsConfig(null, (Vectors.Named ?? []).ToDictionary(v => v.Key, v => v.Value.ToParams(), StringComparer.Ordinal));
        var h = HnswConfig;
        var o = OptimizerConfig;
        return new CollectionConfig(
            new CollectionParams(vectors, ShardNumber, ReplicationFactor, WriteConsistencyFactor, OnDiskPayload)
            {
                SparseVectors = SparseVectors is { Count: > 0 } sparse
                    ? sparse.ToDictionary(v => v.Key, v => v.Value.ToParams(), StringComparer.Ordinal)
                    : null,
                PayloadMemory = PayloadMemory,
            },
            new Api.HnswConfig(h.M, h.EfConstruct, h.FullScanThreshold, h.MaxIndexingThreads, h.OnDisk, h.PayloadM) { Memory = h.Memory },
            new OptimizersConfig(o.DeletedThreshold, o.VacuumMinVectorNumber, o.DefaultSegmentNumber, o.MaxSegmentSize, o.MemmapThreshold, o.IndexingThreshold, o.FlushIntervalSec, o.MaxOptimizationThreads),
            new WalConfig(WalConfig.WalCapacityMb, WalConfig.WalSegmentsAhead, WalConfig.WalRetainClosed))
        {
            QuantizationConfig = QuantizationConfig?.ToConfig(),
            StrictModeConfig = StrictModeConfig?.ToConfig(),
            Metadata = Metadata,
        };
    }
}

/// <summary>"vectors": one unnamed vector's parameters, or a map of named vectors (exactly one is set).</summary>
[JsonConverter(typeof(VectorsFileConverter))]
internal sealed record VectorsFile(VectorParamsFile? Single, Dictionary<string, VectorParamsFile>? Named);

/// <summary>A vector's parameters; on_disk and hnsw_config are left out when unset.</summary>
internal sealed class VectorParamsFile
{
    public required ulong Size { get; init; }

    public required Common.Model.Distance Distance { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? OnDisk { get; init; }

    /// <summary><c>memory</c> as given; absent when not given (and in files written before it existed).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Memory { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HnswConfigDiffFile? HnswConfig { get; init; }

    /// <summary>Absent for a plain dense vector (and in files written before multivectors existed).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MultiVectorConfigFile? MultivectorConfig { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public QuantizationConfigFile? QuantizationConfig { get; init; }

    /// <summary>The datatype as given, by its REST name; absent when not given (and in files written before datatypes).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Datatype { get; init; }

    public static VectorParamsFile From(VectorParams p) => new()
    {
        Datatype = p.Datatype is { } datatype ? VectorDatatypes.Name(datatype) : null,
        Size = p.Size,
        Distance = p.Distance,
        OnDisk = p.OnDisk,
        Memory = p.Memory,
        MultivectorConfig = p.MultivectorConfig is { } multi ? MultiVectorConfigFile.From(multi) : null,
        QuantizationConfig = QuantizationConfigFile.From(p.QuantizationConfig),
        HnswConfig = p.HnswConfig is { } d
            ? new HnswConfigDiffFile
            {
                M = d.M,
                EfConstruct = d.EfConstruct,
                FullScanThreshold = d.FullScanThreshold,
                MaxIndexingThreads = d.MaxIndexingThreads,
                OnDisk = d.OnDisk,
                PayloadM = d.PayloadM,
                Memory = d.Memory,
            }
            : null,
    };

    public VectorParams ToParams() => new(
        Size,
        Distance,
        HnswConfig is { } d ? new HnswConfigDiff(d.M, d.EfConstruct, d.FullScanThreshold, d.MaxIndexingThreads, d.OnDisk, d.PayloadM) { Memory = d.Memory } : null,
        OnDisk,
        MultivectorConfig?.ToConfig())
    {
        QuantizationConfig = QuantizationConfig?.ToConfig(),
        Memory = Memory,
        Datatype = Datatype is { } name ? (VectorDatatypes.TryParse(name, out var datatype) ? datatype : throw new InvalidDataException($"unknown vector datatype `{name}` in the collection config")) : null,
    };
}

/// <summary>
/// A quantization config in the reference's shape: <c>{"scalar": {"type": "int8", "quantile": …, "always_ram": …}}</c>
/// or <c>{"binary": {"encoding": …, "query_encoding": …, "always_ram": …}}</c> or <c>{"product": {"compression": "x16", …}}</c>.
/// </summary>
internal sealed class QuantizationConfigFile
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ScalarQuantizationFile? Scalar { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BinaryQuantizationFile? Binary { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ProductQuantizationFile? Product { get; init; }

    public static QuantizationConfigFile? From(QuantizationConfig? config) => config switch
    {
        null => null,
        { Kind: QuantizationKind.Scalar } => new QuantizationConfigFile
        {
            Scalar = new ScalarQuantizationFile { Type = "int8", Quantile = config.Quantile, AlwaysRam = config.AlwaysRam, Memory = config.Memory },
        },
        { Kind: QuantizationKind.Binary } => new QuantizationConfigFile
        {
            Binary = new BinaryQuantizationFile
            {
                Encoding = config.Encoding is { } encoding ? BinaryQuantizationFile.EncodingName(encoding) : null,
                QueryEncoding = config.QueryEncoding is { } query ? BinaryQuantizationFile.QueryEncodingName(query) : null,
                AlwaysRam = config.AlwaysRam,
                Memory = config.Memory,
            },
        },

        { Kind: QuantizationKind.Product, Compression: { } compression } => new QuantizationConfigFile
        {
            Product = new ProductQuantizationFile { Compression = compression.WireName(), AlwaysRam = config.AlwaysRam, Memory = config.Memory },
        },

        // The engine refuses every other kind before a config is stored.
        _ => throw new InvalidOperationException($"{config.Kind} quantization cannot be stored"),
    };

    /// <exception cref="System.Text.Json.JsonException">An unknown kind, scalar type or binary encoding.</exception>
    public QuantizationConfig ToConfig() => (Scalar, Binary, Product) switch
    {
        ({ Type: "int8" } s, null, null) => QuantizationConfig.Int8(s.Quantile, s.AlwaysRam, s.Memory),
        (null, { } b, null) => QuantizationConfig.Binary(b.ParsedEncoding(), b.ParsedQueryEncoding(), b.AlwaysRam, b.Memory),
        (null, null, { } p) => QuantizationConfig.Product(
            ProductCompressionExtensions.FromWireName(p.Compression) ?? throw new System.Text.Json.JsonException($"unknown product compression \"{p.Compression}\""),
            p.AlwaysRam,
            p.Memory),
        _ => throw new System.Text.Json.JsonException("unknown quantization config"),
    };
}

internal sealed class BinaryQuantizationFile
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Encoding { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? QueryEncoding { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? AlwaysRam { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Memory { get; init; }

    public static string EncodingName(BinaryEncoding encoding) => encoding switch
    {
        BinaryEncoding.OneBit => "one_bit",
        BinaryEncoding.TwoBits => "two_bits",
        BinaryEncoding.OneAndHalfBits => "one_and_half_bits",
    };

    public static string QueryEncodingName(BinaryQueryEncoding encoding) => encoding switch
    {
        BinaryQueryEncoding.Default => "default",
        BinaryQueryEncoding.Binary => "binary",
        BinaryQueryEncoding.Scalar4Bits => "scalar4bits",
        BinaryQueryEncoding.Scalar8Bits => "scalar8bits",
    };

    public BinaryEncoding? ParsedEncoding() => Encoding switch
    {
        null => null,
        "one_bit" => BinaryEncoding.OneBit,
        "two_bits" => BinaryEncoding.TwoBits,
        "one_and_half_bits" => BinaryEncoding.OneAndHalfBits,
        _ => throw new System.Text.Json.JsonException($"unknown binary encoding \"{Encoding}\""),
    };

    public BinaryQueryEncoding? ParsedQueryEncoding() => QueryEncoding switch
    {
        null => null,
        "default" => BinaryQueryEncoding.Default,
        "binary" => BinaryQueryEncoding.Binary,
        "scalar4bits" => BinaryQueryEncoding.Scalar4Bits,
        "scalar8bits" => BinaryQueryEncoding.Scalar8Bits,
        _ => throw new System.Text.Json.JsonException($"unknown binary query encoding \"{QueryEncoding}\""),
    };
}

internal sealed class ProductQuantizationFile
{
    public required string Compression { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? AlwaysRam { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Memory { get; init; }
}

internal sealed class ScalarQuantizationFile
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? Quantile { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? AlwaysRam { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Memory { get; init; }
}

/// <summary>A multivector's comparator, by its wire name ("max_sim").</summary>
internal sealed class MultiVectorConfigFile
{
    public required string Comparator { get; init; }

    public static MultiVectorConfigFile From(MultiVectorConfig config) => new()
    {
        Comparator = config.Comparator switch
        {
            MultiVectorComparator.MaxSim => "max_sim",
        },
    };

    public MultiVectorConfig ToConfig() => Comparator == "max_sim"
        ? new MultiVectorConfig(MultiVectorComparator.MaxSim)
        : throw new System.Text.Json.JsonException($"unknown multivector comparator \"{Comparator}\"");
}

/// <summary>A vector's own HNSW overrides: unset numbers are written as null, an unset on_disk is left out.</summary>
internal sealed class HnswConfigDiffFile
{
    public ulong? M { get; init; }

    public ulong? EfConstruct { get; init; }

    public ulong? FullScanThreshold { get; init; }

    public ulong? MaxIndexingThreads { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? OnDisk { get; init; }

    public ulong? PayloadM { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Memory { get; init; }
}

internal sealed class HnswConfigFile
{
    public required ulong M { get; init; }

    public required ulong EfConstruct { get; init; }

    public required ulong FullScanThreshold { get; init; }

    public required ulong MaxIndexingThreads { get; init; }

    public required bool OnDisk { get; init; }

    public ulong? PayloadM { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Memory { get; init; }
}

internal sealed class OptimizerConfigFile
{
    public required double DeletedThreshold { get; init; }

    public required ulong VacuumMinVectorNumber { get; init; }

    public required ulong DefaultSegmentNumber { get; init; }

    public ulong? MaxSegmentSize { get; init; }

    public ulong? MemmapThreshold { get; init; }

    public ulong? IndexingThreshold { get; init; }

    public required ulong FlushIntervalSec { get; init; }

    public ulong? MaxOptimizationThreads { get; init; }
}

internal sealed class WalConfigFile
{
    public required ulong WalCapacityMb { get; init; }

    public required ulong WalSegmentsAhead { get; init; }

    public required ulong WalRetainClosed { get; init; }
}

/// <summary>A sparse vector's parameters; unset parts are left out.</summary>
internal sealed class SparseVectorParamsFile
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SparseIndexParamsFile? Index { get; init; }

    /// <summary>"idf" or "none"; left out when unset.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Modifier { get; init; }

    public static SparseVectorParamsFile From(SparseVectorParams p) => new()
    {
        Index = p.Index is { } i ? new SparseIndexParamsFile { FullScanThreshold = i.FullScanThreshold, OnDisk = i.OnDisk, Datatype = i.Datatype, Memory = i.Memory } : null,
        Modifier = p.Modifier switch
        {
            SparseModifier.Idf => "idf",
            SparseModifier.None => "none",
            _ => null,
        },
    };

    /// <exception cref="System.Text.Json.JsonException">An unknown modifier.</exception>
    public SparseVectorParams ToParams() => new(
        Index is { } i ? new SparseIndexParams(i.FullScanThreshold, i.OnDisk, i.Datatype) { Memory = i.Memory } : null,
        Modifier switch
        {
            null => null,
            "idf" => SparseModifier.Idf,
            "none" => SparseModifier.None,
            _ => throw new System.Text.Json.JsonException($"unknown sparse vector modifier \"{Modifier}\""),
        });
}

internal sealed class SparseIndexParamsFile
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? FullScanThreshold { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? OnDisk { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Datatype { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Memory { get; init; }
}
