using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Mapping;
using Wire = Qdrant.Client.Grpc;

#pragma warning disable CS0612 // on_disk / on_disk_payload are deprecated on the wire but still filled in

namespace AotVector.Protocol.Grpc.Tests.Mapping;

public sealed class CollectionInfoMappingTests
{
    internal static CollectionInfo Sample(VectorsConfig? vectors = null, string? optimizerError = null) => new(
        CollectionStatus.Green,
        optimizerError,
        PointsCount: 5,
        IndexedVectorsCount: 3,
        SegmentsCount: 2,
        new CollectionConfig(
            new CollectionParams(vectors ?? new VectorsConfig(new VectorParams(4, Distance.Cosine), null), 1, 1, 1, true),
            HnswConfig.Default,
            OptimizersConfig.Default,
            WalConfig.Default),
        new Dictionary<string, PayloadSchemaInfo> { ["city"] = new(PayloadSchemaType.Keyword, 3) });

    [Fact]
    public void ToWire_Counts_StatusAndOptimizer()
    {
        var wire = CollectionInfoMapping.ToWire(Sample());

        Assert.Equal(Wire.CollectionStatus.Green, wire.Status);
        Assert.True(wire.OptimizerStatus.Ok);
        Assert.Equal(2UL, wire.SegmentsCount);
        Assert.True(wire.HasPointsCount);
        Assert.Equal(5UL, wire.PointsCount);
        Assert.Equal(3UL, wire.IndexedVectorsCount);
        Assert.Equal(0UL, wire.UpdateQueue.Length);
    }

    [Fact]
    public void ToWire_OptimizerError_IsNotOk()
    {
        var wire = CollectionInfoMapping.ToWire(Sample(optimizerError: "disk full"));

        Assert.False(wire.OptimizerStatus.Ok);
        Assert.Equal("disk full", wire.OptimizerStatus.Error);
    }

    [Fact]
    public void ToWire_SingleVector_IsParams()
    {
        var parameters = CollectionInfoMapping.ToWire(Sample()).Config.Params;

        Assert.Equal(Wire.VectorsConfig.ConfigOneofCase.Params, parameters.VectorsConfig.ConfigCase);
        Assert.Equal(4UL, parameters.VectorsConfig.Params.Size);
        Assert.Equal(Wire.Distance.Cosine, parameters.VectorsConfig.Params.Distance);
        Assert.Equal(1U, parameters.ShardNumber);
        Assert.Equal(1U, parameters.ReplicationFactor);
        Assert.Equal(1U, parameters.WriteConsistencyFactor);
        Assert.True(parameters.OnDiskPayload);
    }

    [Fact]
    public void ToWire_Datatype_IsShownWhenGiven()
    {
        var vectors = new VectorsConfig(null, new Dictionary<string, VectorParams>
        {
            ["half"] = new(8, Distance.Dot) { Datatype = VectorDatatype.Float16 },
            ["byte"] = new(8, Distance.Cosine) { Datatype = VectorDatatype.Uint8 },
            ["plain"] = new(8, Distance.Cosine),
        });

        var map = CollectionInfoMapping.ToWire(Sample(vectors)).Config.Params.VectorsConfig.ParamsMap.Map;

        Assert.Equal(Wire.Datatype.Float16, map["half"].Datatype);
        Assert.Equal(Wire.Datatype.Uint8, map["byte"].Datatype);
        Assert.False(map["plain"].HasDatatype);
    }

    [Fact]
    public void ToWire_NamedVectors_IsParamsMap()
    {
        var vectors = new VectorsConfig(null, new Dictionary<string, VectorParams>
        {
            ["image"] = new(512, Distance.Dot, new HnswConfigDiff(M: 32), OnDisk: true),
            ["text"] = new(8, Distance.Manhattan),
        });

        var config = CollectionInfoMapping.ToWire(Sample(vectors)).Config.Params.VectorsConfig;

        Assert.Equal(Wire.VectorsConfig.ConfigOneofCase.ParamsMap, config.ConfigCase);
        Assert.Equal(Wire.Distance.Dot, config.ParamsMap.Map["image"].Distance);
        Assert.Equal(32UL, config.ParamsMap.Map["image"].HnswConfig.M);
        Assert.False(config.ParamsMap.Map["image"].HnswConfig.HasEfConstruct);
        Assert.True(config.ParamsMap.Map["image"].OnDisk);
        Assert.Equal(Wire.Distance.Manhattan, config.ParamsMap.Map["text"].Distance);
        Assert.Null(config.ParamsMap.Map["text"].HnswConfig);
    }

    [Fact]
    public void ToWire_Configs_CarryQdrantDefaults()
    {
        var config = CollectionInfoMapping.ToWire(Sample()).Config;

        Assert.Equal(16UL, config.HnswConfig.M);
        Assert.Equal(100UL, config.HnswConfig.EfConstruct);
        Assert.Equal(10_000UL, config.HnswConfig.FullScanThreshold);
        Assert.False(config.HnswConfig.HasPayloadM);
        Assert.Equal(0.2, config.OptimizerConfig.DeletedThreshold);
        Assert.Equal(10_000UL, config.OptimizerConfig.IndexingThreshold);
        Assert.False(config.OptimizerConfig.HasMaxSegmentSize);
        Assert.Equal(Wire.MaxOptimizationThreads.Types.Setting.Auto, config.OptimizerConfig.MaxOptimizationThreads.Setting);
        Assert.Equal(32UL, config.WalConfig.WalCapacityMb);
        Assert.Equal(1UL, config.WalConfig.WalRetainClosed);
    }

    [Fact]
    public void ToWire_PayloadSchema_MapsTypeAndPoints()
    {
        var schema = CollectionInfoMapping.ToWire(Sample()).PayloadSchema["city"];

        Assert.Equal(Wire.PayloadSchemaType.Keyword, schema.DataType);
        Assert.Equal(3UL, schema.Points);
    }

    [Theory]
    [InlineData(PayloadSchemaType.Keyword, Wire.PayloadSchemaType.Keyword)]
    [InlineData(PayloadSchemaType.Integer, Wire.PayloadSchemaType.Integer)]
    [InlineData(PayloadSchemaType.Float, Wire.PayloadSchemaType.Float)]
    [InlineData(PayloadSchemaType.Geo, Wire.PayloadSchemaType.Geo)]
    [InlineData(PayloadSchemaType.Text, Wire.PayloadSchemaType.Text)]
    [InlineData(PayloadSchemaType.Bool, Wire.PayloadSchemaType.Bool)]
    [InlineData(PayloadSchemaType.Datetime, Wire.PayloadSchemaType.Datetime)]
    [InlineData(PayloadSchemaType.Uuid, Wire.PayloadSchemaType.Uuid)]
    public void ToWire_EverySchemaType_Maps(PayloadSchemaType engine, Wire.PayloadSchemaType wire)
    {
        Assert.Equal(wire, CollectionInfoMapping.ToWire(engine));
    }

    [Theory]
    [InlineData(CollectionStatus.Green, Wire.CollectionStatus.Green)]
    [InlineData(CollectionStatus.Yellow, Wire.CollectionStatus.Yellow)]
    [InlineData(CollectionStatus.Red, Wire.CollectionStatus.Red)]
    [InlineData(CollectionStatus.Grey, Wire.CollectionStatus.Grey)]
    public void ToWire_EveryStatus_Maps(CollectionStatus engine, Wire.CollectionStatus wire)
    {
        Assert.Equal(wire, CollectionInfoMapping.ToWire(engine));
    }
}
