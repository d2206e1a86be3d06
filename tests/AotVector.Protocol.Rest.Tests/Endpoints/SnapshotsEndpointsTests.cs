using System.Text;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Endpoints;

public sealed class SnapshotsEndpointsTests : IDisposable
{
    private const string Boundary = "----aotvector-test-boundary";
    private readonly RestHarness _harness = new();
    private readonly string _uploads = Directory.CreateTempSubdirectory("snapshot-uploads-").FullName;

    public SnapshotsEndpointsTests()
    {
        _harness.Snapshots.UploadDirectory = _uploads;
    }

    public void Dispose() => Directory.Delete(_uploads, recursive: true);

    [Fact]
    public async Task List_DescriptionShape_NaiveUtcTimes_ChecksumOmittedWhenUnknown()
    {
        var response = await _harness.SendAsync(SnapshotsEndpoints.ListAsync, collection: "c");

        Assert.Equal(200, response.Status);
        Assert.Equal(
            "[{\"name\":\"c-1-2026-12-07-10-00-00.snapshot\",\"creation_time\":\"2026-12-07T10:00:00\",\"size\":1234,\"checksum\":\"" + new string('a', 64) + "\"},"
            + """{"name":"c-1-2026-12-06-09-30-15.snapshot","creation_time":"2026-12-06T09:30:15.5","size":99}]""",
            response.Result);
        Assert.Equal(new SnapshotScope.Collection("c"), _harness.Snapshots.LastScope);
    }

    [Theory]
    [InlineData("", null, "full")]
    [InlineData("c", null, "collection")]
    [InlineData("c", "3", "shard")]
    public async Task Routes_AddressTheirScope(string collection, string? shard, string kind)
    {
        var route = shard is null ? null : new Dictionary<string, string> { ["shard_id"] = shard };
        await _harness.SendAsync(SnapshotsEndpoints.ListAsync, collection: collection, route: route);

        SnapshotScope expected = kind switch
        {
            "full" => new SnapshotScope.Full(),
            "collection" => new SnapshotScope.Collection("c"),
            _ => new SnapshotScope.Shard("c", 3),
        };
        Assert.Equal(expected, _harness.Snapshots.LastScope);
    }

    [Fact]
    public async Task Shard_NotANumber_400_NothingCalled()
    {
        var response = await _harness.SendAsync(SnapshotsEndpoints.ListAsync, route: new() { ["shard_id"] = "x" });

        Assert.Equal(400, response.Status);
        Assert.Empty(_harness.Snapshots.Calls);
    }

    [Fact]
    public async Task Create_Waits_ByDefault_AndAnswersTheDescription()
    {
        var response = await _harness.SendAsync(SnapshotsEndpoints.CreateAsync);

        Assert.Equal(200, response.Status);
        Assert.Contains("\"name\":\"c-1-2026-12-07-10-00-00.snapshot\"", response.Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WaitFalse_Answers202Accepted_WhileTheWorkGoesOn()
    {
        _harness.Snapshots.Pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var response = await _harness.SendAsync(SnapshotsEndpoints.CreateAsync, query: "?wait=false");

        Assert.Equal(202, response.Status);
        Assert.Equal("accepted", response.Json.GetProperty("status").GetString());
        Assert.False(response.Json.TryGetProperty("result", out _));
        _harness.Snapshots.Pending.SetResult();
    }

    [Fact]
    public async Task Create_WaitFalse_AnImmediateRefusal_IsStillAnswered()
    {
        _harness.Snapshots.Error = AvError.Forbidden("Global manage access is required");

        var response = await _harness.SendAsync(SnapshotsEndpoints.CreateAsync, query: "?wait=false");

        Assert.Equal(403, response.Status);
    }

    [Fact]
    public async Task Create_BadWait_400_BeforeAnyWork()
    {
        var response = await _harness.SendAsync(SnapshotsEndpoints.CreateAsync, query: "?wait=maybe");

        Assert.Equal(400, response.Status);
        Assert.Empty(_harness.Snapshots.Calls);
    }

    [Fact]
    public async Task Download_StreamsTheFile_WithLengthTypeAndAttachmentName()
    {
        var response = await _harness.SendAsync(SnapshotsEndpoints.DownloadAsync, route: new() { ["snapshot_name"] = "s.snapshot" });

        Assert.Equal(200, response.Status);
        Assert.Equal("application/octet-stream", response.ContentType);
        Assert.Equal("snapshot-bytes", response.Body);
        Assert.Equal(14, response.Headers.ContentLength);
        Assert.Equal("attachment; filename=\"s.snapshot\"", response.Headers.ContentDisposition.ToString());
        Assert.Equal("s.snapshot", _harness.Snapshots.LastName);
    }

    [Fact]
    public async Task Download_Missing_IsTheEnvelope404()
    {
        _harness.Snapshots.Error = AvError.NotFound("Snapshot ../x");

        var response = await _harness.SendAsync(SnapshotsEndpoints.DownloadAsync, route: new() { ["snapshot_name"] = "../x" });

        Assert.Equal(404, response.Status);
        Assert.Equal("Not found: Snapshot ../x", response.Error);
    }

    [Fact]
    public async Task Delete_AnswersTrue()
    {
        var response = await _harness.SendAsync(SnapshotsEndpoints.DeleteAsync, route: new() { ["snapshot_name"] = "s.snapshot" });

        Assert.Equal("true", response.Result);
        Assert.Equal("delete", Assert.Single(_harness.Snapshots.Calls));
    }

    [Fact]
    public async Task Recover_FileAndHttpLocations_MapToSources()
    {
        var file = await _harness.SendAsync(SnapshotsEndpoints.RecoverAsync, """{"location":"file:///snapshots/c/s.snapshot","priority":"replica"}""");
        Assert.Equal("true", file.Result);
        Assert.Equal(new SnapshotSource.LocalFile("/snapshots/c/s.snapshot"), _harness.Snapshots.LastRecover!.Source);
        Assert.Equal(SnapshotPriority.Replica, _harness.Snapshots.LastRecover.Priority);

        var checksum = new string('0', 64);
        var url = await _harness.SendAsync(SnapshotsEndpoints.RecoverAsync, $$"""{"location":"https://peer:6333/collections/c/snapshots/s.snapshot","api_key":"k","checksum":"{{checksum}}"}""");
        Assert.Equal("true", url.Result);
        var source = Assert.IsType<SnapshotSource.Url>(_harness.Snapshots.LastRecover!.Source);
        Assert.Equal("https://peer:6333/collections/c/snapshots/s.snapshot", source.Location.ToString());
        Assert.Equal("k", source.ApiKey);
        Assert.Equal(checksum, _harness.Snapshots.LastRecover.Checksum);
    }

    [Theory]
    [InlineData("""{"location":"s3://bucket/s.snapshot"}""", 400, "scheme `s3` is not supported")]
    [InlineData("""{"location":"/etc/passwd"}""", 400, "relative URL without a base")]
    [InlineData("""{"priority":"snapshot"}""", 400, "missing field `location`")]
    [InlineData("""{"location":"file:///s","priority":"first"}""", 400, "unknown variant `first`")]
    [InlineData("""{"location":"file:///s","checksum":"abc"}""", 422, "checksum")]
    [InlineData("""{"location":"file://otherhost/s"}""", 400, "must name a local file")]
    public async Task Recover_BadBodies_AreRefused_BeforeTheEngine(string body, int status, string message)
    {
        var response = await _harness.SendAsync(SnapshotsEndpoints.RecoverAsync, body);

        Assert.Equal(status, response.Status);
        Assert.Contains(message, response.Error, StringComparison.Ordinal);
        Assert.Empty(_harness.Snapshots.Calls);
    }

    [Fact]
    public async Task Recover_ShardByName_CopiesTheShardSnapshot_AndRecoversTheCopy()
    {
        var route = new Dictionary<string, string> { ["shard_id"] = "0" };

        var response = await _harness.SendAsync(SnapshotsEndpoints.RecoverAsync, """{"location":"c-shard-0.snapshot"}""", route: route);

        Assert.Equal("true", response.Result);
        Assert.Equal(["reserve", "open", "recover"], _harness.Snapshots.Calls);
        Assert.Equal("c-shard-0.snapshot", _harness.Snapshots.LastName);
        Assert.IsType<SnapshotSource.Uploaded>(_harness.Snapshots.LastRecover!.Source);
        Assert.Equal("snapshot-bytes"u8.ToArray(), _harness.Snapshots.UploadedBytes);
    }

    [Fact]
    public async Task Upload_StreamsTheFilePart_IntoTheReservation_AndRecoversIt()
    {
        var payload = new byte[300_000];
        new Random(7).NextBytes(payload);
        using var body = Multipart(("note", null, "ignored"u8.ToArray()), ("snapshot", "s.snapshot", payload));

        var checksum = new string('f', 64);
        var response = await _harness.SendAsync(SnapshotsEndpoints.UploadAsync, bodyStream: body, contentType: "multipart/form-data; boundary=" + Boundary, query: $"?priority=no_sync&checksum={checksum}");

        Assert.True(response.Status == 200, response.Body);
        Assert.Equal("true", response.Result);
        Assert.Equal(["reserve", "recover"], _harness.Snapshots.Calls);
        Assert.Equal(payload, _harness.Snapshots.UploadedBytes);
        Assert.Equal(SnapshotPriority.NoSync, _harness.Snapshots.LastRecover!.Priority);
        Assert.Equal(checksum, _harness.Snapshots.LastRecover.Checksum);
        Assert.Empty(Directory.GetFiles(_uploads));
    }

    [Fact]
    public async Task Upload_Refused_AnswersWithoutReadingTheBody()
    {
        _harness.Snapshots.ReserveError = AvError.Forbidden("Global manage access is required");
        using var body = new UnreadableStream();

        var response = await _harness.SendAsync(SnapshotsEndpoints.UploadAsync, bodyStream: body, contentType: "multipart/form-data; boundary=" + Boundary);

        Assert.Equal(403, response.Status);
        Assert.False(body.WasRead);
    }

    [Theory]
    [InlineData("application/json", "expected a multipart/form-data body")]
    [InlineData("multipart/form-data", "no valid boundary")]
    public async Task Upload_NotMultipart_400_NothingLeftBehind(string contentType, string message)
    {
        var response = await _harness.SendAsync(SnapshotsEndpoints.UploadAsync, body: "{}", contentType: contentType);

        Assert.Equal(400, response.Status);
        Assert.Contains(message, response.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("recover", _harness.Snapshots.Calls);
        Assert.Empty(Directory.GetFiles(_uploads));
    }

    [Fact]
    public async Task Upload_WithoutTheSnapshotField_400_NothingLeftBehind()
    {
        using var body = Multipart(("file", "s.snapshot", "x"u8.ToArray()));

        var response = await _harness.SendAsync(SnapshotsEndpoints.UploadAsync, bodyStream: body, contentType: "multipart/form-data; boundary=" + Boundary);

        Assert.Equal(400, response.Status);
        Assert.Contains("no `snapshot` file field", response.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_uploads));
    }

    [Fact]
    public async Task Upload_BadQuery_400_BeforeTheReservation()
    {
        var response = await _harness.SendAsync(SnapshotsEndpoints.UploadAsync, query: "?checksum=xyz", contentType: "multipart/form-data; boundary=" + Boundary);

        Assert.Equal(400, response.Status);
        Assert.Empty(_harness.Snapshots.Calls);
    }

    private static MemoryStream Multipart(params (string Name, string? FileName, byte[] Content)[] parts)
    {
        var stream = new MemoryStream();
        foreach (var (name, fileName, content) in parts)
        {
            var head = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"" + (fileName is null ? "" : $"; filename=\"{fileName}\"") + "\r\nContent-Type: application/octet-stream\r\n\r\n";
            stream.Write(Encoding.ASCII.GetBytes(head));
            stream.Write(content);
            stream.Write("\r\n"u8);
        }

        stream.Write(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
        stream.Position = 0;
        return stream;
    }

    /// <summary>A body that records whether anything tried to read it.</summary>
    private sealed class UnreadableStream : Stream
    {
        public bool WasRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            WasRead = true;
            return 0;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WasRead = true;
            return ValueTask.FromResult(0);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
