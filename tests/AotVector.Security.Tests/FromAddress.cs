using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace AotVector.Security.Tests;

/// <summary>
/// Clients whose connections leave from a chosen loopback address (127.0.0.x), so one test can be several
/// client addresses to the server (clear text only; the server listens on 127.0.0.1).
/// </summary>
internal static class FromAddress
{
    public static HttpClient Http(SecureServer server, string local, string? apiKey = null)
    {
        var http = new HttpClient(Handler(local)) { BaseAddress = new Uri($"http://127.0.0.1:{server.Process.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("api-key", apiKey);
        }

        return http;
    }

    public static GrpcChannel Grpc(SecureServer server, string local) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{server.Process.GrpcPort}", new GrpcChannelOptions { HttpHandler = Handler(local), DisposeHttpClient = true });

    private static SocketsHttpHandler Handler(string local) => new()
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(local), 0));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
