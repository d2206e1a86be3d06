using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Security.Tests;

/// <summary>
/// The snapshot attacks the reference has had: an upload body read before authorization (GHSA-3v92-w72v-j994), names
/// and paths escaping the snapshots directory (GHSA-p9c2-9vq2-gxh8), and server-side requests through URL recovery.
/// </summary>
public sealed class SnapshotSecurityTests(PermissionFixture fixture) : IClassFixture<PermissionFixture>
{
    private const string Boundary = "----snapshot-upload-boundary";

    public static TheoryData<string, string, int> RefusedUploads => new()
    {
        { "none", "/collections/c/snapshots/upload", 401 },
        { "read_only_key", "/collections/c/snapshots/upload", 403 },
        { "jwt_coll_r", "/collections/c/snapshots/upload", 403 },
        { "jwt_coll_rw", "/collections/c/snapshots/upload", 403 },
        { "none", "/collections/c/shards/0/snapshots/upload", 401 },
        { "read_only_key", "/collections/c/shards/0/snapshots/upload", 403 },
        { "jwt_coll_r", "/collections/c/shards/0/snapshots/upload", 403 },
    };

    /// <summary>
    /// As the reference's test: a large multipart upload, sent slowly. Here the sender stops after its first part and
    /// waits, so an answer can only come from a server that decided without the body; nothing may reach the disk.
    /// </summary>
    [Theory]
    [MemberData(nameof(RefusedUploads))]
    public async Task Upload_Refused_IsAnsweredBeforeTheBodyIsRead(string caller, string path, int expected)
    {
        const long declared = 3 * 1024 * 1024;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, fixture.Server.Process.HttpPort);
        var stream = tcp.GetStream();
        var head = new StringBuilder()
            .Append("POST ").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: 127.0.0.1\r\n")
            .Append("Content-Type: multipart/form-data; boundary=").Append(Boundary).Append("\r\n")
            .Append("Content-Length: ").Append(declared).Append("\r\n");
        if (Credentials.Value(caller) is { } credential)
        {
            head.Append("api-key: ").Append(credential).Append("\r\n");
        }

        head.Append("\r\n")
            .Append("--").Append(Boundary).Append("\r\n")
            .Append("Content-Disposition: form-data; name=\"snapshot\"; filename=\"s.snapshot\"\r\n")
            .Append("Content-Type: application/octet-stream\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(new byte[64 * 1024]);
        await stream.FlushAsync();

        // The rest of the declared body is never sent: a server waiting for it would not answer at all.
        var status = await ReadStatusAsync(stream).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(expected, status);
        Assert.Empty(UploadedFiles());
    }

    public static TheoryData<string> EscapingNames => new() { "..%2Fx", "%2Fetc%2Fpasswd", "a%2Fb", "..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%2E%2E%2Fc", "..%5Cx" };

    [Theory]
    [MemberData(nameof(EscapingNames))]
    public async Task Names_ThatAreNotPlainFileNames_AreNotFound(string encoded)
    {
        foreach (var prefix in new[] { "/collections/c/snapshots/", "/collections/c/shards/0/snapshots/", "/snapshots/" })
        {
            foreach (var method in new[] { "GET", "DELETE" })
            {
                var (status, body) = await RawHttp.SendWithMethodAsync(fixture.Server.Process.HttpPort, method, prefix + encoded, "api-key: " + SecureServer.ApiKey);
                Assert.True(status == 404, $"{method} {prefix}{encoded}: {status} {body}");
                Assert.StartsWith("{\"status\":{\"error\":", body, StringComparison.Ordinal);
            }
        }

        Assert.True(File.Exists("/etc/passwd"));
    }

    /// <summary>Over gRPC the names arrive as they were sent, dot segments included.</summary>
    [Theory]
    [InlineData("../x")]
    [InlineData("/etc/passwd")]
    [InlineData("a/b")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("../../../../etc/passwd")]
    public async Task Names_OverGrpc_AreNotFound(string name)
    {
        using var channel = fixture.Server.CreateChannel();
        var client = new QdrantGrpcClient(channel);
        var key = SecureServer.Key(SecureServer.ApiKey);

        var collection = await Assert.ThrowsAsync<RpcException>(() => client.Snapshots.DeleteAsync(new DeleteSnapshotRequest { CollectionName = "c", SnapshotName = name }, key).ResponseAsync);
        var full = await Assert.ThrowsAsync<RpcException>(() => client.Snapshots.DeleteFullAsync(new DeleteFullSnapshotRequest { SnapshotName = name }, key).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, collection.StatusCode);
        Assert.Equal(StatusCode.NotFound, full.StatusCode);
        Assert.True(File.Exists("/etc/passwd"));
    }

    [Fact]
    public async Task FileRecovery_OutsideTheSnapshotsDirectory_IsRefused_AndTheCollectionIsIntact()
    {
        using var http = fixture.Server.CreateHttp(SecureServer.ApiKey);
        var snapshots = Path.Combine(fixture.Server.Process.WorkingDirectory, "snapshots", "c");
        Directory.CreateDirectory(snapshots);
        var outside = Path.Combine(fixture.Server.Process.WorkingDirectory, "outside.snapshot");
        await File.WriteAllBytesAsync(outside, new byte[1024]);
        var link = Path.Combine(snapshots, "link.snapshot");
        File.CreateSymbolicLink(link, "/etc/passwd");

        foreach (var location in new[] { "file:///etc/passwd", new Uri(outside).AbsoluteUri, new Uri(link).AbsoluteUri, new Uri(Path.Combine(snapshots, "..", "..", "outside.snapshot")).AbsoluteUri })
        {
            using var response = await http.PutAsync("/collections/c/snapshots/recover?wait=true", SecureServer.Json($$"""{"location":"{{location}}"}"""));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{location}: {(int)response.StatusCode} {body}");
        }

        using var count = await http.PostAsync("/collections/c/points/count", SecureServer.Json("{}"));
        Assert.Equal(1, JsonDocument.Parse(await count.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetProperty("count").GetInt32());
    }

    /// <summary>Files in the engine's temporary directory (<c>storage/tmp</c>, as temp_path is unset), where uploads go.</summary>
    private IEnumerable<string> UploadedFiles()
    {
        var temp = Path.Combine(fixture.Server.Process.StoragePath, "tmp");
        return Directory.Exists(temp) ? Directory.EnumerateFiles(temp, "*", SearchOption.AllDirectories) : [];
    }

    private static async Task<int> ReadStatusAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0)
            {
                return 0;
            }

            received.AddRange(buffer.AsSpan(0, n));
            var text = Encoding.ASCII.GetString(received.ToArray());
            if (text.IndexOf("\r\n", StringComparison.Ordinal) > 12)
            {
                return int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
