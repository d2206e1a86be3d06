using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AotVector.Server.Hosting;

/// <summary>
/// The REST port, bound as soon as the settings are read, with the probes answered on it while the host is built:
/// building the route table, the gRPC services and Kestrel takes most of the startup time, and the liveness probe
/// should not wait for it. Kestrel is then given the same sockets (ListenHandle), so no connection is refused in
/// between; the two accept side by side until Kestrel has started, then this loop stops.
/// <para>Until then <c>/livez</c> and <c>/healthz</c> answer 200, <c>/readyz</c> and everything else 503 "the server is
/// starting" (with the JSON envelope), one request per connection. Plain HTTP/1.1 only: with TLS the port is left to
/// Kestrel from the start.</para>
/// </summary>
internal sealed class EarlyProbes
{
    // Kestrel owns the sockets once it has them (it closes them at shutdown), so they are never disposed here; held
    // for the life of the process so that no finalizer closes a descriptor Kestrel is using.
    private static readonly List<Socket> s_handedOver = [];

    private readonly List<Socket> _sockets;
    private readonly Thread _thread;
    private volatile bool _stopped;

    private EarlyProbes(List<Socket> sockets)
    {
        _sockets = sockets;
        _thread = new Thread(Serve) { IsBackground = true, Name = "aotvector early probes" };
        _thread.Start();
    }

    /// <summary>
    /// Binds <paramref name="port"/> on <paramref name="addresses"/> (null: both loopback families, as Kestrel's
    /// localhost) and starts answering; null with <paramref name="error"/> set when the port cannot be bound.
    /// </summary>
    public static EarlyProbes? TryStart(IPAddress[]? addresses, int port, out string error)
    {
        error = string.Empty;
        var sockets = new List<Socket>();
        var localhost = addresses is null;
        foreach (var address in addresses ?? [IPAddress.Loopback, IPAddress.IPv6Loopback])
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (address.Equals(IPAddress.IPv6Any))
                {
                    socket.DualMode = true;
                }

                socket.Bind(new IPEndPoint(address, port));
                socket.Listen(512);
                socket.Blocking = false;
                sockets.Add(socket);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                // Kestrel's localhost also goes on with one loopback family when the other is missing.
                if (localhost && e.SocketErrorCode != SocketError.AddressAlreadyInUse)
                {
                    continue;
                }

                foreach (var bound in sockets)
                {
                    bound.Dispose();
                }

                var shown = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
                error = $"Failed to bind to address http://{shown}:{port}: {(e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "address already in use" : e.Message)}.";
                return null;
            }
        }

        if (sockets.Count == 0)
        {
            error = $"Failed to bind to address http://localhost:{port}: no loopback address could be bound.";
            return null;
        }

        return new EarlyProbes(sockets);
    }

    /// <summary>Gives Kestrel the bound sockets instead of letting it bind the port again.</summary>
    public void ListenIn(KestrelServerOptions kestrel, Action<ListenOptions> configure)
    {
        lock (s_handedOver)
        {
            foreach (var socket in _sockets)
            {
                s_handedOver.Add(socket);
                kestrel.ListenHandle((ulong)socket.Handle, configure);
            }
        }
    }

    /// <summary>Stops answering (Kestrel serves the port now). Waits for a request being answered.</summary>
    public void Stop()
    {
        _stopped = true;
        _thread.Join();
    }

    // Polls rather than blocks: a blocking accept could take a connection after Kestrel has started, and no epoll
    // registration is made that would clash with Kestrel's own for the same descriptor.
    private void Serve()
    {
        var readable = new List<Socket>(_sockets.Count);
        while (!_stopped)
        {
            readable.Clear();
            readable.AddRange(_sockets);
            try
            {
                Socket.Select(readable, null, null, 20_000);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            foreach (var listener in readable)
            {
                if (_stopped)
                {
                    return;
                }

                Socket connection;
                try
                {
                    connection = listener.Accept();
                }
                catch (SocketException)
                {
                    continue; // Kestrel took it first, or the client gave up.
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                using (connection)
                {
                    Answer(connection);
                }
            }
        }
    }

    private static void Answer(Socket connection)
    {
        try
        {
            connection.Blocking = true;
            connection.ReceiveTimeout = 500;
            connection.SendTimeout = 500;
            connection.NoDelay = true;
            var buffer = new byte[4096];
            var length = 0;
            while (length < buffer.Length)
            {
                var read = connection.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                length += read;
                if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
                {
                    break;
                }
            }

            var head = buffer.AsSpan(0, length);
            var lineEnd = head.IndexOf("\r\n"u8);
            var requestLine = Encoding.ASCII.GetString(lineEnd < 0 ? head : head[..lineEnd]);
            var parts = requestLine.Split(' ');
            var path = parts.Length >= 2 ? parts[1].Split('?')[0].TrimEnd('/') : "";
            var (status, type, body) = path switch
            {
                "/livez" or "/healthz" => ("200 OK", "text/plain; charset=utf-8", "healthz check passed"),
                "/readyz" => ("503 Service Unavailable", "text/plain; charset=utf-8", "the server is starting"),
                _ => ("503 Service Unavailable", "application/json", "{\"status\":{\"error\":\"Service unavailable: the server is starting\"},\"time\":0}"),
            };
            var response = $"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n";
            connection.Send(Encoding.ASCII.GetBytes(response + body));
            connection.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // A client that went away or sent nothing in time: nothing to answer.
        }
    }
}
