using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>
/// "config" of CollectionInfo. Null members are written as null (serde's default) unless marked to be left out,
/// which is where Qdrant has skip_serializing_if.
/// </summary>
internal sealed record CollectionConfigDto(
    CollectionParamsDto Params,
    HnswConfigDto HnswConfig,
    OptimizersConfigDto OptimizerConfig,
    WalConfigDto WalConfig,
    QuantizationConfigDto? QuantizationConfig,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StrictModeConfigDto? StrictModeConfig,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonConverter(typeof(PayloadDtoConverter))] Payload? Metadata)
{
    public static CollectionConfigDto From(CollectionConfig config)
    {
        var p = config.Params;
        var h = config.HnswConfig;
        var o = config.OptimizersConfig;
        var w = config.WalConfig;
        return new CollectionConfigDto(
            new CollectionParamsDto(VectorsConfigDto.From(p.Vectors), p.ShardNumber, p.ReplicationFactor, p.WriteConsistencyFactor, p.OnDiskPayload, p.PayloadMemory is { } memory ? new PayloadStorageDto(memory) : null, SparseVectorParamsDto.From(p.SparseVectors)),
            new HnswConfigDto(h.M, h.EfConstruct, h.FullScanThreshold, h.MaxIndexingThreads, h.OnDisk, h.Memory, h.PayloadM),
            new OptimizersConfigDto(o.DeletedThreshold, o.VacuumMinVectorNumber, o.DefaultSegmentNumber, o.MaxSegmentSize, o.MemmapThreshold, o.IndexingThreshold, o.FlushIntervalSec, o.MaxOptimizationThreads, PreventUnoptimized: null),
            new WalConfigDto(w.WalCapacityMb, w.WalSegmentsAhead, w.WalRetainClosed),
            QuantizationConfigDto.From(config.QuantizationConfig),
            StrictModeConfigDto.From(config.StrictModeConfig),
            config.Metadata);
    }
}

internal sealed record CollectionParamsDto(
    VectorsConfigDto Vectors,
    uint ShardNumber,
    uint ReplicationFactor,
    uint WriteConsistencyFactor,
    bool OnDiskPayload,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PayloadStorageDto? Payload,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, SparseVectorParamsDto>? SparseVectors);

/// <summary>"payload": the reference's PayloadStorageParams, shown when <c>memory</c> was given.</summary>
internal sealed record PayloadStorageDto(string Memory);

/// <summary>A sparse vector's parameters: only what is set.</summary>
internal sealed record SparseVectorParamsDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SparseIndexParamsDto? Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Modifier)
{
    public static Dictionary<string, SparseVectorParamsDto>? From(IReadOnlyDictionary<string, SparseVectorParams>? sparse) =>
        sparse is { Count: > 0 }
            ? sparse.ToDictionary(
                v => v.Key,
                v => new SparseVectorParamsDto(
                    v.Value.Index is { } i ? new SparseIndexParamsDto(i.FullScanThreshold, i.OnDisk, i.Memory, i.Datatype) : null,
                    v.Value.Modifier switch { SparseModifier.Idf => "idf", SparseModifier.None => "none", _ => null }),
                StringComparer.Ordinal)
            : null;
}

internal sealed record SparseIndexParamsDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? FullScanThreshold,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? OnDisk,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Memory,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Datatype);

/// <summary>"vectors": one unnamed vector's parameters, or a map of named vectors (exactly one is set).</summary>
[JsonConverter(typeof(VectorsConfigConverter))]
internal sealed record VectorsConfigDto(VectorParamsDto? Single, Dictionary<string, VectorParamsDto>? Named)
{
    public static VectorsConfigDto From(VectorsConfig vectors) => vectors.Single is { } single
        ? new VectorsConfigDto(VectorParamsDto.From(single), null)
        : new VectorsConfigDto(null, (vectors.Named ?? new Dictionary<string, VectorParams>()).ToDictionary(v => v.Key, v => VectorParamsDto.From(v.Value), StringComparer.Ordinal));
}

internal sealed record VectorParamsDto(
    ulong Size,
    string Distance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HnswConfigDiffDto? HnswConfig,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QuantizationConfigDto? QuantizationConfig,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? OnDisk,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Memory,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Datatype,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MultiVectorConfigDto? MultivectorConfig)
{
    public static VectorParamsDto From(VectorParams p) => new(
        p.Size,
        WireNames.Of(p.Distance),
        p.HnswConfig is { } d ? new HnswConfigDiffDto(d.M, d.EfConstruct, d.FullScanThreshold, d.MaxIndexingThreads, d.OnDisk, d.Memory, d.PayloadM) : null,
        QuantizationConfigDto.From(p.QuantizationConfig),
        p.OnDisk,
        p.Memory,
        p.Datatype is { } datatype ? VectorDatatypes.Name(datatype) : null,
        p.MultivectorConfig is { } multi ? MultiVectorConfigDto.From(multi) : null);
}

/// <summary>A multivector's comparator by its wire name.</summary>
internal sealed record MultiVectorConfigDto(string Comparator)
{
    public static MultiVectorConfigDto From(MultiVectorConfig config) => new(config.Comparator switch
    {
        MultiVectorComparator.MaxSim => "max_sim",
    });
}

/// <summary>A vector's own HNSW overrides: only what is set.</summary>
internal sealed record HnswConfigDiffDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? M,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? EfConstruct,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? FullScanThreshold,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? MaxIndexingThreads,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? OnDisk,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Memory,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? PayloadM);

internal sealed record HnswConfigDto(
    ulong M,
    ulong EfConstruct,
    ulong FullScanThreshold,
    ulong MaxIndexingThreads,
    bool OnDisk,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Memory,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? PayloadM);

internal sealed record OptimizersConfigDto(
    double DeletedThreshold,
    ulong VacuumMinVectorNumber,
    ulong DefaultSegmentNumber,
    ulong? MaxSegmentSize,
    ulong? MemmapThreshold,
    ulong? IndexingThreshold,
    ulong FlushIntervalSec,
    ulong? MaxOptimizationThreads,
    bool? PreventUnoptimized);

internal sealed record WalConfigDto(ulong WalCapacityMb, ulong WalSegmentsAhead, ulong WalRetainClosed);

/// <summary>"quantization_config": <c>{"scalar": {...}}</c>, <c>{"binary": {...}}</c> or <c>{"product": {...}}</c>, the kinds a collection can hold; null when unset.</summary>
internal sealed record QuantizationConfigDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ScalarQuantizationDto? Scalar,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BinaryQuantizationDto? Binary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ProductQuantizationDto? Product = null)
{
    public static QuantizationConfigDto? From(QuantizationConfig? config) => config switch
    {
        { Kind: QuantizationKind.Scalar } => new QuantizationConfigDto(new ScalarQuantizationDto("int8", config.Quantile, config.AlwaysRam, config.Memory), null),
        { Kind: QuantizationKind.Binary } => new QuantizationConfigDto(null, new BinaryQuantizationDto(
            config.AlwaysRam,
            config.Memory,
            config.Encoding is { } encoding ? Name(encoding) : null,
            config.QueryEncoding is { } query ? Name(query) : null)),
        { Kind: QuantizationKind.Product, Compression: { } compression } => new QuantizationConfigDto(null, null, new ProductQuantizationDto(compression.WireName(), config.AlwaysRam, config.Memory)),
        _ => null,
    };

    private static string Name(BinaryEncoding encoding) => encoding switch
    {
        BinaryEncoding.OneBit => "one_bit",
        BinaryEncoding.TwoBits => "two_bits",
        BinaryEncoding.OneAndHalfBits => "one_and_half_bits",
    };

    private static string Name(BinaryQueryEncoding encoding) => encoding switch
    {
        BinaryQueryEncoding.Default => "default",
        BinaryQueryEncoding.Binary => "binary",
        BinaryQueryEncoding.Scalar4Bits => "scalar4bits",
        BinaryQueryEncoding.Scalar8Bits => "scalar8bits",
    };
}

/// <summary>The reference's binary config as given: each field shown only when it was set.</summary>
internal sealed record BinaryQuantizationDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? AlwaysRam,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Memory,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Encoding,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? QueryEncoding);

/// <summary>The reference's product config: the compression, and the placement fields only when set.</summary>
internal sealed record ProductQuantizationDto(
    string Compression,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? AlwaysRam,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Memory);

internal sealed record ScalarQuantizationDto(
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float? Quantile,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? AlwaysRam,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Memory);

internal sealed class VectorsConfigConverter : JsonConverter<VectorsConfigDto>
{
    public override VectorsConfigDto Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("vectors config is only written");

    public override void Write(Utf8JsonWriter writer, VectorsConfigDto value, JsonSerializerOptions options)
    {
        if (value.Single is { } single)
        {
            JsonSerializer.Serialize(writer, single, (JsonTypeInfo<VectorParamsDto>)options.GetTypeInfo(typeof(VectorParamsDto)));
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Named ?? [], (JsonTypeInfo<Dictionary<string, VectorParamsDto>>)options.GetTypeInfo(typeof(Dictionary<string, VectorParamsDto>)));
        }
    }
}
