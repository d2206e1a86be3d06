using System.Net.Sockets;
using System.Text;

namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>HTTP/1.1 written byte for byte (HttpClient would normalise paths and refuse odd headers); one request per connection.</summary>
internal static class RawHttp1
{
    /// <summary>
    /// The response status, or 0 when the server closed the connection without one. The head should ask for
    /// <c>Connection: close</c>, so the server ends the connection after answering. <paramref name="endInput"/> closes
    /// the sending side after the request, for bodies cut short (Kestrel takes the end of input as an aborted request).
    /// </summary>
    public static async Task<(int Status, string Response)> SendAsync(int port, string head, byte[] body, bool endInput, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, ct).ConfigureAwait(false);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(head), ct).ConfigureAwait(false);
            await stream.WriteAsync(body, ct).ConfigureAwait(false);
            if (endInput)
            {
                tcp.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The server answered (431, 400) and closed before the whole request was written.
        }

        using var buffer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A reset after (or instead of) the answer.
        }

        var text = Encoding.Latin1.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var status = text.StartsWith("HTTP/1.", StringComparison.Ordinal) && text.Length >= 12 && int.TryParse(text.AsSpan(9, 3), out var code) ? code : 0;
        return (status, text.Length > 300 ? text[..300] : text);
    }
}
