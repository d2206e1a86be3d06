using System.Net;
using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>JWT behaviour beyond the table: value_exists revocation, lookup_from across collections, strict parsing.</summary>
public sealed class JwtTests
{
    [Fact]
    public async Task Value_exists_token_holds_only_while_the_point_exists()
    {
        await using var server = await SecureServer.StartAsync(env:
        [
            ("QDRANT__SERVICE__API_KEY", SecureServer.ApiKey),
            ("QDRANT__SERVICE__JWT_RBAC", "true"),
        ]);
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        var token = TestTokens.Hs256(SecureServer.ApiKey,
            """{"access":"r","value_exists":{"collection":"tokens","matches":[{"key":"tokenId","value":"token_42"}]}}""");
        using var caller = server.CreateHttp(token);

        Assert.Equal(HttpStatusCode.Forbidden, (await caller.GetAsync("/collections")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/collections/tokens", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await caller.GetAsync("/collections")).StatusCode);

        await admin.PutAsync("/collections/tokens/points?wait=true", SecureServer.Json("""{"points":[{"id":1,"vector":[1,0],"payload":{"tokenId":"token_42"}}]}"""));
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/collections")).StatusCode);

        await admin.PostAsync("/collections/tokens/points/delete?wait=true", SecureServer.Json("""{"points":[1]}"""));
        var revoked = await caller.GetAsync("/collections");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal("Invalid JWT, stateful validation failed", await revoked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Lookup_from_another_collection_needs_access_there()
    {
        await using var server = await SecureServer.StartAsync(env:
        [
            ("QDRANT__SERVICE__API_KEY", SecureServer.ApiKey),
            ("QDRANT__SERVICE__JWT_RBAC", "true"),
        ]);
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        foreach (var name in new[] { "mine", "theirs" })
        {
            await admin.PutAsync($"/collections/{name}", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""));
            await admin.PutAsync($"/collections/{name}/points?wait=true", SecureServer.Json("""{"points":[{"id":1,"vector":[1,0]},{"id":2,"vector":[0,1]}]}"""));
        }

        using var caller = server.CreateHttp(TestTokens.Hs256(SecureServer.ApiKey, """{"access":[{"collection":"mine","access":"r"}]}"""));
        var own = await caller.PostAsync("/collections/mine/points/query", SecureServer.Json("""{"query":{"recommend":{"positive":[1]}},"limit":1}"""));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var other = await caller.PostAsync("/collections/mine/points/query", SecureServer.Json("""{"query":{"recommend":{"positive":[1]}},"lookup_from":{"collection":"theirs"},"limit":1}"""));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("Forbidden: Access to collection theirs is required", await other.Content.ReadAsStringAsync());

        var listed = await (await caller.GetAsync("/collections")).Content.ReadAsStringAsync();
        Assert.Contains("\"mine\"", listed);
        Assert.DoesNotContain("\"theirs\"", listed);
    }

    [Fact]
    public async Task Tokens_with_a_key_given_twice_or_data_after_the_json_get_401_on_both_ports()
    {
        await using var server = await SecureServer.StartAsync(env:
        [
            ("QDRANT__SERVICE__API_KEY", SecureServer.ApiKey),
            ("QDRANT__SERVICE__JWT_RBAC", "true"),
        ]);
        using var admin = server.CreateHttp(SecureServer.ApiKey);
        await admin.PutAsync("/collections/mine", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""));
        var past = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();

        // Each refused token has a twin, with the key once or without the extra bytes, that is served.
        (string Refused, string Served)[] cases =
        [
            (TestTokens.Hs256(SecureServer.ApiKey, $$"""{"access":"m","exp":{{past}},"exp":{{future}}}"""),
                TestTokens.Hs256(SecureServer.ApiKey, $$"""{"access":"m","exp":{{future}}}""")),
            (TestTokens.Hs256(SecureServer.ApiKey, """{"access":[{"collection":"theirs","collection":"mine","access":"r"}]}"""),
                TestTokens.Hs256(SecureServer.ApiKey, """{"access":[{"collection":"mine","access":"r"}]}""")),
            (TestTokens.Hs256(SecureServer.ApiKey, """{"access":"r"}{"access":"m"}"""),
                TestTokens.Hs256(SecureServer.ApiKey, """{"access":"r"}""")),
            (TestTokens.Sign("""{"alg":"HS256","typ":"JWT","typ":"JWT"}""", """{"access":"m"}""", SecureServer.ApiKey),
                TestTokens.Sign("""{"alg":"HS256","typ":"JWT"}""", """{"access":"m"}""", SecureServer.ApiKey)),
            (TestTokens.Sign("""{"alg":"HS256"}{"alg":"none"}""", """{"access":"m"}""", SecureServer.ApiKey),
                TestTokens.Sign("""{"alg":"HS256"}""", """{"access":"m"}""", SecureServer.ApiKey)),
        ];
        using var channel = server.CreateChannel();
        var points = new Points.PointsClient(channel);
        foreach (var (refused, served) in cases)
        {
            using (var caller = server.CreateHttp(served))
            {
                Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/collections/mine")).StatusCode);
            }

            await points.CountAsync(new CountPoints { CollectionName = "mine" }, SecureServer.Bearer(served));

            using (var caller = server.CreateHttp(refused))
            {
                var response = await caller.GetAsync("/collections/mine");
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.StartsWith("Invalid", await response.Content.ReadAsStringAsync());
            }

            var error = await Assert.ThrowsAsync<RpcException>(() => points.CountAsync(new CountPoints { CollectionName = "mine" }, SecureServer.Bearer(refused)).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }
    }
}
