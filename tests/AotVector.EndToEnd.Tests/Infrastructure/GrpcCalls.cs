using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace AotVector.EndToEnd.Tests.Infrastructure;

/// <summary>Unary gRPC over h2c.</summary>
internal sealed class GrpcCalls(int port) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

    public async Task<T> CallAsync<T>(string path, IMessage request, MessageParser<T> parser)
        where T : IMessage<T>
    {
        var (status, text, body) = await SendAsync(path, request);
        Assert.True(status == "0", $"{path}: grpc-status {status} {text}");
        return parser.ParseFrom(body.AsSpan(5, (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1))));
    }

    public async Task<(string Status, string Message)> TryCallAsync(string path, IMessage request)
    {
        var (status, text, _) = await SendAsync(path, request);
        return (status, text);
    }

    public void Dispose() => _http.Dispose();

    private async Task<(string Status, string Text, byte[] Body)> SendAsync(string path, IMessage request)
    {
        var message = request.ToByteArray();
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        using var call = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framed),
        };
        call.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        call.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await _http.SendAsync(call);
        var body = await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var s) ? s.First()
            : response.Headers.TryGetValues("grpc-status", out var h) ? h.First() : "missing";
        var text = response.TrailingHeaders.TryGetValues("grpc-message", out var m) ? Uri.UnescapeDataString(m.First())
            : response.Headers.TryGetValues("grpc-message", out var hm) ? Uri.UnescapeDataString(hm.First()) : "";
        return (status, text, body);
    }
}
