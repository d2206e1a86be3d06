using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AotVector.Cluster.Tests;

/// <summary>
/// What a peer that was down misses and must catch up on: a collection update and a payload index made while it was
/// down reach its own shards when it replays the log; meanwhile its shard (one replica, rf 1) is unavailable, and
/// counts, scrolls and collection info say so, naming the shard, instead of answering without it; the leader lists
/// it in <c>message_send_failures</c> until it is back.
/// </summary>
public sealed class ClusterSchemaTests
{
    private const int Points = 30;

    [Fact]
    public async Task UpdateAndPayloadIndexReachAPeerThatWasDownAndItsShardIsReportedMissingMeanwhile()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var peers = cluster.Peers;
        var leaderId = await cluster.WaitUniformAsync(peers, 3);
        var leader = await cluster.PeerByIdAsync(leaderId);
        var victim = peers.First(p => p != leader);
        var others = peers.Where(p => p != victim).ToList();

        using (var created = await leader.Http.PutAsJsonAsync("/collections/sch", new { vectors = new { size = 4, distance = "Dot" }, shard_number = 3, replication_factor = 1 }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var points = Enumerable.Range(1, Points).Select(i => new { id = i, vector = new[] { i, 1f, 0f, 0f }, payload = new { color = i % 2 == 0 ? "red" : "blue" } });
        using (var upserted = await leader.Http.PutAsJsonAsync("/collections/sch/points?wait=true", new { points }))
        {
            Assert.True(upserted.IsSuccessStatusCode, await upserted.Content.ReadAsStringAsync());
        }

        // Every peer sees all three replicas Active first, so the only shard missing below is the victim's.
        foreach (var peer in peers)
        {
            await cluster.WaitForAsync(async () => await TryGetResultAsync(peer, "/collections/sch/cluster") is { } info
                && info.GetProperty("local_shards").EnumerateArray().Concat(info.GetProperty("remote_shards").EnumerateArray()) is var replicas
                && replicas.Count() == 3 && replicas.All(r => r.GetProperty("state").GetString() == "Active"),
                $"peer {peer.Uri} sees every replica Active");
        }

        var victimShard = (await GetResultAsync(victim, "/collections/sch/cluster")).GetProperty("local_shards")[0].GetProperty("shard_id").GetInt32();
        victim.Server.Kill();

        // Every replica of the victim's shard is down: the figures would be short, so they are errors naming it.
        foreach (var peer in others)
        {
            foreach (var (method, path, body) in new[] { ("POST", "/collections/sch/points/count", """{"exact":true}"""), ("POST", "/collections/sch/points/scroll", """{"limit":100}"""), ("GET", "/collections/sch", "") })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body.Length > 0 ? new StringContent(body, Encoding.UTF8, "application/json") : null };
                using var response = await peer.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.False(response.IsSuccessStatusCode, $"{method} {path} answered without shard {victimShard}: {text}");
                Assert.True(text.Contains($"shard {victimShard}", StringComparison.Ordinal), $"{method} {path} did not name shard {victimShard}: {text}");
            }
        }

        // The leader's heartbeats to it fail, and /cluster says so by its address.
        await cluster.WaitForAsync(async () => (await leader.ClusterAsync()).GetProperty("message_send_failures").TryGetProperty(victim.Uri, out var failure)
            && failure.GetProperty("count").GetInt64() > 0 && failure.GetProperty("latest_error").GetString()!.Length > 0,
            $"the leader lists {victim.Uri} in message_send_failures");

        // Changed while it is down, through a peer that is not the leader when there is one.
        var through = others.FirstOrDefault(p => p != leader) ?? leader;
        using (var patched = await through.Http.PatchAsJsonAsync("/collections/sch", new { optimizers_config = new { indexing_threshold = 1234 } }))
        {
            Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
        }

        // The index is agreed first, then written to the replicas: the victim's shard cannot take it now.
        using (var indexed = await through.Http.PutAsJsonAsync("/collections/sch/index?wait=true", new { field_name = "color", field_schema = "keyword" }))
        {
            Assert.NotEqual(HttpStatusCode.InternalServerError, indexed.StatusCode);
        }

        await victim.Server.RestartAsync();
        await cluster.WaitUniformAsync(peers, 3);

        // Every peer, the restarted one included, has the new configuration, and every shard the index: its points
        // with the field are all counted in the schema only when each shard (the victim's own) indexes the field.
        foreach (var peer in peers)
        {
            await cluster.WaitForAsync(async () =>
            {
                var info = await TryGetResultAsync(peer, "/collections/sch");
                return info is { } i
                    && i.GetProperty("config").GetProperty("optimizer_config").GetProperty("indexing_threshold").GetInt32() == 1234
                    && i.GetProperty("payload_schema").TryGetProperty("color", out var color)
                    && color.GetProperty("data_type").GetString() == "keyword" && color.GetProperty("points").GetInt32() == Points;
            }, $"peer {peer.Uri} has the update and the index on every shard");
        }

        await cluster.WaitForAsync(async () => !(await leader.ClusterAsync()).GetProperty("message_send_failures").TryGetProperty(victim.Uri, out _),
            "the leader's send failures to the restarted peer are cleared");

        // Dropped through consensus too: gone from every shard of every peer.
        using (var dropped = await victim.Http.DeleteAsync("/collections/sch/index/color?wait=true"))
        {
            Assert.True(dropped.IsSuccessStatusCode, await dropped.Content.ReadAsStringAsync());
        }

        foreach (var peer in peers)
        {
            await cluster.WaitForAsync(async () => await TryGetResultAsync(peer, "/collections/sch") is { } i && !i.GetProperty("payload_schema").TryGetProperty("color", out _),
                $"peer {peer.Uri} dropped the index");
        }

        // Strict mode's index limit counts the agreed indexes once: the first index within the limit is created (the
        // peer that took it builds it from the agreed schema before writing it), the next is refused.
        using (var strict = await peers[0].Http.PatchAsJsonAsync("/collections/sch", new { strict_mode_config = new { enabled = true, max_payload_index_count = 1 } }))
        {
            Assert.True(strict.IsSuccessStatusCode, await strict.Content.ReadAsStringAsync());
        }

        using (var first = await peers[1].Http.PutAsJsonAsync("/collections/sch/index?wait=true", new { field_name = "color", field_schema = "keyword" }))
        {
            Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        }

        using (var second = await peers[2].Http.PutAsJsonAsync("/collections/sch/index?wait=true", new { field_name = "size", field_schema = "integer" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
            Assert.Contains("maximum number of payload indices (1)", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Adding or removing a named vector changes the agreed config outside consensus: refused on every wire, never applied on one peer.
        using (var added = await peers[1].Http.PutAsJsonAsync("/collections/sch/vectors/extra?wait=true", new { dense = new { size = 2, distance = "Dot" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, added.StatusCode);
            Assert.Contains("Wrong input: adding or removing a named vector in cluster mode is not supported yet", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var removed = await peers[2].Http.DeleteAsync("/collections/sch/vectors/extra?wait=true"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, removed.StatusCode);
        }

        Assert.False((await GetResultAsync(peers[1], "/collections/sch")).GetProperty("config").GetProperty("params").GetProperty("vectors").TryGetProperty("extra", out _));

        // Telemetry's cluster section, as the reference's: enabled, the consensus status, the peers.
        var telemetry = (await GetResultAsync(victim, "/telemetry?details_level=2")).GetProperty("cluster");
        Assert.True(telemetry.GetProperty("enabled").GetBoolean());
        Assert.Equal(3, telemetry.GetProperty("status").GetProperty("number_of_peers").GetInt32());
        Assert.Equal(3, telemetry.GetProperty("peers").EnumerateObject().Count());
    }

    private static async Task<JsonElement> GetResultAsync(ClusterPeer peer, string path) =>
        await TryGetResultAsync(peer, path) ?? throw new Xunit.Sdk.XunitException($"GET {path} on {peer.Uri} failed");

    private static async Task<JsonElement?> TryGetResultAsync(ClusterPeer peer, string path)
    {
        try
        {
            using var response = await peer.Http.GetAsync(path);
            return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("result").Clone() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
