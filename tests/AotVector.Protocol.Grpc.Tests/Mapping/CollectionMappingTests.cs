using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Mapping;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Tests.Mapping;

public sealed class CollectionMappingTests
{
    [Fact]
    public void ToEngine_Create_MapsVectorsAndDiffs()
    {
        var request = new Wire.CreateCollection
        {
            CollectionName = "c",
            VectorsConfig = new Wire.VectorsConfig { Params = new Wire.VectorParams { Size = 4, Distance = Wire.Distance.Euclid } },
            HnswConfig = new Wire.HnswConfigDiff { M = 8 },
            OptimizersConfig = new Wire.OptimizersConfigDiff { IndexingThreshold = 0, MaxOptimizationThreads = new Wire.MaxOptimizationThreads { Value = 2 } },
            WalConfig = new Wire.WalConfigDiff { WalCapacityMb = 64 },
            ShardNumber = 1,
            ReplicationFactor = 1,
        };

        var mapped = CollectionMapping.ToEngine(request).Value!;

        Assert.Equal("c", mapped.Name);
        Assert.Equal(new VectorParams(4, Distance.Euclid), mapped.Vectors.Single);
        Assert.Equal(8UL, mapped.HnswConfig!.M);
        Assert.Null(mapped.HnswConfig.EfConstruct);
        Assert.Equal(0UL, mapped.OptimizersConfig!.IndexingThreshold);
        Assert.Equal(2UL, mapped.OptimizersConfig.MaxOptimizationThreads);
        Assert.Null(mapped.OptimizersConfig.DeletedThreshold);
        Assert.Equal(64UL, mapped.WalConfig!.WalCapacityMb);
        Assert.Equal(1U, mapped.ShardNumber);
        Assert.Null(mapped.WriteConsistencyFactor);
        Assert.Null(mapped.OnDiskPayload);
    }

    [Fact]
    public void ToEngine_CreateNamed_MapsEachVector()
    {
        var map = new Wire.VectorParamsMap();
        map.Map["image"] = new Wire.VectorParams { Size = 3, Distance = Wire.Distance.Dot };
        map.Map["text"] = new Wire.VectorParams { Size = 2, Distance = Wire.Distance.Cosine };

        var mapped = CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c", VectorsConfig = new Wire.VectorsConfig { ParamsMap = map } }).Value!;

        Assert.Null(mapped.Vectors.Single);
        Assert.Equal(Distance.Dot, mapped.Vectors.Named!["image"].Distance);
        Assert.Equal(2UL, mapped.Vectors.Named["text"].Size);
    }

    [Fact]
    public void ToEngine_CreateWithoutName_NamesTheField()
    {
        var result = CollectionMapping.ToEngine(new Wire.CreateCollection());

        Assert.Equal(ErrorKind.Validation, result.Error.Kind);
        Assert.Contains("collection_name", result.Error.Message);
    }

    [Fact]
    public void ToEngine_UnknownDistance_NamesTheField()
    {
        var request = new Wire.CreateCollection
        {
            CollectionName = "c",
            VectorsConfig = new Wire.VectorsConfig { Params = new Wire.VectorParams { Size = 4 } },
        };

        var result = CollectionMapping.ToEngine(request);

        Assert.Equal(ErrorKind.Validation, result.Error.Kind);
        Assert.Contains("distance", result.Error.Message);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(65_537UL)]
    public void ToEngine_BadSize_NamesTheField(ulong size)
    {
        var request = new Wire.CreateCollection
        {
            CollectionName = "c",
            VectorsConfig = new Wire.VectorsConfig { Params = new Wire.VectorParams { Size = size, Distance = Wire.Distance.Dot } },
        };

        var result = CollectionMapping.ToEngine(request);

        Assert.Equal(ErrorKind.Validation, result.Error.Kind);
        Assert.Contains("size", result.Error.Message);
    }

    [Fact]
    public void ToEngine_SparseVectorsConfig_IsMapped()
    {
        var sparse = new Wire.SparseVectorConfig();
        sparse.Map["s"] = new Wire.SparseVectorParams { Modifier = Wire.Modifier.Idf, Index = new Wire.SparseIndexConfig { FullScanThreshold = 100 } };
        sparse.Map["t"] = new Wire.SparseVectorParams();

        var result = CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c", SparseVectorsConfig = sparse }).Value!;

        Assert.Equal(new SparseVectorParams(new SparseIndexParams(100, null, null), SparseModifier.Idf), result.SparseVectors!["s"]);
        Assert.Equal(new SparseVectorParams(), result.SparseVectors["t"]);
    }

    [Fact]
    public void ToEngine_SparseUint8Datatype_AndMemories_AreRead()
    {
        var sparse = new Wire.SparseVectorConfig();
        sparse.Map["s"] = new Wire.SparseVectorParams { Index = new Wire.SparseIndexConfig { Datatype = Wire.Datatype.Uint8, Memory = Wire.Memory.Cold } };

        var result = CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c", SparseVectorsConfig = sparse, HnswConfig = new Wire.HnswConfigDiff { Memory = Wire.Memory.Pinned } });

        Assert.True(result.IsOk, result.IsOk ? null : result.Error.Message);
        Assert.Equal(("uint8", "cold"), (result.Value!.SparseVectors!["s"].Index!.Datatype, result.Value.SparseVectors["s"].Index!.Memory));
        Assert.Equal("pinned", result.Value.HnswConfig!.Memory);
    }

    [Fact]
    public void ToEngine_Update_MapsDiffs()
    {
        var map = new Wire.VectorParamsDiffMap();
        map.Map["image"] = new Wire.VectorParamsDiff { HnswConfig = new Wire.HnswConfigDiff { EfConstruct = 200 } };
        var request = new Wire.UpdateCollection
        {
            CollectionName = "c",
            VectorsConfig = new Wire.VectorsConfigDiff { ParamsMap = map },
            Params = new Wire.CollectionParamsDiff { ReplicationFactor = 2 },
            OptimizersConfig = new Wire.OptimizersConfigDiff { DeletedThreshold = 0.5 },
        };

        var mapped = CollectionMapping.ToEngine(request).Value!;

        Assert.Equal(200UL, mapped.Vectors!["image"].HnswConfig!.EfConstruct);
        Assert.Equal(2U, mapped.ReplicationFactor);
        Assert.Null(mapped.WriteConsistencyFactor);
        Assert.Equal(0.5, mapped.OptimizersConfig!.DeletedThreshold);
        Assert.Null(mapped.HnswConfig);
    }

    [Fact]
    public void ToEngine_Aliases_MapEveryAction()
    {
        var request = new Wire.ChangeAliases();
        request.Actions.Add(new Wire.AliasOperations { CreateAlias = new Wire.CreateAlias { CollectionName = "c", AliasName = "a" } });
        request.Actions.Add(new Wire.AliasOperations { RenameAlias = new Wire.RenameAlias { OldAliasName = "a", NewAliasName = "b" } });
        request.Actions.Add(new Wire.AliasOperations { DeleteAlias = new Wire.DeleteAlias { AliasName = "b" } });

        var operations = CollectionMapping.ToEngine(request).Value!;

        Assert.Equal(
            new AliasOperation[] { new CreateAlias("c", "a"), new RenameAlias("a", "b"), new DeleteAlias("b") },
            operations);
    }

    [Fact]
    public void ToEngine_EmptyAliasAction_IsInvalid()
    {
        var request = new Wire.ChangeAliases();
        request.Actions.Add(new Wire.AliasOperations());

        Assert.False(CollectionMapping.ToEngine(request).IsOk);
    }

    [Fact]
    public void ToEngine_Quantization_IsMappedOnCreateAndUpdate_EachKindByItself()
    {
        var scalar = new Wire.QuantizationConfig { Scalar = new Wire.ScalarQuantization { Type = Wire.QuantizationType.Int8 } };
        var perVector = new Wire.VectorsConfig { Params = new Wire.VectorParams { Size = 4, Distance = Wire.Distance.Dot, QuantizationConfig = scalar } };
        var diffMap = new Wire.VectorParamsDiffMap();
        diffMap.Map["v"] = new Wire.VectorParamsDiff { QuantizationConfig = new Wire.QuantizationConfigDiff { Disabled = new Wire.Disabled() } };

        Result<CreateCollectionRequest>[] creates =
        [
            CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c", QuantizationConfig = scalar }),
            CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c", VectorsConfig = perVector }),
        ];
        Result<UpdateCollectionRequest>[] updates =
        [
            CollectionMapping.ToEngine(new Wire.UpdateCollection { CollectionName = "c", QuantizationConfig = new Wire.QuantizationConfigDiff { Scalar = scalar.Scalar } }),
            CollectionMapping.ToEngine(new Wire.UpdateCollection { CollectionName = "c", VectorsConfig = new Wire.VectorsConfigDiff { ParamsMap = diffMap } }),
        ];

        Assert.Equal(QuantizationConfig.Int8(), creates[0].Value!.QuantizationConfig);
        Assert.Equal(QuantizationConfig.Int8(), creates[1].Value!.Vectors.Single!.QuantizationConfig);
        Assert.Equal(QuantizationConfig.Int8(), updates[0].Value!.QuantizationConfig!.Config);
        Assert.Same(QuantizationConfigDiff.Disabled, updates[1].Value!.Vectors!["v"].QuantizationConfig);

        // The kinds the engine does not build yet reach it as their kind (it refuses them); bad values are refused here.
        var binary = CollectionMapping.ToEngine(new Wire.CreateCollection
        {
            CollectionName = "c",
            QuantizationConfig = new Wire.QuantizationConfig { Binary = new Wire.BinaryQuantization { Encoding = Wire.BinaryQuantizationEncoding.TwoBits } },
        });
        Assert.Equal(QuantizationConfig.Binary(BinaryEncoding.TwoBits), binary.Value!.QuantizationConfig);
        var badQuantile = CollectionMapping.ToEngine(new Wire.CreateCollection
        {
            CollectionName = "c",
            QuantizationConfig = new Wire.QuantizationConfig { Scalar = new Wire.ScalarQuantization { Type = Wire.QuantizationType.Int8, Quantile = 0.2f } },
        });
        Assert.Contains("quantization_config.scalar.quantile", badQuantile.Error.Message);
        var unknownType = CollectionMapping.ToEngine(new Wire.CreateCollection
        {
            CollectionName = "c",
            QuantizationConfig = new Wire.QuantizationConfig { Scalar = new Wire.ScalarQuantization() },
        });
        Assert.Contains("quantization_config.scalar.type", unknownType.Error.Message);
    }

    [Theory]
    [InlineData(Wire.Datatype.Float16, VectorDatatype.Float16)]
    [InlineData(Wire.Datatype.Uint8, VectorDatatype.Uint8)]
    [InlineData(Wire.Datatype.Float32, VectorDatatype.Float32)]
    [InlineData(Wire.Datatype.Default, null)]
    public void ToEngine_Datatypes_AreMappedAsGiven(Wire.Datatype datatype, VectorDatatype? expected)
    {
        var config = new Wire.VectorsConfig { Params = new Wire.VectorParams { Size = 4, Distance = Wire.Distance.Dot, Datatype = datatype } };

        Assert.Equal(expected, CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c", VectorsConfig = config }).Value!.Vectors.Single!.Datatype);
    }

    [Fact]
    public void ToEngine_Turbo4_IsRefused()
    {
        var config = new Wire.VectorsConfig { Params = new Wire.VectorParams { Size = 4, Distance = Wire.Distance.Dot, Datatype = Wire.Datatype.Turbo4 } };

        Assert.Equal("Wrong input: vector datatype `turbo4` is not supported yet, use float32, float16 or uint8",
            CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c", VectorsConfig = config }).Error.Message);
    }

    [Fact]
    public void ToEngine_SettingsOutOfBounds_AreRefusedNamingTheWireField()
    {
        var map = new Wire.VectorParamsMap();
        map.Map["img"] = new Wire.VectorParams { Size = 4, Distance = Wire.Distance.Dot, HnswConfig = new Wire.HnswConfigDiff { EfConstruct = 2 } };

        Assert.Equal(
            "Validation error in body: [vectors_config.params_map.img.hnsw_config.ef_construct: value 2 invalid, must be from 4 to 1000000]",
            CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c", VectorsConfig = new Wire.VectorsConfig { ParamsMap = map } }).Error.Message);
        Assert.Equal(
            "Validation error in body: [optimizers_config.vacuum_min_vector_number: value 50 invalid, must be 100 or larger]",
            CollectionMapping.ToEngine(new Wire.UpdateCollection { CollectionName = "c", OptimizersConfig = new Wire.OptimizersConfigDiff { VacuumMinVectorNumber = 50 } }).Error.Message);
        Assert.Equal(
            "Validation error in body: [wal_config.wal_capacity_mb: value 0 invalid, must be 1 or larger]",
            CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c", WalConfig = new Wire.WalConfigDiff { WalCapacityMb = 0 } }).Error.Message);
    }

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData(BinaryEncoding.OneBit, BinaryQueryEncoding.Default, false, "cold")]
    [InlineData(BinaryEncoding.TwoBits, BinaryQueryEncoding.Scalar8Bits, true, null)]
    [InlineData(BinaryEncoding.OneAndHalfBits, BinaryQueryEncoding.Scalar4Bits, null, "pinned")]
    [InlineData(null, BinaryQueryEncoding.Binary, null, "cached")]
    public void Binary_RoundTrips_AsGiven(BinaryEncoding? encoding, BinaryQueryEncoding? queryEncoding, bool? alwaysRam, string? memory)
    {
        var config = QuantizationConfig.Binary(encoding, queryEncoding, alwaysRam, memory);

        var wire = QuantizationMapping.ToWire(config)!;
        Assert.Equal(encoding is not null, wire.Binary.HasEncoding);
        Assert.Equal(queryEncoding is not null, wire.Binary.QueryEncoding is not null);
#pragma warning disable CS0612 // always_ram is deprecated on the wire; the config shows it as given.
        Assert.Equal(alwaysRam is not null, wire.Binary.HasAlwaysRam);
#pragma warning restore CS0612
        Assert.Equal(memory is not null, wire.Binary.HasMemory);
        Assert.Equal(config, QuantizationMapping.ToEngine(wire, "quantization_config").Value);
    }

    [Theory]
    [InlineData(ProductCompression.X4, null, null)]
    [InlineData(ProductCompression.X8, true, "cold")]
    [InlineData(ProductCompression.X16, false, null)]
    [InlineData(ProductCompression.X32, null, "pinned")]
    [InlineData(ProductCompression.X64, null, "cached")]
    public void Product_RoundTrips_AsGiven(ProductCompression compression, bool? alwaysRam, string? memory)
    {
        var config = QuantizationConfig.Product(compression, alwaysRam, memory);

        var wire = QuantizationMapping.ToWire(config)!;
        Assert.Equal(compression.WireName(), wire.Product.Compression.ToString().ToLowerInvariant());
#pragma warning disable CS0612 // always_ram is deprecated on the wire; the config shows it as given.
        Assert.Equal(alwaysRam is not null, wire.Product.HasAlwaysRam);
#pragma warning restore CS0612
        Assert.Equal(memory is not null, wire.Product.HasMemory);
        Assert.Equal(config, QuantizationMapping.ToEngine(wire, "quantization_config").Value);
        Assert.Contains("quantization_config.product.compression", QuantizationMapping.ToEngine(
            new Wire.QuantizationConfig { Product = new Wire.ProductQuantization { Compression = (Wire.CompressionRatio)9 } }, "quantization_config").Error.Message);
    }
}
