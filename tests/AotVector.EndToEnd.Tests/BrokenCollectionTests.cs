using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// A collection whose files are damaged at startup is reported (503 with the reason, in the log, in the /readyz
/// answer, in the issues API) while every other collection serves; it stays listed, and can be deleted and created
/// anew without a restart.
/// </summary>
public sealed class BrokenCollectionTests
{
    [Fact]
    public async Task DamagedCollection_AnswersWithReason_WhileOthersServe()
    {
        await using var server = await ServerProcess.StartAsync();
        foreach (var name in new[] { "healthy", "damaged" })
        {
            await server.CreateCollectionAsync(name, """{"size": 4, "distance": "Dot"}""");
            await server.UpsertAsync(name, """[{"id": 1, "vector": [1, 0, 0, 0]}, {"id": 2, "vector": [0, 1, 0, 0]}]""");
        }

        await server.StopAsync();

        // A manifest that no longer matches its checksum: the shard cannot know which segments hold its points.
        var manifest = Path.Combine(server.StoragePath, "collections", "damaged", "0", "segments.manifest");
        Assert.True(File.Exists(manifest), "the shard's segment manifest was not where this test expects it");
        File.WriteAllText(manifest, "avshard 1\nnext 1\nsegment 0 appendable 0\ncrc32c 00000000\n");

        await server.RestartAsync();

        Assert.Equal(2, await server.CountAsync("healthy"));

        var refused = await server.GetAsync("/collections/damaged");
        refused.Expect(503);
        var error = refused.Json.At("status.error").GetString()!;
        Assert.Contains("damaged", error, StringComparison.Ordinal);
        Assert.Contains("checksum", error, StringComparison.Ordinal);
        (await server.PostAsync("/collections/damaged/points/count", "{}")).Expect(503);

        var ready = await server.GetAsync("/readyz");
        ready.Expect(200);
        Assert.Contains("damaged", ready.Text, StringComparison.Ordinal);
        Assert.Contains("could not be loaded", server.StandardOutput + server.StandardError, StringComparison.Ordinal);

        // Still listed and existing: a client must not take it for gone (and recreate it over the operator's data).
        var names = (await server.GetAsync("/collections")).Ok().At("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["damaged", "healthy"], names);
        Assert.True((await server.GetAsync("/collections/damaged/exists")).Ok().At("exists").GetBoolean());

        var issues = (await server.GetAsync("/issues")).Ok().At("issues").EnumerateArray().ToList();
        var issue = Assert.Single(issues, i => i.GetProperty("id").GetString() == "BROKEN_COLLECTION/damaged");
        Assert.Equal("damaged", issue.GetProperty("related_collection").GetString());
        Assert.Contains("checksum", issue.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("DELETE /collections/damaged", issue.GetProperty("solution").GetProperty("refactor").GetString(), StringComparison.Ordinal);
        Assert.True(issue.TryGetProperty("timestamp", out _));

        // The operator's way out: delete it (its files go) and create it again, with the server running.
        (await server.DeleteAsync("/collections/damaged")).Ok();
        (await server.GetAsync("/collections/damaged")).Expect(404);
        Assert.DoesNotContain("BROKEN_COLLECTION/", (await server.GetAsync("/issues")).Text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(server.StoragePath, "collections", "damaged")));
        await server.CreateCollectionAsync("damaged", """{"size": 4, "distance": "Dot"}""");
        Assert.Equal(0, await server.CountAsync("damaged"));
        Assert.DoesNotContain("damaged", (await server.GetAsync("/readyz")).Text, StringComparison.Ordinal);
    }
}
