using System.Net;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>Ways around the key check that must not work: exemptions follow the routed endpoint, never the raw path.</summary>
public sealed class BypassTests(PermissionFixture fixture) : IClassFixture<PermissionFixture>
{
    private int Port => fixture.Server.Process.HttpPort;

    [Theory]
    [InlineData("/healthz/..%2fcollections")]
    [InlineData("/healthz/..%2Fcollections")]
    [InlineData("/healthz%2f..%2fcollections")]
    [InlineData("/healthz/../collections")]
    [InlineData("/readyz/../collections")]
    [InlineData("/livez/..%2f..%2fcollections")]
    [InlineData("//collections")]
    [InlineData("/collections//")]
    [InlineData("///collections")]
    [InlineData("/COLLECTIONS")]
    [InlineData("/readyz/x")]
    [InlineData("/healthz/extra")]
    [InlineData("/metrics")]
    [InlineData("/telemetry")]
    [InlineData("/%63ollections")]
    [InlineData("/no/such/route")]
    public async Task Paths_that_are_not_the_probes_need_a_key(string target)
    {
        var (status, body) = await RawHttp.SendAsync(Port, target);
        Assert.True(status == 401, $"{target}: {status} {body}");
    }

    [Theory]
    [InlineData("/healthz", "healthz check passed")]
    [InlineData("/Healthz", "healthz check passed")]
    [InlineData("/healthz/", "healthz check passed")]
    [InlineData("//healthz", "healthz check passed")]
    [InlineData("/readyz", "all shards are ready")]
    [InlineData("/livez", "healthz check passed")]
    [InlineData("/", "qdrant - vector search engine")]
    public async Task The_probes_answer_without_a_key(string target, string expected)
    {
        var (status, body) = await RawHttp.SendAsync(Port, target);
        Assert.Equal(200, status);
        Assert.Contains(expected, body);
    }

    [Fact]
    public async Task Duplicate_api_key_headers_are_refused_even_when_both_are_right()
    {
        var (status, _) = await RawHttp.SendAsync(Port, "/collections", "api-key: " + SecureServer.ApiKey, "api-key: " + SecureServer.ApiKey);
        Assert.Equal(401, status);
        (status, _) = await RawHttp.SendAsync(Port, "/collections", "api-key: " + SecureServer.ReadOnlyKey, "API-KEY: " + SecureServer.ApiKey);
        Assert.Equal(401, status);
        (status, _) = await RawHttp.SendAsync(Port, "/collections", "api-key: " + SecureServer.ApiKey + ", " + SecureServer.ApiKey);
        Assert.Equal(401, status);
    }

    [Theory]
    [InlineData("api-key")]
    [InlineData("API-KEY")]
    [InlineData("Api-Key")]
    [InlineData("aPi-KeY")]
    public async Task Header_names_are_case_insensitive(string name)
    {
        var (status, _) = await RawHttp.SendAsync(Port, "/collections", $"{name}: {SecureServer.ApiKey}");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Api_key_header_wins_over_a_bearer_and_a_wrong_one_is_not_rescued()
    {
        var (status, _) = await RawHttp.SendAsync(Port, "/collections", "api-key: " + SecureServer.ApiKey, "Authorization: Bearer wrong");
        Assert.Equal(200, status);
        (status, _) = await RawHttp.SendAsync(Port, "/collections", "api-key: wrong", "Authorization: Bearer " + SecureServer.ApiKey);
        Assert.Equal(401, status);
        // A present but empty api-key is the credential (as in the reference), not a reason to look further.
        (status, _) = await RawHttp.SendAsync(Port, "/collections", "api-key:", "Authorization: Bearer " + SecureServer.ApiKey);
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Wrong_and_missing_keys_get_the_reference_texts()
    {
        var (status, body) = await RawHttp.SendAsync(Port, "/collections");
        Assert.Equal((401, "Must provide an API key or an Authorization bearer token"), (status, body));
        (status, body) = await RawHttp.SendAsync(Port, "/collections", "api-key: nope");
        Assert.Equal((401, "Invalid API key or JWT"), (status, body));
    }

    [Fact]
    public async Task Cors_preflight_needs_no_key()
    {
        using var http = fixture.Server.CreateHttp();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/collections");
        request.Headers.Add("Origin", "https://example.com");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "api-key");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/collections")).StatusCode);
    }

    [Fact]
    public async Task Grpc_health_is_open_and_everything_else_needs_a_key()
    {
        using var channel = fixture.Server.CreateChannel();
        var qdrant = new QdrantGrpcClient(channel);
        Assert.Equal("qdrant - vector search engine", (await qdrant.Qdrant.HealthCheckAsync(new HealthCheckRequest())).Title);
        Assert.Equal(new byte[] { 0x08, 0x01 }, await HealthV1.CheckAsync(channel, []));

        var missing = await Assert.ThrowsAsync<RpcException>(() => qdrant.Collections.ListAsync(new ListCollectionsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal("Must provide an API key or an Authorization bearer token", missing.Status.Detail);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => qdrant.Collections.ListAsync(new ListCollectionsRequest(), SecureServer.Key("nope")).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal("Invalid API key or JWT", wrong.Status.Detail);

        // Watch is not one of the exempt methods.
        var watch = await Assert.ThrowsAsync<RpcException>(() => HealthV1.WatchFirstAsync(channel, []));
        Assert.Equal(StatusCode.Unauthenticated, watch.StatusCode);
        Assert.Equal(new byte[] { 0x08, 0x01 }, await HealthV1.WatchFirstAsync(channel, SecureServer.Key(SecureServer.ReadOnlyKey)));

        var upper = new Metadata { { "API-KEY", SecureServer.ApiKey } };
        Assert.NotNull(await qdrant.Collections.ListAsync(new ListCollectionsRequest(), upper));
    }

    [Fact]
    public async Task Read_only_key_cannot_write_over_grpc_with_permission_denied()
    {
        using var channel = fixture.Server.CreateChannel();
        var qdrant = new QdrantGrpcClient(channel);
        var denied = await Assert.ThrowsAsync<RpcException>(() => qdrant.Collections.CreateAsync(
            new CreateCollection { CollectionName = "x", VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = 2, Distance = Distance.Dot } } },
            SecureServer.Key(SecureServer.ReadOnlyKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }
}
