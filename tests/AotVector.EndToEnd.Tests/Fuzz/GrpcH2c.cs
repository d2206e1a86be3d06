using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>gRPC calls as raw HTTP/2 requests (h2c, prior knowledge): any bytes as the body, the status as sent back.</summary>
internal sealed class GrpcH2c(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = baseAddress,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>One call. A server-streaming call counts as answered once its first message arrives.</summary>
    public async Task<GrpcOutcome> CallAsync(string path, byte[] body, bool serverStreaming, string? encoding, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        if (encoding is not null)
        {
            request.Headers.Add("grpc-encoding", encoding);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        var http = (int)response.StatusCode;
        if (Status(response.Headers) is { } trailersOnly)
        {
            return new GrpcOutcome(http, trailersOnly.Code, trailersOnly.Message);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        if (serverStreaming)
        {
            var prefix = new byte[5];
            await stream.ReadExactlyAsync(prefix, ct).ConfigureAwait(false);
            await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1))], ct).ConfigureAwait(false);
            return new GrpcOutcome(http, 0, "first stream message");
        }

        await stream.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
        return Status(response.TrailingHeaders) is { } trailers
            ? new GrpcOutcome(http, trailers.Code, trailers.Message)
            : new GrpcOutcome(http, null, "no grpc-status");
    }

    public void Dispose() => _http.Dispose();

    private static (int Code, string Message)? Status(HttpHeaders headers)
    {
        if (!headers.TryGetValues("grpc-status", out var status) || !int.TryParse(status.First(), out var code))
        {
            return null;
        }

        var message = headers.TryGetValues("grpc-message", out var values) ? Uri.UnescapeDataString(values.First()) : "";
        return (code, message);
    }
}

/// <summary>The HTTP status, the gRPC status code (null when none came) and its message.</summary>
internal readonly record struct GrpcOutcome(int Http, int? Code, string Message);
