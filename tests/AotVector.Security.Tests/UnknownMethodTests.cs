using Grpc.Core;
using Grpc.Net.Client;

namespace AotVector.Security.Tests;

/// <summary>
/// gRPC's answers for services and methods the server does not have (UNIMPLEMENTED) are given to authenticated
/// callers only; an anonymous caller gets UNAUTHENTICATED whatever it asks for, so it cannot probe which services
/// exist. Only the two health checks answer without credentials.
/// </summary>
public sealed class UnknownMethodTests(PermissionFixture fixture) : IClassFixture<PermissionFixture>
{
    private static readonly Marshaller<byte[]> s_bytes = Marshallers.Create(b => b, b => b);

    public static TheoryData<string, string> UnknownMethods => new()
    {
        { "foo.Bar", "Baz" },
        { "qdrant.Qdrant", "Nope" },
        { "qdrant.Collections", "Nope" },
        { "qdrant.Points", "Nope" },
        { "qdrant.Snapshots", "Nope" },
        { "grpc.health.v1.Health", "Nope" },
        { "grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo" },
        { "grpc.reflection.v1.ServerReflection", "ServerReflectionInfo" },
        { "qdrant.Raft", "SendMessage" },
        { "qdrant.PointsInternal", "Upsert" },
        { "Qdrant", "HealthCheck" },
    };

    [Theory]
    [MemberData(nameof(UnknownMethods))]
    public async Task Unknown_services_and_methods_need_credentials_before_they_say_so(string service, string method)
    {
        using var channel = fixture.Server.CreateChannel();

        var none = await CallAsync(channel, service, method, []);
        Assert.Equal((StatusCode.Unauthenticated, "Must provide an API key or an Authorization bearer token"), (none.StatusCode, none.Detail));
        var wrong = await CallAsync(channel, service, method, SecureServer.Key("not_a_key"));
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);

        foreach (var key in new[] { SecureServer.ApiKey, SecureServer.ReadOnlyKey })
        {
            var known = await CallAsync(channel, service, method, SecureServer.Key(key));
            Assert.Equal(StatusCode.Unimplemented, known.StatusCode);
        }
    }

    [Fact]
    public async Task The_health_checks_still_answer_without_credentials()
    {
        using var channel = fixture.Server.CreateChannel();

        var qdrant = await CallAsync(channel, "qdrant.Qdrant", "HealthCheck", []);
        var health = await CallAsync(channel, "grpc.health.v1.Health", "Check", []);
        var watch = await CallAsync(channel, "grpc.health.v1.Health", "Watch", [], MethodType.ServerStreaming);

        Assert.Equal(StatusCode.OK, qdrant.StatusCode);
        Assert.Equal(StatusCode.OK, health.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, watch.StatusCode);
    }

    /// <summary>One call with an empty request message; the status it ends with.</summary>
    private static async Task<Status> CallAsync(GrpcChannel channel, string service, string method, Metadata headers, MethodType type = MethodType.Unary)
    {
        var call = new Method<byte[], byte[]>(type, service, method, s_bytes, s_bytes);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var options = new CallOptions(headers, cancellationToken: timeout.Token);
        try
        {
            if (type == MethodType.ServerStreaming)
            {
                using var stream = channel.CreateCallInvoker().AsyncServerStreamingCall(call, null, options, []);
                await stream.ResponseStream.MoveNext(timeout.Token);
            }
            else
            {
                await channel.CreateCallInvoker().AsyncUnaryCall(call, null, options, []);
            }

            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }
}
