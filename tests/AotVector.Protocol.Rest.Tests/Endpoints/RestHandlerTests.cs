using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Endpoints;

public sealed class RestHandlerTests
{
    [Fact]
    public async Task Run_EngineThrows_500EnvelopeWithoutStackTrace()
    {
        var harness = new RestHarness();
        harness.Points.Throw = new InvalidOperationException("boom");
        var response = await harness.SendAsync(PointsReadEndpoints.CountAsync, "{}");
        Assert.Equal(500, response.Status);
        Assert.Equal("Service internal error: boom", response.Error);
        Assert.DoesNotContain("   at ", response.Body);
    }

    [Fact]
    public async Task Run_AccessFeature_PassedToEngine()
    {
        var harness = new RestHarness();
        await harness.SendAsync(PointsReadEndpoints.CountAsync, "{}", access: AccessContext.ReadOnly);
        Assert.Same(AccessContext.ReadOnly, harness.Points.LastAccess);
        await harness.SendAsync(PointsReadEndpoints.CountAsync, "{}");
        Assert.Same(AccessContext.Full, harness.Points.LastAccess);
    }

    [Fact]
    public async Task Run_MalformedJson_400WithLineAndColumn()
    {
        var response = await new RestHarness().SendAsync(PointsEndpoints.UpsertAsync, "{\"points\":\n [1,}");
        Assert.Equal(400, response.Status);
        Assert.StartsWith("Format error in JSON body: ", response.Error);
        Assert.EndsWith("at line 2 column 5", response.Error);
    }

    [Fact]
    public async Task Run_EmptyBodyWhereRequired_400()
    {
        var response = await new RestHarness().SendAsync(PointsEndpoints.UpsertAsync, "");
        Assert.Equal(400, response.Status);
        Assert.Equal("Format error in JSON body: EOF while parsing a value at line 1 column 0", response.Error);
    }

    [Fact]
    public async Task Run_TooDeepJson_400()
    {
        var body = "{\"points\":[{\"id\":1,\"vector\":[1],\"payload\":" + new string('[', 200) + new string(']', 200) + "}]}";
        var response = await new RestHarness().SendAsync(PointsEndpoints.UpsertAsync, body);
        Assert.Equal(400, response.Status);
        Assert.StartsWith("Format error in JSON body: ", response.Error);
    }
}
