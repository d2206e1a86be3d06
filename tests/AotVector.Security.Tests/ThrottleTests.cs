using System.Net;
using System.Text.Json;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>
/// The failed-authentication throttle against the published server: an address that sent too many bad keys is
/// answered 429 (gRPC RESOURCE_EXHAUSTED) for a window, even with a good key, while health checks and other
/// addresses go on; /metrics counts it. The attacker here connects from 127.0.0.2, everyone else from 127.0.0.1.
/// </summary>
public sealed class ThrottleTests
{
    private const string Attacker = "127.0.0.2";
    private const int Limit = 5;

    private static Task<SecureServer> StartAsync(string limit) => SecureServer.StartAsync(env:
    [
        ("QDRANT__SERVICE__API_KEY", SecureServer.ApiKey),
        ("QDRANT__SERVICE__AUTH_FAILURE_LIMIT", limit),
        ("QDRANT__SERVICE__AUTH_FAILURE_WINDOW_SEC", "300"),
    ]);

    [Fact]
    public async Task Address_is_throttled_after_too_many_bad_keys_and_metrics_count_it()
    {
        await using var server = await StartAsync(Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var attacker = FromAddress.Http(server, Attacker, "not_the_key");
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("/collections")).StatusCode);
        }

        var throttled = await attacker.PutAsync("/collections/c", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        var retryAfter = throttled.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 300);
        using (var body = JsonDocument.Parse(await throttled.Content.ReadAsStringAsync()))
        {
            Assert.StartsWith("Too many failed authentication attempts", body.RootElement.GetProperty("status").GetProperty("error").GetString());
        }

        // The right key from a throttled address is refused too: otherwise the answer would tell a good guess apart.
        using var sameAddressGoodKey = FromAddress.Http(server, Attacker, SecureServer.ApiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await sameAddressGoodKey.GetAsync("/collections")).StatusCode);

        // Health checks still answer, REST and gRPC.
        using var anonymous = FromAddress.Http(server, Attacker);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
        using var channel = FromAddress.Grpc(server, Attacker);
        var qdrant = new QdrantGrpcClient(channel);
        Assert.NotEmpty((await qdrant.Qdrant.HealthCheckAsync(new HealthCheckRequest())).Version);
        Assert.NotEmpty(await HealthV1.CheckAsync(channel, []));

        var grpc = await Assert.ThrowsAsync<RpcException>(() =>
            qdrant.Collections.ListAsync(new ListCollectionsRequest(), SecureServer.Key(SecureServer.ApiKey)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, grpc.StatusCode);
        Assert.StartsWith("Too many failed authentication attempts", grpc.Status.Detail);
        Assert.InRange(int.Parse(grpc.Trailers.GetValue("retry-after")!, System.Globalization.CultureInfo.InvariantCulture), 1, 300);

        // Another address is not affected, and sees the counts.
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        var metrics = await admin.GetStringAsync("/metrics");
        Assert.Contains($"\nauth_failures_total {Limit}\n", metrics);
        Assert.Contains("\nauth_throttled_total 3\n", metrics);
        Assert.Contains("\naudit_lines_dropped_total 0\n", metrics);
    }

    [Fact]
    public async Task Requests_without_a_key_do_not_count()
    {
        await using var server = await StartAsync(Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var keyless = FromAddress.Http(server, Attacker);
        for (var i = 0; i < Limit * 2; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await keyless.GetAsync("/collections")).StatusCode);
        }

        using var good = FromAddress.Http(server, Attacker, SecureServer.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("/collections")).StatusCode);
        Assert.Contains($"\nauth_failures_total {Limit * 2}\n", await good.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Throttle_can_be_turned_off()
    {
        await using var server = await StartAsync("0");
        using var attacker = FromAddress.Http(server, Attacker, "not_the_key");
        for (var i = 0; i < Limit * 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("/collections")).StatusCode);
        }

        using var good = FromAddress.Http(server, Attacker, SecureServer.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("/collections")).StatusCode);
        var metrics = await good.GetStringAsync("/metrics");
        Assert.Contains($"\nauth_failures_total {Limit * 4}\n", metrics);
        Assert.Contains("\nauth_throttled_total 0\n", metrics);
    }
}
