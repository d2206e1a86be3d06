#pragma warning disable CS0612 // Deprecated wire fields are read and written on purpose: older clients still use them.
using AotVector.Engine.Api;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>Engine <see cref="CollectionInfo"/> → wire <c>CollectionInfo</c> (what Collections/Get returns).</summary>
internal static class CollectionInfoMapping
{
    public static Wire.CollectionInfo ToWire(CollectionInfo info)
    {
        var wire = new Wire.CollectionInfo
        {
            Status = ToWire(info.Status),
            OptimizerStatus = new Wire.OptimizerStatus { Ok = info.OptimizerError is null, Error = info.OptimizerError ?? string.Empty },
            SegmentsCount = info.SegmentsCount,
            PointsCount = info.PointsCount,
            IndexedVectorsCount = info.IndexedVectorsCount,
            Config = ToWire(info.Config),
            UpdateQueue = new Wire.UpdateQueueInfo { Length = 0 },
        };

        foreach (var (field, schema) in info.PayloadSchema)
        {
            wire.PayloadSchema[field] = new Wire.PayloadSchemaInfo
            {
                DataType = ToWire(schema.DataType),
                Points = schema.Points,
                Params = schema.Text is { } text ? new Wire.PayloadIndexParams { TextIndexParams = TextParamsMapping.ToWire(text) }
                    : schema.Options is { } options ? IndexOptionsMapping.ToWire(schema.DataType, options) : null,
            };
        }

        return wire;
    }

    public static Wire.CollectionConfig ToWire(CollectionConfig config)
    {
        var p = config.Params;
        var o = config.OptimizersConfig;
        var optimizers = new Wire.OptimizersConfigDiff
        {
            DeletedThreshold = o.DeletedThreshold,
            VacuumMinVectorNumber = o.VacuumMinVectorNumber,
            DefaultSegmentNumber = o.DefaultSegmentNumber,
            FlushIntervalSec = o.FlushIntervalSec,
            // Unset max threads means "auto", which the wire spells as a setting rather than a number.
            MaxOptimizationThreads = o.MaxOptimizationThreads is { } threads
                ? new Wire.MaxOptimizationThreads { Value = threads }
                : new Wire.MaxOptimizationThreads { Setting = Wire.MaxOptimizationThreads.Types.Setting.Auto },
        };
        if (o.MaxSegmentSize is { } maxSegment)
        {
            optimizers.MaxSegmentSize = maxSegment;
        }

        if (o.MemmapThreshold is { } memmap)
        {
            optimizers.MemmapThreshold = memmap;
        }

        if (o.IndexingThreshold is { } indexing)
        {
            optimizers.IndexingThreshold = indexing;
        }

        if (o.MaxOptimizationThreads is { } deprecatedThreads)
        {
            optimizers.DeprecatedMaxOptimizationThreads = deprecatedThreads;
        }

        var wire = new Wire.CollectionConfig
        {
            Params = new Wire.CollectionParams
            {
                ShardNumber = p.ShardNumber,
                OnDiskPayload = p.OnDiskPayload,
                VectorsConfig = ToWire(p.Vectors),
                ReplicationFactor = p.ReplicationFactor,
                WriteConsistencyFactor = p.WriteConsistencyFactor,
                SparseVectorsConfig = SparseConfigMapping.ToWire(p.SparseVectors),
                Payload = p.PayloadMemory is { } memory ? new Wire.PayloadStorageParams { Memory = QuantizationMapping.MemoryToWire(memory) } : null,
            },
            HnswConfig = ToWire(config.HnswConfig),
            OptimizerConfig = optimizers,
            WalConfig = new Wire.WalConfigDiff
            {
                WalCapacityMb = config.WalConfig.WalCapacityMb,
                WalSegmentsAhead = config.WalConfig.WalSegmentsAhead,
                WalRetainClosed = config.WalConfig.WalRetainClosed,
            },
            QuantizationConfig = QuantizationMapping.ToWire(config.QuantizationConfig),
            StrictModeConfig = StrictModeMapping.ToWire(config.StrictModeConfig),
        };
        if (config.Metadata is { } metadata)
        {
            PayloadMapping.ToWire(metadata, wire.Metadata);
        }

        return wire;
    }

    public static Wire.VectorsConfig ToWire(VectorsConfig vectors)
    {
        if (vectors.Single is { } single)
        {
            return new Wire.VectorsConfig { Params = ToWire(single) };
        }

        var map = new Wire.VectorParamsMap();
        foreach (var (name, p) in vectors.All)
        {
            map.Map[name] = ToWire(p);
        }

        return new Wire.VectorsConfig { ParamsMap = map };
    }

    public static Wire.HnswConfigDiff ToWire(HnswConfig hnsw)
    {
        var wire = new Wire.HnswConfigDiff
        {
            M = hnsw.M,
            EfConstruct = hnsw.EfConstruct,
            FullScanThreshold = hnsw.FullScanThreshold,
            MaxIndexingThreads = hnsw.MaxIndexingThreads,
            OnDisk = hnsw.OnDisk,
        };
        if (hnsw.PayloadM is { } payloadM)
        {
            wire.PayloadM = payloadM;
        }

        if (hnsw.Memory is { } memory)
        {
            wire.Memory = QuantizationMapping.MemoryToWire(memory);
        }

        return wire;
    }

    public static Wire.CollectionStatus ToWire(CollectionStatus status) => status switch
    {
        CollectionStatus.Green => Wire.CollectionStatus.Green,
        CollectionStatus.Yellow => Wire.CollectionStatus.Yellow,
        CollectionStatus.Red => Wire.CollectionStatus.Red,
        CollectionStatus.Grey => Wire.CollectionStatus.Grey,
    };

    public static Wire.PayloadSchemaType ToWire(PayloadSchemaType type) => type switch
    {
        PayloadSchemaType.Keyword => Wire.PayloadSchemaType.Keyword,
        PayloadSchemaType.Integer => Wire.PayloadSchemaType.Integer,
        PayloadSchemaType.Float => Wire.PayloadSchemaType.Float,
        PayloadSchemaType.Geo => Wire.PayloadSchemaType.Geo,
        PayloadSchemaType.Text => Wire.PayloadSchemaType.Text,
        PayloadSchemaType.Bool => Wire.PayloadSchemaType.Bool,
        PayloadSchemaType.Datetime => Wire.PayloadSchemaType.Datetime,
        PayloadSchemaType.Uuid => Wire.PayloadSchemaType.Uuid,
    };

    private static Wire.VectorParams ToWire(VectorParams p)
    {
        var wire = new Wire.VectorParams { Size = p.Size, Distance = DistanceMapping.ToWire(p.Distance) };
        if (p.HnswConfig is { } hnsw)
        {
            wire.HnswConfig = ToWire(hnsw);
        }

        if (p.OnDisk is { } onDisk)
        {
            wire.OnDisk = onDisk;
        }

        if (p.Memory is { } memory)
        {
            wire.Memory = QuantizationMapping.MemoryToWire(memory);
        }

        if (QuantizationMapping.ToWire(p.QuantizationConfig) is { } quantization)
        {
            wire.QuantizationConfig = quantization;
        }

        if (p.MultivectorConfig is not null)
        {
            wire.MultivectorConfig = new Wire.MultiVectorConfig { Comparator = Wire.MultiVectorComparator.MaxSim };
        }

        if (p.Datatype is { } datatype)
        {
            wire.Datatype = datatype switch
            {
                Common.Model.VectorDatatype.Float16 => Wire.Datatype.Float16,
                Common.Model.VectorDatatype.Uint8 => Wire.Datatype.Uint8,
                _ => Wire.Datatype.Float32,
            };
        }

        return wire;
    }

    private static Wire.HnswConfigDiff ToWire(HnswConfigDiff diff)
    {
        var wire = new Wire.HnswConfigDiff();
        if (diff.M is { } m)
        {
            wire.M = m;
        }

        if (diff.EfConstruct is { } ef)
        {
            wire.EfConstruct = ef;
        }

        if (diff.FullScanThreshold is { } threshold)
        {
            wire.FullScanThreshold = threshold;
        }

        if (diff.MaxIndexingThreads is { } threads)
        {
            wire.MaxIndexingThreads = threads;
        }

        if (diff.OnDisk is { } onDisk)
        {
            wire.OnDisk = onDisk;
        }

        if (diff.PayloadM is { } payloadM)
        {
            wire.PayloadM = payloadM;
        }

        if (diff.Memory is { } memory)
        {
            wire.Memory = QuantizationMapping.MemoryToWire(memory);
        }

        return wire;
    }
}
