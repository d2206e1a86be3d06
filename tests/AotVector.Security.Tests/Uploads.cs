using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace AotVector.Security.Tests;

/// <summary>
/// Large uploads that stop as soon as the server answers: over HTTP/1.1 on a raw socket (so nothing normalises the
/// request, and the body can be sent with or without a Content-Length), and over HTTP/2 with HttpClient (h2c or
/// TLS). A gRPC body is a 5-byte prefix announcing a small message, followed by zeros for as long as the server reads.
/// </summary>
internal static class Uploads
{
    private const int ChunkBytes = 64 * 1024;
    private static readonly byte[] s_zeros = new byte[ChunkBytes];

    /// <summary>The answer: an HTTP status (0 when the server closed without one) and, for gRPC, the grpc-status.</summary>
    public readonly record struct Answer(int Http, string? Grpc, long BytesSent)
    {
        public override string ToString() => Grpc is null ? $"HTTP {Http} after {BytesSent / 1024} KiB" : $"HTTP {Http}, grpc-status {Grpc} after {BytesSent / 1024} KiB";
    }

    public static byte[] GrpcPrefix(uint announcedBytes)
    {
        var prefix = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), announcedBytes);
        return prefix;
    }

    /// <summary>HTTP/1.1: headers (a declared length or chunked), then zeros until the server answers or closes.</summary>
    public static async Task<Answer> Http1Async(int port, string path, string contentType, string? apiKey, long bodyBytes, bool declareLength)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var head = new StringBuilder()
            .Append("PUT ").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: 127.0.0.1:").Append(port).Append("\r\n")
            .Append("Connection: close\r\n")
            .Append("Content-Type: ").Append(contentType).Append("\r\n");
        if (apiKey is not null)
        {
            head.Append("api-key: ").Append(apiKey).Append("\r\n");
        }

        head.Append(declareLength ? $"Content-Length: {bodyBytes}\r\n" : "Transfer-Encoding: chunked\r\n").Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));

        var status = ReadStatusAsync(stream);
        var chunkHeader = Encoding.ASCII.GetBytes($"{ChunkBytes:X}\r\n");
        long sent = 0;
        try
        {
            while (sent < bodyBytes && !status.IsCompleted)
            {
                if (!declareLength)
                {
                    await stream.WriteAsync(chunkHeader);
                }

                await stream.WriteAsync(s_zeros);
                if (!declareLength)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray());
                }

                sent += ChunkBytes;
            }

            if (!declareLength && !status.IsCompleted)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
            }
        }
        catch (IOException)
        {
            // The server closed the connection while we were still sending: its answer, if any, is already read.
        }

        return new Answer(await status.WaitAsync(TimeSpan.FromSeconds(60)), null, sent);
    }

    /// <summary>HTTP/2 (h2c or TLS, from the client's handler): the request body is sent until the server answers.</summary>
    public static async Task<Answer> Http2Async(HttpClient http, string path, string contentType, string? apiKey, long bodyBytes, bool declareLength, byte[]? prefix)
    {
        var content = new ZeroContent(bodyBytes, declareLength, prefix);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("api-key", apiKey);
        }

        try
        {
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            var grpc = Header(response.Headers, "grpc-status") ?? Header(response.TrailingHeaders, "grpc-status");
            return new Answer((int)response.StatusCode, grpc, content.Sent);
        }
        catch (HttpRequestException e) when (e.InnerException is IOException or HttpProtocolException)
        {
            return new Answer(0, null, content.Sent);
        }
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<int> ReadStatusAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer);
                if (n == 0)
                {
                    return 0;
                }

                received.AddRange(buffer.AsSpan(0, n));
                var text = Encoding.ASCII.GetString(received.ToArray());
                var end = text.IndexOf("\r\n", StringComparison.Ordinal);
                if (end > 12)
                {
                    return int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A body of zeros behind an optional prefix, written in chunks until done or the send is cancelled.</summary>
    private sealed class ZeroContent(long bodyBytes, bool declareLength, byte[]? prefix) : HttpContent
    {
        private long _sent;

        public long Sent => Interlocked.Read(ref _sent);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var remaining = bodyBytes;
            if (prefix is not null)
            {
                await stream.WriteAsync(prefix, cancellationToken);
                remaining -= prefix.Length;
                Interlocked.Add(ref _sent, prefix.Length);
            }

            while (remaining > 0)
            {
                var n = (int)Math.Min(ChunkBytes, remaining);
                await stream.WriteAsync(s_zeros.AsMemory(0, n), cancellationToken);
                remaining -= n;
                Interlocked.Add(ref _sent, n);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bodyBytes;
            return declareLength;
        }
    }
}
