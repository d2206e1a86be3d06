using System.Net;
using System.Text.Json;
using AotVector.Server.Security;
using AotVector.Server.Security.Audit;
using AotVector.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace AotVector.Server.Tests.Security;

/// <summary>The failed-authentication throttle and the audit facts, as the auth middleware applies them.</summary>
public sealed class AuthMiddlewareThrottleTests
{
    private const string Key = "full-key-of-at-least-32-bytes-long";
    private const int Limit = 3;
    private static readonly IPAddress s_client = IPAddress.Parse("192.0.2.7");

    private readonly ManualTime _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly AuthMiddleware _middleware;

    public AuthMiddlewareThrottleTests()
    {
        var authenticator = new Authenticator(new ApiKeySet(Key, null, null), new JwtVerifier(Key, null, TimeProvider.System));
        var throttle = new AuthThrottle(Limit, TimeSpan.FromSeconds(60), _time);
        _middleware = new AuthMiddleware(authenticator, new AuthMiddlewareTests.FakePoints(), throttle, audited: true);
    }

    private static DefaultHttpContext Context(string? key, bool grpc = false, bool anonymous = false, IPAddress? from = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = from ?? s_client;
        context.Response.Body = new MemoryStream();
        context.Request.Body = new NoReadStream();
        if (grpc)
        {
            context.Request.ContentType = "application/grpc";
            context.Request.Protocol = "HTTP/2";
        }

        if (key is not null)
        {
            context.Request.Headers["api-key"] = key;
        }

        var metadata = anonymous ? new EndpointMetadataCollection(new AllowAnonymousAttribute()) : EndpointMetadataCollection.Empty;
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/collections"), 0, metadata, "test"));
        context.Features.Set(new AuditScope());
        return context;
    }

    private async Task<(bool Called, DefaultHttpContext Context)> RunAsync(DefaultHttpContext context)
    {
        var called = false;
        await _middleware.InvokeAsync(context, _ =>
        {
            called = true;
            return Task.CompletedTask;
        });
        return (called, context);
    }

    private async Task FailAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            var (_, context) = await RunAsync(Context("wrong-key"));
            Assert.Equal(401, context.Response.StatusCode);
        }
    }

    [Fact]
    public async Task Too_many_bad_keys_get_429_with_the_json_envelope_and_retry_after()
    {
        await FailAsync(Limit);
        _time.Advance(TimeSpan.FromSeconds(20));

        var (called, context) = await RunAsync(Context("wrong-key"));

        Assert.False(called);
        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("40", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/json", context.Response.ContentType);
        using var body = JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray());
        Assert.StartsWith("Too many failed authentication attempts", body.RootElement.GetProperty("status").GetProperty("error").GetString());
        Assert.Equal(0.0, body.RootElement.GetProperty("time").GetDouble());
    }

    [Fact]
    public async Task A_throttled_address_is_refused_even_with_the_right_key()
    {
        await FailAsync(Limit);

        var (called, context) = await RunAsync(Context(Key));

        Assert.False(called);
        Assert.Equal(429, context.Response.StatusCode);
        var scope = context.Features.Get<AuditScope>()!;
        Assert.StartsWith("Too many failed authentication attempts", scope.Refusal);
        Assert.Equal(AuthMechanism.None, scope.AuthType);
    }

    [Fact]
    public async Task Other_addresses_and_anonymous_endpoints_are_not_affected()
    {
        await FailAsync(Limit);

        Assert.True((await RunAsync(Context(Key, from: IPAddress.Parse("192.0.2.8")))).Called);
        Assert.True((await RunAsync(Context(null, anonymous: true))).Called);
    }

    [Fact]
    public async Task The_refusal_ends_with_the_window()
    {
        await FailAsync(Limit);
        _time.Advance(TimeSpan.FromSeconds(60));

        Assert.True((await RunAsync(Context(Key))).Called);
    }

    [Fact]
    public async Task Grpc_gets_resource_exhausted_with_retry_after_metadata()
    {
        await FailAsync(Limit);

        var (_, context) = await RunAsync(Context(Key, grpc: true));

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("8", context.Response.Headers["grpc-status"].ToString());
        Assert.Equal("60", context.Response.Headers["retry-after"].ToString());
        Assert.StartsWith("Too many failed authentication attempts", context.Response.Headers["grpc-message"].ToString());
    }

    [Fact]
    public async Task Requests_without_any_credential_do_not_count()
    {
        for (var i = 0; i < Limit * 3; i++)
        {
            Assert.Equal(401, (await RunAsync(Context(null))).Context.Response.StatusCode);
        }

        Assert.True((await RunAsync(Context(Key))).Called);
    }

    [Fact]
    public async Task Rejected_tokens_count()
    {
        var forged = TestTokens.Hs256("another-secret-of-at-least-32-bytes", """{"access":"m"}""");
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(403, (await RunAsync(Context(forged))).Context.Response.StatusCode);
        }

        Assert.Equal(429, (await RunAsync(Context(Key))).Context.Response.StatusCode);
    }

    [Fact]
    public async Task The_audit_scope_names_the_mechanism_and_the_token_subject_never_the_token()
    {
        var token = TestTokens.Hs256(Key, """{"access":"m","sub":"alice"}""");
        var (called, context) = await RunAsync(Context(token));

        Assert.True(called);
        var scope = context.Features.Get<AuditScope>()!;
        Assert.Equal(AuthMechanism.Jwt, scope.AuthType);
        Assert.Equal("alice", scope.Subject);
        Assert.Null(scope.Refusal);

        var (_, keyed) = await RunAsync(Context(Key));
        Assert.Equal(AuthMechanism.ApiKey, keyed.Features.Get<AuditScope>()!.AuthType);

        var (_, refused) = await RunAsync(Context("wrong-key"));
        var refusedScope = refused.Features.Get<AuditScope>()!;
        Assert.Equal(AuthMechanism.None, refusedScope.AuthType);
        Assert.Equal("Invalid API key or JWT", refusedScope.Refusal);
    }

    [Fact]
    public async Task The_subject_claim_wins_over_sub()
    {
        var token = TestTokens.Hs256(Key, """{"access":"r","sub":"svc-1","subject":"alice@example.com"}""");
        var (_, context) = await RunAsync(Context(token));

        Assert.Equal("alice@example.com", context.Features.Get<AuditScope>()!.Subject);
    }

    [Theory]
    [InlineData("""{"status":{"error":"Forbidden: no"},"time":0.1}""", "Forbidden: no")]
    [InlineData("""{"time":0.1,"status":{"error":"Not found: x"}}""", "Not found: x")]
    [InlineData("""{"result":{"error":"not this"},"status":"ok"}""", null)]
    [InlineData("""{"status":{"error":"whole","detail":"cut off he""", "whole")]
    [InlineData("""{"status":{"error":"cut off he""", null)]
    [InlineData("not json", null)]
    public void The_error_of_an_envelope_is_read_even_from_a_cut_body(string body, string? expected)
    {
        Assert.Equal(expected, ErrorBodyCapture.EnvelopeError(System.Text.Encoding.UTF8.GetBytes(body)));
    }

    private sealed class NoReadStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("body read before auth");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("body read before auth");
    }
}
