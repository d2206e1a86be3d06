using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// The Qdrant REST surface (api.md §1, §2 Tier A, §7) against one published server shared by this class.
/// Every test uses its own collection names, so order does not matter.
/// </summary>
public sealed partial class RestApiTests : IClassFixture<ServerFixture>
{
    private readonly ServerProcess _server;

    public RestApiTests(ServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task RootReturnsTheBareVersionObject()
    {
        var response = await _server.GetAsync("/");
        response.Expect(200);
        var root = response.Json;
        response.Check(root.ValueKind == JsonValueKind.Object, "GET / must be an object");
        Assert.Equal("qdrant - vector search engine", root.At("title").GetString());
        var version = root.At("version").GetString()!;
        response.Check(version.StartsWith("1.19.", StringComparison.Ordinal), "version should be 1.19.x for client compatibility checks");
        response.Check(!root.Has("result") && !root.Has("status"), "GET / is not wrapped in the envelope");
    }

    [Theory]
    [InlineData("/healthz", "healthz check passed")]
    [InlineData("/livez", "healthz check passed")]
    [InlineData("/readyz", "all shards are ready")]
    public async Task HealthEndpointsAnswerPlainText(string path, string text)
    {
        var response = await _server.GetAsync(path);
        response.Expect(200);
        Assert.Equal("text/plain", response.ContentType);
        Assert.Equal(text, response.Text.Trim());
    }

    [Fact]
    public async Task MetricsArePrometheusText()
    {
        var response = await _server.GetAsync("/metrics");
        response.Expect(200);
        response.Check(response.ContentType == "text/plain", "metrics content type should be text/plain");
        response.Check(response.Text.Contains("# TYPE ", StringComparison.Ordinal), "Prometheus text has # TYPE lines");
        response.Check(!response.Text.TrimStart().StartsWith('{'), "metrics must not be JSON");
    }

    [Fact]
    public async Task ClusterIsDisabledInStandaloneMode()
    {
        var result = (await _server.GetAsync("/cluster")).Ok();
        Calls.AssertJson("""{"status":"disabled"}""", result);
    }

    [Fact]
    public async Task TelemetryIsEnveloped()
    {
        var result = (await _server.GetAsync("/telemetry")).Ok();
        Assert.Equal(JsonValueKind.Object, result.ValueKind);
    }

    [Fact]
    public async Task UnknownRouteIsNotFound()
    {
        var response = await _server.GetAsync("/no/such/route");
        response.Expect(404);
    }
}
