using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// Snapshots over REST against the published binary: collection, full and shard snapshots created, listed, downloaded,
/// deleted, recovered (file location and upload), and restored into a fresh server by the startup flags.
/// </summary>
public sealed class SnapshotTests
{
    private const string Points = """
        [{"id": 1, "vector": [1, 0, 0, 0], "payload": {"n": 1}},
         {"id": 2, "vector": [0, 1, 0, 0], "payload": {"n": 2}},
         {"id": 3, "vector": [0, 0, 1, 0], "payload": {"n": 3}},
         {"id": 4, "vector": [0, 0, 0, 1], "payload": {"n": 4}}]
        """;

    [Fact]
    public async Task Collection_CreateListDownloadRecoverDelete()
    {
        await using var server = await ServerProcess.StartAsync();
        await SeedAsync(server, "snap");

        var created = (await server.PostAsync("/collections/snap/snapshots", "")).Ok();
        var name = created.GetProperty("name").GetString()!;
        Assert.StartsWith("snap-", name, StringComparison.Ordinal);
        Assert.EndsWith(".snapshot", name, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$", created.GetProperty("creation_time").GetString()!);

        var listed = (await server.GetAsync("/collections/snap/snapshots")).Ok();
        Assert.Contains(listed.EnumerateArray(), d => d.GetProperty("name").GetString() == name);

        var (bytes, headers) = await DownloadAsync(server, $"/collections/snap/snapshots/{name}");
        Assert.Equal(created.GetProperty("size").GetInt64(), bytes.Length);
        Assert.Equal("application/octet-stream", headers.ContentType?.MediaType);
        Assert.Equal(bytes.Length, headers.ContentLength);
        Assert.Equal(created.GetProperty("checksum").GetString(), Sha256(bytes));

        // A point written after the snapshot is gone once the snapshot is recovered: it is a point-in-time image.
        await server.UpsertAsync("snap", """[{"id": 5, "vector": [1, 1, 0, 0]}]""");
        Assert.Equal(5, await server.CountAsync("snap"));
        var location = new Uri(Path.Combine(server.WorkingDirectory, "snapshots", "snap", name)).AbsoluteUri;
        var recovered = (await server.PutAsync("/collections/snap/snapshots/recover", $$"""{"location": "{{location}}", "checksum": "{{Sha256(bytes)}}"}""")).Ok();
        Assert.True(recovered.GetBoolean());
        Assert.Equal(4, await server.CountAsync("snap"));

        Assert.True((await server.DeleteAsync($"/collections/snap/snapshots/{name}")).Ok().GetBoolean());
        Assert.DoesNotContain((await server.GetAsync("/collections/snap/snapshots")).Ok().EnumerateArray(), d => d.GetProperty("name").GetString() == name);
        (await server.GetAsync($"/collections/snap/snapshots/{name}")).Error(404);
        (await server.DeleteAsync($"/collections/snap/snapshots/{name}")).Error(404);
    }

    [Fact]
    public async Task Collection_WaitFalse_Answers202_AndTheSnapshotAppears()
    {
        await using var server = await ServerProcess.StartAsync();
        await SeedAsync(server, "later");

        var accepted = await server.PostAsync("/collections/later/snapshots?wait=false", "");

        accepted.Expect(202);
        Assert.Equal("accepted", accepted.Json.GetProperty("status").GetString());
        Assert.False(accepted.Json.TryGetProperty("result", out _));
        var listed = await PollAsync(async () => (await server.GetAsync("/collections/later/snapshots")).Ok(), l => l.GetArrayLength() == 1);
        Assert.Equal(1, listed.GetArrayLength());
    }

    [Fact]
    public async Task Upload_RestoresIntoANewCollection_AndChecksTheChecksum()
    {
        await using var server = await ServerProcess.StartAsync();
        await SeedAsync(server, "source");
        var name = (await server.PostAsync("/collections/source/snapshots", "")).Ok().GetProperty("name").GetString()!;
        var (bytes, _) = await DownloadAsync(server, $"/collections/source/snapshots/{name}");

        var wrong = await UploadAsync(server, "/collections/copy/snapshots/upload?checksum=" + new string('0', 64), bytes);
        Assert.InRange(wrong.Status, 400, 499);

        var uploaded = await UploadAsync(server, $"/collections/copy/snapshots/upload?priority=snapshot&checksum={Sha256(bytes)}", bytes);
        Assert.True(uploaded.Ok().GetBoolean());
        Assert.Equal(4, await server.CountAsync("copy"));
        Assert.Equal(4, await server.CountAsync("source"));
        Calls.AssertJson("""{"n": 3}""", (await server.GetPointAsync("copy", "3")).GetProperty("payload"));

        // Nothing of the upload is left in the temporary directories.
        var leftovers = Directory.EnumerateFiles(server.StoragePath, "*", SearchOption.AllDirectories).Where(f => f.Contains("upload", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Empty(leftovers);
    }

    [Fact]
    public async Task Full_CreateListDownloadDelete_AndRestoreIntoAFreshServerByFlag()
    {
        string file;
        await using (var server = await ServerProcess.StartAsync())
        {
            await SeedAsync(server, "one");
            await SeedAsync(server, "two");
            (await server.PostAsync("/collections/aliases", """{"actions": [{"create_alias": {"collection_name": "one", "alias_name": "first"}}]}""")).Ok();

            var created = (await server.PostAsync("/snapshots", "")).Ok();
            var name = created.GetProperty("name").GetString()!;
            Assert.Contains((await server.GetAsync("/snapshots")).Ok().EnumerateArray(), d => d.GetProperty("name").GetString() == name);
            var (bytes, _) = await DownloadAsync(server, "/snapshots/" + name);
            Assert.Equal(created.GetProperty("checksum").GetString(), Sha256(bytes));
            file = Path.Combine(Path.GetTempPath(), "aotvector-full-" + Guid.NewGuid().ToString("N") + ".snapshot");
            await File.WriteAllBytesAsync(file, bytes);
            Assert.True((await server.DeleteAsync("/snapshots/" + name)).Ok().GetBoolean());
            Assert.Equal(0, (await server.GetAsync("/snapshots")).Ok().GetArrayLength());
        }

        try
        {
            await using var fresh = await ServerProcess.StartAsync(new ServerOptions().WithArgs("--storage-snapshot", file));
            Assert.Equal(4, await fresh.CountAsync("one"));
            Assert.Equal(4, await fresh.CountAsync("two"));
            Assert.Equal(4, await fresh.CountAsync("first"));
            Assert.True(File.Exists(file), "the operator's snapshot file is left where it was");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Shard_CreateListDownloadStreamRecoverUploadDelete()
    {
        await using var server = await ServerProcess.StartAsync();
        await SeedAsync(server, "sharded");

        var created = (await server.PostAsync("/collections/sharded/shards/0/snapshots", "")).Ok();
        var name = created.GetProperty("name").GetString()!;
        Assert.Contains((await server.GetAsync("/collections/sharded/shards/0/snapshots")).Ok().EnumerateArray(), d => d.GetProperty("name").GetString() == name);
        var (bytes, _) = await DownloadAsync(server, $"/collections/sharded/shards/0/snapshots/{name}");
        Assert.Equal(created.GetProperty("size").GetInt64(), bytes.Length);

        // A streamed shard snapshot is made for the download and not kept.
        var (streamed, streamedHeaders) = await DownloadAsync(server, "/collections/sharded/shards/0/snapshot");
        Assert.NotEmpty(streamed);
        Assert.Equal("application/octet-stream", streamedHeaders.ContentType?.MediaType);
        Assert.Equal(1, (await server.GetAsync("/collections/sharded/shards/0/snapshots")).Ok().GetArrayLength());

        await server.UpsertAsync("sharded", """[{"id": 9, "vector": [1, 1, 1, 1]}]""");
        Assert.True((await server.PutAsync("/collections/sharded/shards/0/snapshots/recover", $$"""{"location": "{{name}}"}""")).Ok().GetBoolean());
        Assert.Equal(4, await server.CountAsync("sharded"));

        await server.UpsertAsync("sharded", """[{"id": 9, "vector": [1, 1, 1, 1]}]""");
        Assert.True((await UploadAsync(server, "/collections/sharded/shards/0/snapshots/upload", bytes)).Ok().GetBoolean());
        Assert.Equal(4, await server.CountAsync("sharded"));

        Assert.True((await server.DeleteAsync($"/collections/sharded/shards/0/snapshots/{name}")).Ok().GetBoolean());
        Assert.Equal(0, (await server.GetAsync("/collections/sharded/shards/0/snapshots")).Ok().GetArrayLength());
        (await server.GetAsync("/collections/sharded/shards/7/snapshots")).Expect(404);
        (await server.PostAsync("/collections/sharded/shards/0/snapshot/partial/create", "{}")).Error(405);
    }

    [Fact]
    public async Task SnapshotFlag_RestoresIntoAFreshServer_AndRefusesAnExistingCollectionWithoutForce()
    {
        string file;
        await using (var server = await ServerProcess.StartAsync())
        {
            await SeedAsync(server, "original");
            var name = (await server.PostAsync("/collections/original/snapshots", "")).Ok().GetProperty("name").GetString()!;
            var (bytes, _) = await DownloadAsync(server, $"/collections/original/snapshots/{name}");
            file = Path.Combine(Path.GetTempPath(), "aotvector-" + Guid.NewGuid().ToString("N") + ".snapshot");
            await File.WriteAllBytesAsync(file, bytes);
        }

        try
        {
            await using var fresh = await ServerProcess.StartAsync(new ServerOptions().WithArgs("--snapshot", file + ":restored"));
            Assert.Equal(4, await fresh.CountAsync("restored"));
            Calls.AssertJson("""{"n": 2}""", (await fresh.GetPointAsync("restored", "2")).GetProperty("payload"));
            await fresh.UpsertAsync("restored", """[{"id": 8, "vector": [1, 1, 1, 1]}]""");
            await fresh.StopAsync();

            // The collection now exists: the same flag stops the startup (as the reference), --force-snapshot replaces it.
            var again = ServerProcess.Create(new ServerOptions().WithArgs("--snapshot", file + ":restored"));
            await using (again)
            {
                CopyStorage(fresh, again);
                again.Start();
                var exit = await again.WaitForExitAsync(TimeSpan.FromSeconds(60));
                Assert.True(exit == 1, $"exit {exit}\n{again.Logs()}");
                Assert.Contains("collection restored already exists; use --force-snapshot", again.StandardError, StringComparison.Ordinal);
            }

            var forced = ServerProcess.Create(new ServerOptions().WithArgs("--snapshot", file + ":restored", "--force-snapshot"));
            await using (forced)
            {
                CopyStorage(fresh, forced);
                forced.Start();
                await forced.WaitReadyAsync();
                Assert.Equal(4, await forced.CountAsync("restored"));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task SnapshotFlag_MissingFile_IsOneStartupErrorLine()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N") + ".snapshot");
        await using var server = ServerProcess.Launch(new ServerOptions().WithArgs("--snapshot", missing + ":c"));

        var exit = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 1, $"exit {exit}\n{server.Logs()}");
        var lines = server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Equal($"aotvector: cannot restore collection c: snapshot file {missing} does not exist", line);
    }

    private static async Task SeedAsync(ServerProcess server, string collection)
    {
        await server.CreateCollectionAsync(collection, """{"size": 4, "distance": "Dot"}""");
        await server.UpsertAsync(collection, Points);
    }

    private static async Task<(byte[] Bytes, HttpContentHeaders Headers)> DownloadAsync(ServerProcess server, string path)
    {
        using var response = await server.Http.GetAsync(path);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}\n{server.Logs()}");
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        return (bytes, response.Content.Headers);
    }

    internal static async Task<ApiResponse> UploadAsync(ServerProcess server, string path, byte[] snapshot)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(snapshot), "snapshot", "upload.snapshot");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
        return await server.SendAsync(request, $"<multipart, {snapshot.Length} bytes>");
    }

    internal static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<JsonElement> PollAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            value = await read();
        }

        return value;
    }

    /// <summary>Gives <paramref name="to"/> a copy of <paramref name="from"/>'s (stopped) storage.</summary>
    private static void CopyStorage(ServerProcess from, ServerProcess to)
    {
        foreach (var file in Directory.EnumerateFiles(from.StoragePath, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to.StoragePath, Path.GetRelativePath(from.StoragePath, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
