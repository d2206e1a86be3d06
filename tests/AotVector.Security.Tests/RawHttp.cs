using System.Net.Sockets;
using System.Text;

namespace AotVector.Security.Tests;

/// <summary>HTTP/1.1 sent byte for byte (HttpClient would normalise paths and merge repeated headers).</summary>
internal static class RawHttp
{
    public static Task<(int Status, string Body)> SendAsync(int port, string requestTarget, params string[] headers) =>
        SendWithMethodAsync(port, "GET", requestTarget, headers);

    public static async Task<(int Status, string Body)> SendWithMethodAsync(int port, string method, string requestTarget, params string[] headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        var request = new StringBuilder()
            .Append(method).Append(' ').Append(requestTarget).Append(" HTTP/1.1\r\n")
            .Append("Host: 127.0.0.1:").Append(port).Append("\r\n")
            .Append("Connection: close\r\n");
        foreach (var header in headers)
        {
            request.Append(header).Append("\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var statusLine = response.AsSpan(0, response.IndexOf('\r'));
        var status = int.Parse(statusLine.Slice(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, bodyStart < 0 ? "" : response[(bodyStart + 4)..]);
    }
}
