using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Json;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Json;

public sealed class ReadRequestReaderTests
{
    [Fact]
    public void ReadRetrieve_DefaultsPayloadOnVectorsOff()
    {
        var request = Body.Ok("""{"ids":[1,"5c56c793-69f3-4fbf-87e6-c4bf54c28c26"]}""", ReadRequestReader.ReadRetrieve);
        Assert.Equal(2, request.Ids.Count);
        Assert.Equal(WithPayload.All, request.WithPayload);
        Assert.Equal(WithVector.None, request.WithVector);
    }

    [Fact]
    public void ReadRetrieve_Selectors()
    {
        var request = Body.Ok("""{"ids":[1],"with_payload":false,"with_vector":["img"]}""", ReadRequestReader.ReadRetrieve);
        Assert.Equal(WithPayload.None, request.WithPayload);
        Assert.Equal(["img"], request.WithVector.Names!);
        Assert.Equal("Format error in JSON body: missing field `ids`", Body.Fail("{}", ReadRequestReader.ReadRetrieve).Message);
    }

    [Fact]
    public void ReadScroll_DefaultsAndFields()
    {
        var defaults = Body.Ok("{}", ReadRequestReader.ReadScroll);
        Assert.Equal(10u, defaults.Limit);
        Assert.Null(defaults.Offset);
        Assert.Equal(WithPayload.All, defaults.WithPayload);
        Assert.Equal(WithVector.None, defaults.WithVector);

        var request = Body.Ok("""{"filter":{"must":[{"key":"a","match":{"value":1}}]},"limit":2,"offset":5,"with_payload":{"include":["a"]},"with_vector":true}""", ReadRequestReader.ReadScroll);
        Assert.Equal(2u, request.Limit);
        Assert.Equal(PointId.FromNum(5), request.Offset);
        Assert.Equal(["a"], request.WithPayload.Include!);
        Assert.NotNull(request.Filter);
    }

    [Fact]
    public void ReadScroll_Errors()
    {
        Assert.Equal(ErrorKind.Validation, Body.Fail("""{"limit":0}""", ReadRequestReader.ReadScroll).Kind);
        Assert.Contains("invalid value: integer `-1`, expected u64 at limit", Body.Fail("""{"limit":-1}""", ReadRequestReader.ReadScroll).Message);
        Assert.Contains("is not a valid point ID", Body.Fail("""{"offset":-3}""", ReadRequestReader.ReadScroll).Message);
        Assert.Contains("unknown variant `up`, expected `asc` or `desc`", Body.Fail("""{"order_by":{"key":"price","direction":"up"}}""", ReadRequestReader.ReadScroll).Message);
        Assert.Contains("Expected a string, or an object with a key, direction and/or start_from", Body.Fail("""{"order_by":5}""", ReadRequestReader.ReadScroll).Message);
        Assert.Contains("exactly one of `include` or `exclude`", Body.Fail("""{"with_payload":{}}""", ReadRequestReader.ReadScroll).Message);
    }

    [Fact]
    public void ReadCount_ExactDefaultsTrue()
    {
        Assert.True(Body.Ok("{}", ReadRequestReader.ReadCount).Exact);
        var request = Body.Ok("""{"exact":false,"filter":{"must":[{"has_id":[1]}]}}""", ReadRequestReader.ReadCount);
        Assert.False(request.Exact);
        Assert.NotNull(request.Filter);
    }
}
