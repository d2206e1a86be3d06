using AotVector.Engine.Api;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace AotVector.Protocol.Grpc.Tests.TestSupport;

/// <summary>
/// A minimal <see cref="ServerCallContext"/> for calling service methods directly. The HTTP context
/// goes in <c>UserState["__HttpContext"]</c>, the documented fallback <c>GetHttpContext()</c> reads.
/// </summary>
internal sealed class TestServerCallContext : ServerCallContext
{
    private readonly Metadata _requestHeaders = [];
    private readonly Metadata _responseTrailers = [];
    private readonly CancellationToken _cancellationToken;

    private TestServerCallContext(HttpContext httpContext, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        _cancellationToken = cancellationToken;
        UserState["__HttpContext"] = httpContext;
    }

    public HttpContext HttpContext { get; }

    /// <param name="access">Set as the AccessContext feature, as the server's security layer would; null leaves it unset.</param>
    public static TestServerCallContext Create(AccessContext? access = null, CancellationToken cancellationToken = default)
    {
        var http = new DefaultHttpContext();
        if (access is not null)
        {
            http.Features.Set(access);
        }

        return new TestServerCallContext(http, cancellationToken);
    }

    protected override string MethodCore => "/test/Method";

    protected override string HostCore => "localhost";

    protected override string PeerCore => "ipv4:127.0.0.1:1";

    protected override DateTime DeadlineCore => DateTime.MaxValue;

    protected override Metadata RequestHeadersCore => _requestHeaders;

    protected override CancellationToken CancellationTokenCore => _cancellationToken;

    protected override Metadata ResponseTrailersCore => _responseTrailers;

    protected override Status StatusCore { get; set; }

    protected override global::Grpc.Core.WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore => new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
