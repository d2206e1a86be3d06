using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Protocol.Grpc.Mapping;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Tests.Mapping;

public sealed class PointIdMappingTests
{
    [Fact]
    public void ToEngine_Num_GivesNumericId()
    {
        var id = PointIdMapping.ToEngine(new Wire.PointId { Num = ulong.MaxValue }).Value;

        Assert.False(id.IsUuid);
        Assert.Equal(ulong.MaxValue, id.Num);
    }

    [Theory]
    [InlineData("5C56C793-69F3-4FBF-87E6-C4BF54C28C26")]
    [InlineData("5c56c79369f34fbf87e6c4bf54c28c26")]
    [InlineData("urn:uuid:5c56c793-69f3-4fbf-87e6-c4bf54c28c26")]
    public void ToEngine_UuidForms_ParseToSameId(string text)
    {
        var id = PointIdMapping.ToEngine(new Wire.PointId { Uuid = text }).Value;

        Assert.Equal(Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26"), id.Uuid);
    }

    [Fact]
    public void ToEngine_BadUuid_IsBadRequest()
    {
        var result = PointIdMapping.ToEngine(new Wire.PointId { Uuid = "not-a-uuid" });

        Assert.False(result.IsOk);
        Assert.Equal(ErrorKind.BadRequest, result.Error.Kind);
        Assert.Contains("not-a-uuid", result.Error.Message);
    }

    [Fact]
    public void ToEngine_EmptyOrMissing_IsBadRequest()
    {
        Assert.False(PointIdMapping.ToEngine(new Wire.PointId()).IsOk);
        Assert.False(PointIdMapping.ToEngine((Wire.PointId?)null).IsOk);
    }

    [Fact]
    public void ToWire_Uuid_IsLowerCaseHyphenated()
    {
        var wire = PointIdMapping.ToWire(PointId.FromUuid(Guid.Parse("5C56C793-69F3-4FBF-87E6-C4BF54C28C26")));

        Assert.Equal(Wire.PointId.PointIdOptionsOneofCase.Uuid, wire.PointIdOptionsCase);
        Assert.Equal("5c56c793-69f3-4fbf-87e6-c4bf54c28c26", wire.Uuid);
    }

    [Fact]
    public void ToWire_Num_SetsNum()
    {
        var wire = PointIdMapping.ToWire(PointId.FromNum(42));

        Assert.Equal(Wire.PointId.PointIdOptionsOneofCase.Num, wire.PointIdOptionsCase);
        Assert.Equal(42UL, wire.Num);
    }

    [Fact]
    public void ToEngine_List_StopsAtFirstBadId()
    {
        var result = PointIdMapping.ToEngine([new Wire.PointId { Num = 1 }, new Wire.PointId { Uuid = "x" }]);

        Assert.False(result.IsOk);
    }
}
