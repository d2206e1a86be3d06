using AotVector.Common.Errors;
using AotVector.Protocol.Grpc.Mapping;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Tests.Mapping;

/// <summary>The reference's payload storage params on create, update (params.payload) and in collection info.</summary>
public sealed class PlacementMappingTests
{
    [Theory]
    [InlineData(Wire.Memory.Cold, "cold")]
    [InlineData(Wire.Memory.Cached, "cached")]
    [InlineData(Wire.Memory.Pinned, "pinned")]
    public void Create_PayloadMemory(Wire.Memory memory, string expected)
    {
        var request = new Wire.CreateCollection { CollectionName = "c", Payload = new Wire.PayloadStorageParams { Memory = memory } };
        Assert.Equal(expected, CollectionMapping.ToEngine(request).Value!.PayloadMemory);
    }

    [Fact]
    public void Create_WithoutPayloadMemory_HasNone()
    {
        Assert.Null(CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c" }).Value!.PayloadMemory);
        Assert.Null(CollectionMapping.ToEngine(new Wire.CreateCollection { CollectionName = "c", Payload = new Wire.PayloadStorageParams() }).Value!.PayloadMemory);
    }

    [Fact]
    public void Create_UnknownPayloadMemory_IsInvalid()
    {
        var request = new Wire.CreateCollection { CollectionName = "c", Payload = new Wire.PayloadStorageParams { Memory = (Wire.Memory)9 } };
        var error = CollectionMapping.ToEngine(request).Error;
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Contains("payload.memory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_ParamsPayloadMemory()
    {
        var request = new Wire.UpdateCollection { CollectionName = "c", Params = new Wire.CollectionParamsDiff { Payload = new Wire.PayloadStorageParams { Memory = Wire.Memory.Cold } } };
        Assert.Equal("cold", CollectionMapping.ToEngine(request).Value!.PayloadMemory);
        Assert.Null(CollectionMapping.ToEngine(new Wire.UpdateCollection { CollectionName = "c" }).Value!.PayloadMemory);
    }

    [Fact]
    public void Info_ShowsPayloadMemory_OnlyWhenGiven()
    {
        var sample = CollectionInfoMappingTests.Sample();
        Assert.Null(CollectionInfoMapping.ToWire(sample).Config.Params.Payload);

        var given = sample with { Config = sample.Config with { Params = sample.Config.Params with { PayloadMemory = "cached" } } };
        Assert.Equal(Wire.Memory.Cached, CollectionInfoMapping.ToWire(given).Config.Params.Payload.Memory);
    }

    [Fact]
    public void VectorMemory_OnCreateUpdateAndInfo()
    {
        var create = new Wire.CreateCollection
        {
            CollectionName = "c",
            VectorsConfig = new Wire.VectorsConfig { Params = new Wire.VectorParams { Size = 4, Distance = Wire.Distance.Cosine, Memory = Wire.Memory.Cold } },
        };
        var mapped = CollectionMapping.ToEngine(create).Value!;
        Assert.Equal("cold", mapped.Vectors.Single!.Memory);

        var diffs = new Wire.VectorParamsDiffMap();
        diffs.Map[""] = new Wire.VectorParamsDiff { Memory = Wire.Memory.Cached };
        var update = new Wire.UpdateCollection { CollectionName = "c", VectorsConfig = new Wire.VectorsConfigDiff { ParamsMap = diffs } };
        Assert.Equal("cached", CollectionMapping.ToEngine(update).Value!.Vectors![""].Memory);

        var sample = CollectionInfoMappingTests.Sample(new Engine.Api.VectorsConfig(mapped.Vectors.Single, null));
        Assert.Equal(Wire.Memory.Cold, CollectionInfoMapping.ToWire(sample).Config.Params.VectorsConfig.Params.Memory);
        Assert.False(CollectionInfoMapping.ToWire(CollectionInfoMappingTests.Sample()).Config.Params.VectorsConfig.Params.HasMemory);
    }
}
