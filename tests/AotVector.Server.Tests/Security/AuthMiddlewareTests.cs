using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Server.Hosting;
using AotVector.Server.Security;
using AotVector.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace AotVector.Server.Tests.Security;

public sealed class AuthMiddlewareTests
{
    private const string Key = "full-key-of-at-least-32-bytes-long";
    private const string ReadKey = "read-only-key";

    private static (AuthMiddleware Middleware, FakePoints Points) Create(bool jwt = true)
    {
        var points = new FakePoints();
        var authenticator = new Authenticator(new ApiKeySet(Key, null, ReadKey), jwt ? new JwtVerifier(Key, null, TimeProvider.System) : null);
        return (new AuthMiddleware(authenticator, points), points);
    }

    private static DefaultHttpContext Context(string pattern = "/collections", bool anonymous = false, bool grpc = false, params (string, string)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        context.Request.Body = new ThrowingStream();
        if (grpc)
        {
            context.Request.ContentType = "application/grpc";
            context.Request.Protocol = "HTTP/2";
        }

        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }

        var metadata = anonymous ? new EndpointMetadataCollection(new AllowAnonymousAttribute()) : EndpointMetadataCollection.Empty;
        context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, metadata, pattern));
        return context;
    }

    private static async Task<(bool Called, AccessContext? Access)> RunAsync(AuthMiddleware middleware, HttpContext context)
    {
        var called = false;
        AccessContext? seen = null;
        await middleware.InvokeAsync(context, c =>
        {
            called = true;
            seen = c.Features.Get<AccessContext>();
            return Task.CompletedTask;
        });
        return (called, seen);
    }

    private static string Body(HttpContext context) =>
        System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    [Fact]
    public async Task Anonymous_endpoint_needs_no_key()
    {
        var (called, _) = await RunAsync(Create().Middleware, Context("/healthz", anonymous: true));
        Assert.True(called);
    }

    [Fact]
    public async Task Missing_key_is_401_plain_text_and_the_body_is_not_read()
    {
        var context = Context();
        var (called, _) = await RunAsync(Create().Middleware, context);
        Assert.False(called);
        Assert.Equal(401, context.Response.StatusCode);
        Assert.StartsWith("text/plain", context.Response.ContentType);
        Assert.Equal("Must provide an API key or an Authorization bearer token", Body(context));
    }

    [Fact]
    public async Task Unrouted_request_is_not_exempt()
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        var (called, _) = await RunAsync(Create().Middleware, context);
        Assert.False(called);
        Assert.Equal(401, context.Response.StatusCode);
    }

    [Fact]
    public async Task Wrong_key_is_401_invalid()
    {
        var context = Context(headers: ("api-key", "nope"));
        await RunAsync(Create().Middleware, context);
        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal("Invalid API key or JWT", Body(context));
    }

    [Fact]
    public async Task Grpc_refusal_is_a_trailers_only_status()
    {
        var context = Context(grpc: true);
        await RunAsync(Create().Middleware, context);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("application/grpc", context.Response.ContentType);
        Assert.Equal("16", context.Response.Headers["grpc-status"].ToString());
        Assert.Equal("Must provide an API key or an Authorization bearer token", context.Response.Headers["grpc-message"].ToString());
        Assert.Equal(0, context.Response.Body.Length);
    }

    [Theory]
    [InlineData("api-key", Key, AccessLevel.Manage)]
    [InlineData("Authorization", "Bearer " + Key, AccessLevel.Manage)]
    [InlineData("api-key", ReadKey, AccessLevel.Read)]
    public async Task Keys_set_the_access_feature(string header, string value, AccessLevel level)
    {
        var (called, access) = await RunAsync(Create().Middleware, Context(headers: (header, value)));
        Assert.True(called);
        Assert.Equal(level, access!.Global);
    }

    [Fact]
    public async Task Token_without_access_claim_is_403_envelope()
    {
        var context = Context(headers: ("Authorization", "Bearer " + TestTokens.Hs256(Key, """{"sub":"x"}""")));
        var (called, _) = await RunAsync(Create().Middleware, context);
        Assert.False(called);
        Assert.Equal(403, context.Response.StatusCode);
        Assert.Contains("\"status\":{\"error\":\"Forbidden: the token grants no access", Body(context));
    }

    [Fact]
    public async Task Expired_token_is_403_on_grpc_permission_denied()
    {
        var token = TestTokens.Hs256(Key, """{"access":"m","exp":1000}""");
        var context = Context(grpc: true, headers: ("api-key", token));
        await RunAsync(Create().Middleware, context);
        Assert.Equal("7", context.Response.Headers["grpc-status"].ToString());
    }

    [Fact]
    public async Task Token_is_401_when_jwt_rbac_is_off()
    {
        var context = Context(headers: ("api-key", TestTokens.Hs256(Key, """{"access":"m"}""")));
        await RunAsync(Create(jwt: false).Middleware, context);
        Assert.Equal(401, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("/metrics", false)]
    [InlineData("/cluster", false)]
    [InlineData("/telemetry", true)]
    [InlineData("/collections", true)]
    public async Task Collection_tokens_need_global_access_for_server_wide_endpoints(string pattern, bool allowed)
    {
        var context = Context(pattern, headers: ("api-key", TestTokens.Hs256(Key, """{"access":[{"collection":"a","access":"rw"}]}""")));
        var (called, _) = await RunAsync(Create().Middleware, context);
        Assert.Equal(allowed, called);
        if (!allowed)
        {
            Assert.Equal(403, context.Response.StatusCode);
            Assert.Contains("Global access is required", Body(context));
        }
    }

    [Theory]
    [InlineData(FakePoints.Mode.Found, 0)]
    [InlineData(FakePoints.Mode.Empty, 401)]
    [InlineData(FakePoints.Mode.NoCollection, 403)]
    public async Task Value_exists_looks_the_point_up_with_full_access(FakePoints.Mode mode, int status)
    {
        var (middleware, points) = Create();
        points.Answer = mode;
        var token = TestTokens.Hs256(Key, """{"access":"r","value_exists":{"collection":"tokens","matches":[{"key":"tokenId","value":"t42"}]}}""");
        var context = Context(headers: ("api-key", token));
        var (called, _) = await RunAsync(middleware, context);
        Assert.Equal("tokens", points.LastCollection);
        Assert.Same(AccessContext.Full, points.LastAccess);
        Assert.Equal(status == 0, called);
        if (status != 0)
        {
            Assert.Equal(status, context.Response.StatusCode);
            Assert.Equal("Invalid JWT, stateful validation failed", Body(context));
        }
    }

    [Fact]
    public void Grpc_message_is_percent_encoded() =>
        Assert.Equal("a%25b %C3%A9", RefusalResponses.PercentEncode("a%b é"));

    private sealed class ThrowingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("body read before auth");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("body read before auth");
    }

    public sealed class FakePoints : IPointsApi
    {
        public enum Mode
        {
            Found,
            Empty,
            NoCollection,
        }

        public Mode Answer { get; set; }

        public string? LastCollection { get; private set; }

        public AccessContext? LastAccess { get; private set; }

        public ValueTask<Result<ScrollResult>> ScrollAsync(AccessContext access, string collection, ScrollRequest request, CancellationToken ct)
        {
            LastAccess = access;
            LastCollection = collection;
            Result<ScrollResult> result = Answer switch
            {
                Mode.Found => new ScrollResult([new PointRecord(AotVector.Common.Model.PointId.FromNum(1), null, null)], null),
                Mode.Empty => new ScrollResult([], null),
                _ => AvError.NotFound("Collection `tokens` doesn't exist!"),
            };
            return ValueTask.FromResult(result);
        }

        public ValueTask<Result<UpdateResult>> UpdateAsync(AccessContext access, string collection, UpdateOperation operation, WriteOptions options, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask<Result<IReadOnlyList<UpdateResult>>> UpdateBatchAsync(AccessContext access, string collection, IReadOnlyList<UpdateOperation> operations, WriteOptions options, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask<Result<UpdateResult>> CreateVectorNameAsync(AccessContext access, string collection, CreateVectorNameRequest request, WriteOptions options, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask<Result<UpdateResult>> DeleteVectorNameAsync(AccessContext access, string collection, string vectorName, WriteOptions options, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask<Result<IReadOnlyList<PointRecord>>> RetrieveAsync(AccessContext access, string collection, RetrieveRequest request, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask<Result<ulong>> CountAsync(AccessContext access, string collection, CountRequest request, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask<Result<IReadOnlyList<PointGroup>>> QueryGroupsAsync(AccessContext access, string collection, GroupsRequest request, ReadOptions options, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask<Result<IReadOnlyList<FacetHit>>> FacetAsync(AccessContext access, string collection, FacetRequest request, ReadOptions options, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask<Result<DistanceMatrix>> SearchMatrixAsync(AccessContext access, string collection, MatrixRequest request, ReadOptions options, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask<Result<IReadOnlyList<ScoredPoint>>> QueryAsync(AccessContext access, string collection, QueryRequest request, ReadOptions options, CancellationToken ct) => throw new NotSupportedException();

        public ValueTask<Result<IReadOnlyList<IReadOnlyList<ScoredPoint>>>> QueryBatchAsync(AccessContext access, string collection, IReadOnlyList<QueryRequest> requests, ReadOptions options, CancellationToken ct) => throw new NotSupportedException();
    }
}
