using System.Diagnostics;
using System.Globalization;
using AotVector.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// A full disk, for real: the storage lives on a small tmpfs the test mounts (the tests run as root; where mounting
/// is impossible the test says so and does nothing else). Writes are refused with 507 and a message, reads keep
/// serving, the optimizer backs off without leaving files behind, and once space is freed writes and merges resume,
/// with nothing acknowledged lost across restarts.
/// </summary>
public sealed class DiskFullTests
{
    private const string Collection = "full";
    private const int Dim = 64;
    private const int BatchSize = 250;

    private readonly ITestOutputHelper _output;

    public DiskFullTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task FullDisk_RefusesWrites_ServesReads_ResumesWhenFreed()
    {
        using var mount = Tmpfs.TryMount(32, _output);
        if (mount is null)
        {
            return;
        }

        var options = new ServerOptions()
            .WithEnv("QDRANT__STORAGE__STORAGE_PATH", Path.Combine(mount.Path, "storage"))
            .WithEnv("QDRANT__STORAGE__MIN_FREE_SPACE_MB", "0") // the real ENOSPC, not the floor
            .WithEnv("QDRANT__STORAGE__WAL__WAL_CAPACITY_MB", "1");
        await using var server = await ServerProcess.StartAsync(options);
        (await server.PutAsync($"/collections/{Collection}", $$$"""
            {"vectors": {"size": {{{Dim}}}, "distance": "Dot"},
             "hnsw_config": {"m": 8, "ef_construct": 32},
             "optimizers_config": {"indexing_threshold": 500, "default_segment_number": 8}}
            """)).Ok();

        // Half the disk in points, then a ballast file over most of the rest.
        var acknowledged = 0;
        while (acknowledged < 8_000)
        {
            (await WriteBatchAsync(server, acknowledged)).Ok();
            acknowledged += BatchSize;
        }

        await WaitGreenAsync(server);
        var ballast = Path.Combine(mount.Path, "ballast");
        Tmpfs.Fill(ballast, mount.Path, leaveBytes: 3L * 1024 * 1024);

        // Writes until the disk refuses one: 507 with a message, and the server keeps running.
        ApiResponse? refused = null;
        for (var i = 0; i < 200 && refused is null; i++)
        {
            var response = await WriteBatchAsync(server, acknowledged);
            if (response.Status == 507)
            {
                refused = response;
            }
            else
            {
                response.Ok();
                acknowledged += BatchSize;
            }
        }

        Assert.True(refused is not null, "no write was refused on a full disk\n" + server.Logs());
        Assert.Contains("No space left on device", refused!.Json.At("status.error").GetString(), StringComparison.Ordinal);
        Assert.False(server.HasExited, "the server died on a full disk\n" + server.Logs());

        // Reads keep serving.
        Assert.Equal(acknowledged, await server.CountAsync(Collection));
        (await server.PostAsync($"/collections/{Collection}/points/query", $$"""{"query": {{Vector(7)}}, "limit": 3}""")).Ok();

        // Room for small writes again, not for a merge of every segment (about 2 MB of vectors): one asked for now
        // fails, leaves no segment directory behind, and is retried later.
        File.Delete(ballast);
        Tmpfs.Fill(ballast, mount.Path, leaveBytes: 1L * 1024 * 1024);
        (await server.PatchAsync($"/collections/{Collection}", """{"optimizers_config": {"default_segment_number": 1}}""")).Ok();
        await WaitForLogAsync(server, "Optimization of collection full failed");
        Assert.False(server.HasExited, "the server died when a merge hit the full disk\n" + server.Logs());
        Assert.Equal(acknowledged, await server.CountAsync(Collection));
        AssertNoLeftoverSegments(server, mount.Path);

        // Space comes back: writes resume and the merge completes, without a restart.
        File.Delete(ballast);
        (await WriteBatchAsync(server, acknowledged)).Ok();
        acknowledged += BatchSize;
        await WaitGreenAsync(server);
        Assert.Equal(2, (await server.InfoAsync(Collection)).At("segments_count").GetInt64()); // the merged segment and the appendable one
        AssertNoLeftoverSegments(server, mount.Path);

        // Nothing acknowledged is lost: after a graceful restart, and after a crash.
        await server.RestartAsync();
        Assert.Equal(acknowledged, await server.CountAsync(Collection));
        server.Kill();
        await server.RestartAsync();
        Assert.Equal(acknowledged, await server.CountAsync(Collection));
        var logs = server.StandardOutput + server.StandardError;
        Assert.DoesNotContain("Unhandled exception", logs, StringComparison.Ordinal);
        _output.WriteLine($"{acknowledged} points acknowledged; first refusal: {refused.Json.At("status.error").GetString()}");
    }

    [Fact]
    public async Task BelowFreeSpaceFloor_RefusesWrites_BeforeTheDiskIsFull()
    {
        using var mount = Tmpfs.TryMount(32, _output);
        if (mount is null)
        {
            return;
        }

        var options = new ServerOptions()
            .WithEnv("QDRANT__STORAGE__STORAGE_PATH", Path.Combine(mount.Path, "storage"))
            .WithEnv("QDRANT__STORAGE__MIN_FREE_SPACE_MB", "8");
        await using var server = await ServerProcess.StartAsync(options);
        (await server.PutAsync($"/collections/{Collection}", $$$"""{"vectors": {"size": {{{Dim}}}, "distance": "Dot"}}""")).Ok();
        (await WriteBatchAsync(server, 0)).Ok();

        var ballast = Path.Combine(mount.Path, "ballast");
        Tmpfs.Fill(ballast, mount.Path, leaveBytes: 6L * 1024 * 1024);
        var refused = await WriteBatchAsync(server, BatchSize);
        refused.Expect(507);
        var message = refused.Json.At("status.error").GetString()!;
        Assert.Contains("storage.min_free_space_mb", message, StringComparison.Ordinal);
        (await server.PutAsync("/collections/another", """{"vectors": {"size": 4, "distance": "Dot"}}""")).Expect(507);
        Assert.Equal(BatchSize, await server.CountAsync(Collection));

        File.Delete(ballast);
        (await WriteBatchAsync(server, BatchSize)).Ok();
        await server.RestartAsync();
        Assert.Equal(2 * BatchSize, await server.CountAsync(Collection));
        _output.WriteLine("refusal: " + message);
    }

    private static async Task<ApiResponse> WriteBatchAsync(ServerProcess server, int first)
    {
        var points = string.Join(",", Enumerable.Range(first, BatchSize).Select(id => $$"""{"id": {{id}}, "vector": {{Vector(id)}}}"""));
        return await server.PutAsync($"/collections/{Collection}/points?wait=true", "{\"points\": [" + points + "]}");
    }

    private static async Task WaitGreenAsync(ServerProcess server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((await server.InfoAsync(Collection)).At("status").GetString() != "green")
        {
            Assert.True(DateTime.UtcNow < deadline, "the collection did not turn green within 2 minutes\n" + server.Logs());
            await Task.Delay(200);
        }
    }

    private static async Task WaitForLogAsync(ServerProcess server, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!(server.StandardOutput + server.StandardError).Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the log never said \"{text}\"\n" + server.Logs());
            await Task.Delay(100);
        }
    }

    // Every directory under segments/ is one the collection uses (the appendable one and the sealed ones).
    private static void AssertNoLeftoverSegments(ServerProcess server, string root)
    {
        var segments = Path.Combine(root, "storage", "collections", Collection, "0", "segments");
        var manifest = File.ReadAllText(Path.Combine(root, "storage", "collections", Collection, "0", "segments.manifest"));
        foreach (var dir in Directory.GetDirectories(segments))
        {
            Assert.True(manifest.Contains($"segment {Path.GetFileName(dir)} ", StringComparison.Ordinal),
                $"segment directory {Path.GetFileName(dir)} is not in the manifest:\n{manifest}\n{server.Logs()}");
        }
    }

    private static string Vector(int id)
    {
        var rng = new Random(id);
        return "[" + string.Join(",", Enumerable.Range(0, Dim).Select(_ => (rng.NextSingle() * 2 - 1).ToString("R", CultureInfo.InvariantCulture))) + "]";
    }

    /// <summary>A tmpfs of a few megabytes mounted on a fresh directory, unmounted (and the directory removed) on dispose.</summary>
    private sealed class Tmpfs : IDisposable
    {
        private Tmpfs(string path) => Path = path;

        public string Path { get; }

        public static Tmpfs? TryMount(int megabytes, ITestOutputHelper output)
        {
            var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aotvector-tmpfs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var (code, text) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", dir);
            if (code != 0)
            {
                Directory.Delete(dir);
                output.WriteLine($"SKIPPED: cannot mount a tmpfs here (mount exited {code}: {text.Trim()}); this test needs root and mount rights.");
                return null;
            }

            return new Tmpfs(dir);
        }

        /// <summary>Writes <paramref name="file"/> until the file system holding <paramref name="root"/> has about <paramref name="leaveBytes"/> free.</summary>
        public static void Fill(string file, string root, long leaveBytes)
        {
            var free = new DriveInfo(root).AvailableFreeSpace;
            var size = Math.Max(0, free - leaveBytes);
            using var stream = new FileStream(file, FileMode.Create, FileAccess.Write);
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)1);
            for (long written = 0; written < size; written += chunk.Length)
            {
                stream.Write(chunk, 0, (int)Math.Min(chunk.Length, size - written));
            }
        }

        public void Dispose()
        {
            Run("umount", "-l", Path);
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static (int Code, string Output) Run(string file, params string[] args)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                process.WaitForExit();
                return (process.ExitCode, output);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return (-1, e.Message);
            }
        }
    }
}
