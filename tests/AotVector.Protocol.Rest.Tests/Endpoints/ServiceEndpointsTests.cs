using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Endpoints;

public sealed class ServiceEndpointsTests
{
    [Fact]
    public async Task Root_RawVersionObject_NoEnvelope()
    {
        var response = await new RestHarness().SendAsync(ServiceEndpoints.RootAsync);
        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("""{"title":"qdrant - vector search engine","version":"1.19.0"}""", response.Body);
    }

    [Fact]
    public async Task Probes_PlainText()
    {
        var harness = new RestHarness();
        var healthz = await harness.SendAsync(ServiceEndpoints.HealthzAsync);
        Assert.Equal("healthz check passed", healthz.Body);
        Assert.StartsWith("text/plain", healthz.ContentType);
        Assert.Equal("all shards are ready", (await harness.SendAsync(ServiceEndpoints.ReadyzAsync)).Body);
    }
}
