using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AotVector.Cluster.Tests;

/// <summary>
/// Points over a cluster: a collection with 3 shards and 2 replicas of each, created through one peer, is stored as
/// placed (each peer only its replicas), written through one peer and read identically through the others; read
/// consistency <c>all</c> and <c>write_consistency_factor</c> behave; a killed peer's replicas become Dead on the
/// next write while reads and writes with factor 1 go on, and the restarted peer rejoins, recovers its replicas
/// from the healthy ones without an operator, and serves again.
/// </summary>
public sealed class ReplicationTests
{
    private const int Points = 30;

    [Fact]
    public async Task ReplicatedCollectionIsServedFromEveryPeerAndSurvivesALostPeer()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var peers = cluster.Peers;
        await CreateAsync(peers[0], "rep", writeConsistency: 1);
        await CreateAsync(peers[0], "strict", writeConsistency: 2);
        foreach (var name in (string[])["rep", "strict"])
        {
            await cluster.WaitForAsync(async () => await AllActiveEverywhereAsync(peers, name), $"every replica of `{name}` is Active on every peer");
        }

        // (b) Each peer holds 2 of the 6 replicas, and stores only those shards.
        var ids = new List<ulong>();
        foreach (var peer in peers)
        {
            var info = await ClusterInfoAsync(peer, "rep");
            ids.Add(info.GetProperty("peer_id").GetUInt64());
            Assert.Equal(3, info.GetProperty("shard_count").GetInt32());
            var local = info.GetProperty("local_shards").EnumerateArray().Select(s => s.GetProperty("shard_id").GetInt32()).Order().ToList();
            Assert.Equal(2, local.Count);
            Assert.Equal(4, info.GetProperty("remote_shards").GetArrayLength());
            Assert.Empty(info.GetProperty("shard_transfers").EnumerateArray());
            var stored = Directory.GetDirectories(Path.Combine(peer.Server.StoragePath, "collections", "rep"))
                .Select(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
            Assert.Equal(local, stored);
        }

        // (b) Written through peer A, found through B and C by count, retrieve, scroll and query.
        await UpsertAsync(peers[0], "rep", 1, Points, expectSuccess: true);

        // Write ordering: strong and medium have each shard's highest-id replica coordinate (forwarded over p2p).
        await UpsertAsync(peers[1], "rep", 1, Points, expectSuccess: true, "&ordering=strong");
        await UpsertAsync(peers[2], "rep", 1, Points, expectSuccess: true, "&ordering=medium");
        foreach (var peer in peers)
        {
            Assert.Equal(Points, await CountAsync(peer, "rep"));
            Assert.Equal(Points, await CountAsync(peer, "rep", "?consistency=all"));
            Assert.Equal(Points, await RetrieveCountAsync(peer, "rep", 1, Points));
            Assert.Equal(Points, await ScrollCountAsync(peer, "rep"));
            Assert.Equal(17UL, await NearestAsync(peer, "rep", 17));
            Assert.Equal(17UL, await NearestAsync(peer, "rep", 17, "?consistency=majority"));
        }

        // Every point is stored twice in all: once on each of its shard's two replicas.
        var stored2 = 0L;
        foreach (var peer in peers)
        {
            stored2 += (await ClusterInfoAsync(peer, "rep")).GetProperty("local_shards").EnumerateArray().Sum(s => s.GetProperty("points_count").GetInt64());
        }

        Assert.Equal(2L * Points, stored2);

        // (d) Kill a peer that is not the first. Reads still answer through the others.
        var victim = peers[2];
        var victimId = ids[2];
        victim.Server.Kill();
        var survivors = peers.Take(2).ToList();
        foreach (var peer in survivors)
        {
            Assert.Equal(Points, await CountAsync(peer, "rep"));
        }

        // (c) With write_consistency_factor 2, a write to a shard with a replica on the dead peer fails clearly...
        await UpsertAsync(survivors[0], "strict", 1, Points, expectSuccess: false);

        // (d) ...with factor 1 it succeeds, and the dead peer's replicas are marked Dead through consensus.
        await UpsertAsync(survivors[0], "rep", Points + 1, 20, expectSuccess: true);
        foreach (var peer in survivors)
        {
            await cluster.WaitForAsync(async () => await ReplicaStatesAsync(peer, "rep", victimId) is { Count: 2 } states && states.All(s => s == "Dead"),
                "the killed peer's replicas of `rep` are Dead");
            Assert.Equal(Points + 20, await CountAsync(peer, "rep"));
            Assert.Equal(Points + 20, await RetrieveCountAsync(peer, "rep", 1, Points + 20));
        }

        // (c) `all` now needs replicas that are not readable: refused rather than answered from fewer.
        using (var all = await survivors[1].Http.PostAsync("/collections/rep/points/count?consistency=all", Json("""{"exact":true}""")))
        {
            Assert.False(all.IsSuccessStatusCode, await all.Content.ReadAsStringAsync());
        }

        // (e) The killed peer restarts from its own storage and rejoins. Its Dead replicas are rebuilt without an
        // operator, as the reference's peers do: it proposes a transfer to itself from a healthy replica of each
        // (Dead -> Partial -> Active), after which it holds every point of its shards and serves them itself.
        await victim.Server.RestartAsync();
        await cluster.WaitUniformAsync(peers, 3);
        await cluster.WaitForAsync(async () => await ReplicaStatesAsync(survivors[0], "rep", victimId) is { Count: 2 } states && states.All(s => s == "Active"),
            "the restarted peer's replicas of `rep` are recovered to Active");
        await cluster.WaitForAsync(async () => await ReplicaStatesAsync(victim, "rep", victimId) is { Count: 2 } states && states.All(s => s == "Active"),
            "the restarted peer sees its recovered replicas Active");
        var recovered = await ClusterInfoAsync(victim, "rep");
        foreach (var shard in recovered.GetProperty("local_shards").EnumerateArray())
        {
            // The shard's other replica is on one of the survivors: both hold the same points.
            var id = shard.GetProperty("shard_id").GetInt32();
            var counts = new List<long>();
            foreach (var survivor in survivors)
            {
                counts.AddRange((await ClusterInfoAsync(survivor, "rep")).GetProperty("local_shards").EnumerateArray()
                    .Where(s => s.GetProperty("shard_id").GetInt32() == id).Select(s => s.GetProperty("points_count").GetInt64()));
            }

            Assert.Equal([shard.GetProperty("points_count").GetInt64()], counts);
        }

        Assert.Equal(Points + 20, await CountAsync(victim, "rep"));
        Assert.Equal(41UL, await NearestAsync(victim, "rep", 41));
        await UpsertAsync(victim, "rep", 100, 5, expectSuccess: true);
        Assert.Equal(Points + 25, await CountAsync(survivors[0], "rep"));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task CreateAsync(ClusterPeer peer, string name, int writeConsistency)
    {
        using var created = await peer.Http.PutAsJsonAsync($"/collections/{name}", new
        {
            vectors = new { size = 4, distance = "Euclid" },
            shard_number = 3,
            replication_factor = 2,
            write_consistency_factor = writeConsistency,
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> ClusterInfoAsync(ClusterPeer peer, string name)
    {
        using var response = await peer.Http.GetAsync($"/collections/{name}/cluster");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /collections/{name}/cluster: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("result").Clone();
    }

    private static async Task<bool> AllActiveEverywhereAsync(List<ClusterPeer> peers, string name)
    {
        foreach (var peer in peers)
        {
            try
            {
                using var response = await peer.Http.GetAsync($"/collections/{name}/cluster");
                if (!response.IsSuccessStatusCode)
                {
                    return false;
                }

                var info = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("result");
                var states = info.GetProperty("local_shards").EnumerateArray().Concat(info.GetProperty("remote_shards").EnumerateArray())
                    .Select(s => s.GetProperty("state").GetString()).ToList();
                if (states.Count != 6 || states.Any(s => s != "Active"))
                {
                    return false;
                }
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The states of <paramref name="peerId"/>'s replicas as <paramref name="peer"/> reports them.</summary>
    private static async Task<List<string>> ReplicaStatesAsync(ClusterPeer peer, string name, ulong peerId)
    {
        var info = await ClusterInfoAsync(peer, name);
        var local = info.GetProperty("peer_id").GetUInt64() == peerId
            ? info.GetProperty("local_shards").EnumerateArray().Select(s => s.GetProperty("state").GetString()!)
            : [];
        var remote = info.GetProperty("remote_shards").EnumerateArray()
            .Where(s => s.GetProperty("peer_id").GetUInt64() == peerId)
            .Select(s => s.GetProperty("state").GetString()!);
        return [.. local.Concat(remote)];
    }

    private static async Task UpsertAsync(ClusterPeer peer, string name, int first, int count, bool expectSuccess, string query = "")
    {
        var points = Enumerable.Range(first, count).Select(i => new { id = i, vector = new[] { i, i * 0.5f, 1f, -i }, payload = new { n = i } });
        using var response = await peer.Http.PutAsJsonAsync($"/collections/{name}/points?wait=true{query}", new { points });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode == expectSuccess, $"upsert into `{name}` expected success={expectSuccess}: {(int)response.StatusCode} {body}");
    }

    private static async Task<int> CountAsync(ClusterPeer peer, string name, string query = "") =>
        await TryCountAsync(peer, name, query) ?? throw new Xunit.Sdk.XunitException($"count of `{name}` failed");

    private static async Task<int?> TryCountAsync(ClusterPeer peer, string name, string query = "")
    {
        try
        {
            using var response = await peer.Http.PostAsync($"/collections/{name}/points/count{query}", Json("""{"exact":true}"""));
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetProperty("count").GetInt32();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<int> RetrieveCountAsync(ClusterPeer peer, string name, int first, int count)
    {
        using var response = await peer.Http.PostAsJsonAsync($"/collections/{name}/points", new { ids = Enumerable.Range(first, count), with_payload = true });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var records = JsonDocument.Parse(body).RootElement.GetProperty("result");
        Assert.All(records.EnumerateArray(), r => Assert.Equal(r.GetProperty("id").GetInt32(), r.GetProperty("payload").GetProperty("n").GetInt32()));
        return records.GetArrayLength();
    }

    private static async Task<int> ScrollCountAsync(ClusterPeer peer, string name)
    {
        using var response = await peer.Http.PostAsync($"/collections/{name}/points/scroll", Json("""{"limit":1000}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var ids = JsonDocument.Parse(body).RootElement.GetProperty("result").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Order(), ids);
        return ids.Distinct().Count();
    }

    private static async Task<ulong> NearestAsync(ClusterPeer peer, string name, int i, string query = "")
    {
        using var response = await peer.Http.PostAsJsonAsync($"/collections/{name}/points/query{query}", new { query = new[] { i, i * 0.5f, 1f, -i }, limit = 3 });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var hits = JsonDocument.Parse(body).RootElement.GetProperty("result").GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(3, hits.Select(h => h.GetProperty("id").GetUInt64()).Distinct().Count());
        return hits[0].GetProperty("id").GetUInt64();
    }
}
