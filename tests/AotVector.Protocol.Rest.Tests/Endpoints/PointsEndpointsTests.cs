using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Endpoints;

public sealed class PointsEndpointsTests
{
    private readonly RestHarness _harness = new();

    [Fact]
    public async Task Upsert_WaitDefaultsFalse_Acknowledged()
    {
        var response = await _harness.SendAsync(PointsEndpoints.UpsertAsync, """{"points":[{"id":1,"vector":[1,2]}]}""", collection: "test");
        Assert.Equal(200, response.Status);
        Assert.Equal("""{"operation_id":7,"status":"acknowledged"}""", response.Result);
        Assert.Equal("test", _harness.Points.LastCollection);
        Assert.False(_harness.Points.LastOptions!.Value.Wait);
        Assert.IsType<UpsertPoints>(_harness.Points.LastOperation);
    }

    [Fact]
    public async Task Upsert_WaitTrueAndTimeout_Passed()
    {
        var response = await _harness.SendAsync(PointsEndpoints.UpsertAsync, """{"points":[{"id":1,"vector":[1,2]}]}""", query: "?wait=true&timeout=3");
        Assert.Equal("""{"operation_id":7,"status":"completed"}""", response.Result);
        Assert.Equal(new WriteOptions(true, TimeSpan.FromSeconds(3)), _harness.Points.LastOptions);
    }

    [Fact]
    public async Task Upsert_BadPointId_400AndNothingWritten()
    {
        var response = await _harness.SendAsync(PointsEndpoints.UpsertAsync, """{"points":[{"id":-1,"vector":[1,2]}]}""");
        Assert.Equal(400, response.Status);
        Assert.Contains("value -1 is not a valid point ID, valid values are either an unsigned integer or a UUID", response.Error);
        Assert.Null(_harness.Points.LastOperation);
    }

    [Fact]
    public async Task Upsert_BadWait_400()
    {
        var response = await _harness.SendAsync(PointsEndpoints.UpsertAsync, """{"points":[]}""", query: "?wait=maybe");
        Assert.Equal(400, response.Status);
        Assert.StartsWith("Deserialize error in query parameters: ", response.Error);
    }

    [Fact]
    public async Task Upsert_EngineRejectsDimension_400()
    {
        _harness.Points.Error = AvError.BadRequest("Vector dimension error: expected dim: 4, got 3");
        var response = await _harness.SendAsync(PointsEndpoints.UpsertAsync, """{"points":[{"id":1,"vector":[1,2,3]}]}""");
        Assert.Equal(400, response.Status);
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 4, got 3", response.Error);
    }

    [Fact]
    public async Task WriteEndpoints_MapToOperations()
    {
        await _harness.SendAsync(PointsEndpoints.DeleteAsync, """{"points":[1]}""");
        Assert.IsType<DeletePoints>(_harness.Points.LastOperation);
        await _harness.SendAsync(PointsEndpoints.SetPayloadAsync, """{"payload":{"a":1},"points":[1]}""");
        Assert.IsType<SetPayload>(_harness.Points.LastOperation);
        await _harness.SendAsync(PointsEndpoints.OverwritePayloadAsync, """{"payload":{"a":1},"points":[1]}""");
        Assert.IsType<OverwritePayload>(_harness.Points.LastOperation);
        await _harness.SendAsync(PointsEndpoints.DeletePayloadAsync, """{"keys":["a"],"points":[1]}""");
        Assert.IsType<DeletePayloadKeys>(_harness.Points.LastOperation);
        await _harness.SendAsync(PointsEndpoints.ClearPayloadAsync, """{"points":[1]}""");
        Assert.IsType<ClearPayload>(_harness.Points.LastOperation);
        await _harness.SendAsync(PointsEndpoints.UpdateVectorsAsync, """{"points":[{"id":1,"vector":[1]}]}""");
        Assert.IsType<UpdateVectors>(_harness.Points.LastOperation);
        await _harness.SendAsync(PointsEndpoints.DeleteVectorsAsync, """{"points":[1],"vector":["a"]}""");
        Assert.IsType<DeleteVectors>(_harness.Points.LastOperation);
    }

    [Fact]
    public async Task Batch_ArrayOfUpdateResults()
    {
        var response = await _harness.SendAsync(PointsEndpoints.BatchAsync, """{"operations":[{"delete":{"points":[1]}},{"clear_payload":{"points":[2]}}]}""", query: "?wait=true");
        Assert.Equal("""[{"operation_id":1,"status":"completed"},{"operation_id":2,"status":"completed"}]""", response.Result);
        Assert.Equal(2, _harness.Points.LastOperations!.Count);
        Assert.True(_harness.Points.LastOptions!.Value.Wait);
    }
}
