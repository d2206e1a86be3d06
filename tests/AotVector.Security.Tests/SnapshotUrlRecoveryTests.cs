using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AotVector.Testing;

namespace AotVector.Security.Tests;

/// <summary>
/// Recovery from <c>http(s)</c> locations: turned off by <c>service.enable_snapshot_url_recovery: false</c> with the
/// reference's 403, and, when on, refused for loopback, link-local and unspecified targets unless
/// <c>service.snapshot_url_recovery_allow_local</c> lets them through (a local listener stands in for a peer).
/// </summary>
public sealed class SnapshotUrlRecoveryTests
{
    [Fact]
    public async Task UrlRecovery_Disabled_Is403_WithTheReferenceText()
    {
        await using var server = await SecureServer.StartAsync(env: [("QDRANT__SERVICE__ENABLE_SNAPSHOT_URL_RECOVERY", "false")]);
        using var http = server.CreateHttp();
        await SeedAsync(http);

        foreach (var location in new[] { "http://example.com/s.snapshot", "https://example.com/s.snapshot" })
        {
            using var response = await http.PutAsync("/collections/c/snapshots/recover", SecureServer.Json($$"""{"location":"{{location}}"}"""));
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, body);
            Assert.Contains("Snapshot recovery from remote URLs is disabled in the configuration", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::1]")]
    [InlineData("0.0.0.0")]
    [InlineData("169.254.169.254")]
    [InlineData("[fe80::1]")]
    public async Task LocalTargets_AreRefusedByDefault_WithoutARequestBeingSent(string host)
    {
        await using var server = await SecureServer.StartAsync();
        using var http = server.CreateHttp();
        await SeedAsync(http);
        await using var peer = SnapshotPeer.Start([1, 2, 3]);

        using var response = await http.PutAsync("/collections/c/snapshots/recover", SecureServer.Json($$"""{"location":"http://{{host}}:{{peer.Port}}/s.snapshot"}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, body);
        Assert.Contains("snapshot_url_recovery_allow_local", body, StringComparison.Ordinal);
        Assert.Equal(0, peer.Requests);
        Assert.Equal(1, await CountAsync(http));
    }

    [Fact]
    public async Task LocalTargets_AreFetched_WhenAllowed_WithTheApiKeyHeader()
    {
        byte[] snapshot;
        await using (var source = await SecureServer.StartAsync())
        {
            using var sourceHttp = source.CreateHttp();
            await SeedAsync(sourceHttp);
            using var more = await sourceHttp.PutAsync("/collections/c/points?wait=true", SecureServer.Json("""{"points":[{"id":2,"vector":[0,1]},{"id":3,"vector":[1,1]}]}"""));
            more.EnsureSuccessStatusCode();
            using var created = await sourceHttp.PostAsync("/collections/c/snapshots", null);
            var name = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetProperty("name").GetString();
            snapshot = await sourceHttp.GetByteArrayAsync("/collections/c/snapshots/" + name);
        }

        await using var server = await SecureServer.StartAsync(env: [("QDRANT__SERVICE__SNAPSHOT_URL_RECOVERY_ALLOW_LOCAL", "true")]);
        using var http = server.CreateHttp();
        await SeedAsync(http);
        await using var peer = SnapshotPeer.Start(snapshot);

        using var response = await http.PutAsync("/collections/c/snapshots/recover", SecureServer.Json($$"""{"location":"http://127.0.0.1:{{peer.Port}}/s.snapshot","api_key":"peer-secret"}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, body + "\n" + server.Process.Logs());
        Assert.Equal(3, await CountAsync(http));
        Assert.Equal(1, peer.Requests);
        Assert.Equal("peer-secret", peer.LastApiKey);
    }

    private static async Task SeedAsync(HttpClient http)
    {
        using var created = await http.PutAsync("/collections/c", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""));
        created.EnsureSuccessStatusCode();
        using var upserted = await http.PutAsync("/collections/c/points?wait=true", SecureServer.Json("""{"points":[{"id":1,"vector":[1,0]}]}"""));
        upserted.EnsureSuccessStatusCode();
    }

    private static async Task<int> CountAsync(HttpClient http)
    {
        using var count = await http.PostAsync("/collections/c/points/count", SecureServer.Json("{}"));
        return JsonDocument.Parse(await count.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetProperty("count").GetInt32();
    }

    /// <summary>A one-file HTTP/1.1 server on 127.0.0.1 and ::1 that counts requests and keeps the last api-key header.</summary>
    private sealed class SnapshotPeer : IAsyncDisposable
    {
        private readonly TcpListener _v4;
        private readonly TcpListener? _v6;
        private readonly byte[] _content;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _loops = [];
        private int _requests;

        private SnapshotPeer(byte[] content)
        {
            _content = content;
            _v4 = new TcpListener(IPAddress.Loopback, 0);
            _v4.Start();
            Port = ((IPEndPoint)_v4.LocalEndpoint).Port;
            try
            {
                _v6 = new TcpListener(IPAddress.IPv6Loopback, Port);
                _v6.Start();
            }
            catch (SocketException)
            {
                _v6 = null;
            }
        }

        public int Port { get; }

        public int Requests => Volatile.Read(ref _requests);

        public string? LastApiKey { get; private set; }

        public static SnapshotPeer Start(byte[] content)
        {
            var peer = new SnapshotPeer(content);
            peer._loops.Add(peer.AcceptAsync(peer._v4));
            if (peer._v6 is not null)
            {
                peer._loops.Add(peer.AcceptAsync(peer._v6));
            }

            return peer;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _v4.Stop();
            _v6?.Stop();
            try
            {
                await Task.WhenAll(_loops);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync(TcpListener listener)
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(_stop.Token);
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer, _stop.Token) == 1)
                {
                    head.Append((char)buffer[0]);
                }

                Interlocked.Increment(ref _requests);
                foreach (var line in head.ToString().Split("\r\n"))
                {
                    if (line.StartsWith("api-key:", StringComparison.OrdinalIgnoreCase))
                    {
                        LastApiKey = line["api-key:".Length..].Trim();
                    }
                }

                var answer = $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {_content.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                await stream.WriteAsync(_content, _stop.Token);
            }
        }
    }
}
