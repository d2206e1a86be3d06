using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// kill -9 of the published binary while a snapshot is created and while one is recovered: after the restart no half
/// snapshot is listed, nothing is left in the temporary directories, and the collection is whole — its old data or the
/// snapshot's, never a mix, and never broken.
/// </summary>
public sealed class SnapshotCrashTests
{
    private const int Dimension = 64;
    private const int Seeded = 20_000;

    [Fact]
    public async Task KillDuringCreate_LeavesNoHalfSnapshot_AndTheCollectionWhole()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateCollectionAsync("c", $$"""{"size": {{Dimension}}, "distance": "Dot"}""");
        await UpsertRangeAsync(server, "c", 0, Seeded, seed: 1);

        // Kills at a few points: during the capture, during the archive write and (likely) after it.
        foreach (var delayMs in new[] { 2, 40, 120, 250 })
        {
            (await server.PostAsync("/collections/c/snapshots?wait=false", "")).Expect(202);
            await Task.Delay(delayMs);
            server.Kill();
            await server.RestartAsync();

            Assert.Equal(Seeded, await server.CountAsync("c"));
            var snapshotsDir = Path.Combine(server.WorkingDirectory, "snapshots");
            Assert.Empty(Directory.Exists(snapshotsDir) ? Directory.EnumerateFiles(snapshotsDir, "*.partial", SearchOption.AllDirectories) : []);
            AssertNoTemporaryFiles(server);

            // Whatever is listed is complete: its bytes match its checksum.
            foreach (var listed in (await server.GetAsync("/collections/c/snapshots")).Ok().EnumerateArray())
            {
                var name = listed.GetProperty("name").GetString()!;
                using var response = await server.Http.GetAsync($"/collections/c/snapshots/{name}");
                var bytes = await response.Content.ReadAsByteArrayAsync();
                Assert.True(response.IsSuccessStatusCode, $"download {name}: {(int)response.StatusCode}");
                Assert.Equal(listed.GetProperty("checksum").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            }
        }
    }

    [Fact]
    public async Task KillDuringRecover_KeepsTheOldDataOrTheSnapshots_AndRecoverWorksAfterwards()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateCollectionAsync("c", $$"""{"size": {{Dimension}}, "distance": "Dot"}""");
        await UpsertRangeAsync(server, "c", 0, Seeded, seed: 2);
        var name = (await server.PostAsync("/collections/c/snapshots", "")).Ok().GetProperty("name").GetString()!;
        var location = new Uri(Path.Combine(server.WorkingDirectory, "snapshots", "c", name)).AbsoluteUri;
        await UpsertRangeAsync(server, "c", Seeded, 100, seed: 3);
        Assert.Equal(Seeded + 100, await server.CountAsync("c"));

        // Kills during the extraction and verification and, with this size, around the switch of directories.
        foreach (var delayMs in new[] { 2, 40, 120, 250 })
        {
            (await server.PutAsync("/collections/c/snapshots/recover?wait=false", $$"""{"location": "{{location}}"}""")).Expect(202);
            await Task.Delay(delayMs);
            server.Kill();
            await server.RestartAsync();

            var count = await server.CountAsync("c");
            Assert.True(count is Seeded or Seeded + 100, $"after a kill {delayMs} ms into a recover the collection has {count} points\n{server.Logs()}");
            (await server.GetAsync("/collections/c")).Ok();
            AssertNoTemporaryFiles(server);

            // Back to the newer state for the next life, when the recover had finished.
            if (count == Seeded)
            {
                await UpsertRangeAsync(server, "c", Seeded, 100, seed: 3);
            }
        }

        // The snapshot still recovers completely after the crashes.
        Assert.True((await server.PutAsync("/collections/c/snapshots/recover", $$"""{"location": "{{location}}"}""")).Ok().GetBoolean());
        Assert.Equal(Seeded, await server.CountAsync("c"));
    }

    private static void AssertNoTemporaryFiles(ServerProcess server)
    {
        var temp = Path.Combine(server.StoragePath, "tmp");
        var left = Directory.Exists(temp) ? Directory.EnumerateFileSystemEntries(temp, "*", SearchOption.AllDirectories).ToList() : [];
        Assert.True(left.Count == 0, "left in storage/tmp: " + string.Join(", ", left.Take(5)));
    }

    private static async Task UpsertRangeAsync(ServerProcess server, string collection, int first, int count, int seed)
    {
        var random = new Random(seed);
        for (var start = first; start < first + count; start += 1000)
        {
            var json = new StringBuilder("[");
            for (var id = start; id < Math.Min(start + 1000, first + count); id++)
            {
                json.Append(id == start ? "" : ",").Append("{\"id\":").Append(id).Append(",\"vector\":[");
                for (var d = 0; d < Dimension; d++)
                {
                    json.Append(d == 0 ? "" : ",").Append(((float)random.NextDouble()).ToString(CultureInfo.InvariantCulture));
                }

                json.Append("]}");
            }

            await server.UpsertAsync(collection, json.Append(']').ToString());
        }
    }
}
