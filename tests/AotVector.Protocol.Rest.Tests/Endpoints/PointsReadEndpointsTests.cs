using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Endpoints;

public sealed class PointsReadEndpointsTests
{
    private static readonly Guid s_uuid = Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");

    private readonly RestHarness _harness = new();

    public PointsReadEndpointsTests()
    {
        _harness.Points.Records.Add(new PointRecord(PointId.FromNum(1), new Payload { ["city"] = PayloadValue.FromString("Berlin") }, new Dictionary<string, VectorData> { [""] = (float[])[0.5f, 1f] }));
        _harness.Points.Records.Add(new PointRecord(PointId.FromUuid(s_uuid), null, new Dictionary<string, VectorData> { ["img"] = (float[])[1f], ["txt"] = (float[])[2f] }));
        _harness.Points.Records.Add(new PointRecord(PointId.FromNum(3), null, null));
    }

    [Fact]
    public async Task Get_ById_RecordWithPayloadAndVector()
    {
        var response = await _harness.SendAsync(PointsReadEndpoints.GetAsync, route: new() { ["id"] = "1" });
        Assert.Equal("""{"id":1,"payload":{"city":"Berlin"},"vector":[0.5,1]}""", response.Result);
        Assert.Equal(WithPayload.All, _harness.Points.LastRetrieve!.WithPayload);
        Assert.Equal(WithVector.All, _harness.Points.LastRetrieve.WithVector);
    }

    [Fact]
    public async Task Get_ByUuidInAnyForm_PrintsLowercaseHyphenated()
    {
        var response = await _harness.SendAsync(PointsReadEndpoints.GetAsync, route: new() { ["id"] = "5C56C79369F34FBF87E6C4BF54C28C26" });
        Assert.Equal("""{"id":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26","vector":{"img":[1],"txt":[2]}}""", response.Result);
    }

    [Fact]
    public async Task Get_Missing_404QdrantMessage()
    {
        var response = await _harness.SendAsync(PointsReadEndpoints.GetAsync, route: new() { ["id"] = "99" });
        Assert.Equal(404, response.Status);
        Assert.Equal("Not found: No point with id 99 found", response.Error);
    }

    [Fact]
    public async Task Get_BadId_400()
    {
        var response = await _harness.SendAsync(PointsReadEndpoints.GetAsync, route: new() { ["id"] = "abc" });
        Assert.Equal(400, response.Status);
        Assert.Contains("value abc is not a valid point ID", response.Error);
    }

    [Fact]
    public async Task Retrieve_ListOfRecords_OmitsNullParts()
    {
        var response = await _harness.SendAsync(PointsReadEndpoints.RetrieveAsync, """{"ids":[3,1]}""");
        Assert.Equal("""[{"id":1,"payload":{"city":"Berlin"},"vector":[0.5,1]},{"id":3}]""", response.Result);
    }

    [Fact]
    public async Task Scroll_PageAndNextOffset()
    {
        _harness.Points.NextPageOffset = PointId.FromNum(4);
        var response = await _harness.SendAsync(PointsReadEndpoints.ScrollAsync, """{"limit":3}""");
        var result = response.Json.GetProperty("result");
        Assert.Equal(3, result.GetProperty("points").GetArrayLength());
        Assert.Equal(4, result.GetProperty("next_page_offset").GetInt32());
        Assert.Equal(3u, _harness.Points.LastScroll!.Limit);

        _harness.Points.NextPageOffset = null;
        var last = await _harness.SendAsync(PointsReadEndpoints.ScrollAsync, "");
        Assert.Equal("null", last.Json.GetProperty("result").GetProperty("next_page_offset").GetRawText());
    }

    [Fact]
    public async Task Count_Shape()
    {
        var response = await _harness.SendAsync(PointsReadEndpoints.CountAsync, """{"exact":true}""");
        Assert.Equal("""{"count":42}""", response.Result);
    }

    [Fact]
    public async Task Scroll_LimitZero_422()
    {
        var response = await _harness.SendAsync(PointsReadEndpoints.ScrollAsync, """{"limit":0}""");
        Assert.Equal(422, response.Status);
        Assert.Equal("Validation error in JSON body: [limit: value 0 invalid, must be 1 or larger]", response.Error);
    }
}
