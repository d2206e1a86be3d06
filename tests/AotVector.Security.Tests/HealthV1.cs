using Grpc.Core;
using Grpc.Net.Client;

namespace AotVector.Security.Tests;

/// <summary>grpc.health.v1.Health calls without generated stubs: the request and response are tiny protobufs.</summary>
internal static class HealthV1
{
    private static readonly Marshaller<byte[]> s_bytes = Marshallers.Create(b => b, b => b);
    private static readonly Method<byte[], byte[]> s_check = new(MethodType.Unary, "grpc.health.v1.Health", "Check", s_bytes, s_bytes);
    private static readonly Method<byte[], byte[]> s_watch = new(MethodType.ServerStreaming, "grpc.health.v1.Health", "Watch", s_bytes, s_bytes);

    /// <summary>Returns the raw response; an empty request asks about the whole server. SERVING is field 1 = 1.</summary>
    public static async Task<byte[]> CheckAsync(GrpcChannel channel, Metadata headers) =>
        await channel.CreateCallInvoker().AsyncUnaryCall(s_check, null, new CallOptions(headers), []).ResponseAsync;

    /// <summary>Reads the first message of a Watch stream.</summary>
    public static async Task<byte[]> WatchFirstAsync(GrpcChannel channel, Metadata headers)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(s_watch, null, new CallOptions(headers, cancellationToken: cts.Token), []);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        return call.ResponseStream.Current;
    }
}
