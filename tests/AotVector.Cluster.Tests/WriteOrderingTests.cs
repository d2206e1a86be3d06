using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AotVector.Cluster.Tests;

/// <summary>
/// Writes with ordering medium and strong are forwarded to their shard's leader replica. Two peers forwarding to each
/// other at once must not hold each other's update workers (a cycle that would stall every write until the p2p
/// timeout); and a strong write whose leader replica's peer is down fails with a clear error, not a 500.
/// </summary>
public sealed class WriteOrderingTests
{
    [Fact]
    public async Task CrossForwardedWritesDoNotBlockAndStrongWritesToADownLeaderFailClearly()
    {
        // A short p2p timeout: writes stuck in a cycle would fail within it rather than after a minute.
        await using var cluster = await TestCluster.StartAsync(2, configure: (_, options) => options.WithEnv("QDRANT__CLUSTER__GRPC_TIMEOUT_MS", "10000"));
        var peers = cluster.Peers;
        await CreateAsync(peers[0], "cross", shards: 2, replicas: 1);
        await CreateAsync(peers[0], "pair", shards: 1, replicas: 2);
        foreach (var name in (string[])["cross", "pair"])
        {
            await cluster.WaitForAsync(async () => await AllActiveAsync(peers, name), $"`{name}` is Active everywhere");
        }

        // Each peer holds one shard of `cross` alone; each write spans both shards, so every write through either
        // peer forwards a part to the other, many at once from both sides.
        var writes = new List<Task<(HttpStatusCode Status, string Body)>>();
        for (var i = 0; i < 12; i++)
        {
            foreach (var ordering in (string[])["strong", "medium"])
            {
                writes.Add(UpsertAsync(peers[i % 2], "cross", 1 + (i * 20), 20, ordering));
            }
        }

        foreach (var (status, body) in await Task.WhenAll(writes))
        {
            Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        }

        using (var counted = await peers[1].Http.PostAsJsonAsync("/collections/cross/points/count", new { exact = true }))
        {
            Assert.Equal(12 * 20, JsonDocument.Parse(await counted.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetProperty("count").GetInt32());
        }

        // `pair` has one shard on both peers; strong ordering picks the replica on the higher peer id, down or not.
        var ids = new List<ulong>();
        foreach (var peer in peers)
        {
            ids.Add((await peer.ClusterAsync()).GetProperty("peer_id").GetUInt64());
        }

        var leaderIndex = ids[0] > ids[1] ? 0 : 1;
        var down = peers[leaderIndex];
        var up = peers[1 - leaderIndex];
        down.Server.Kill();
        var (strongStatus, strongBody) = await UpsertAsync(up, "pair", 1, 5, "strong");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, strongStatus);
        Assert.Contains($"peer {ids[leaderIndex]}", strongBody, StringComparison.Ordinal);
    }

    private static async Task CreateAsync(ClusterPeer peer, string name, int shards, int replicas)
    {
        using var created = await peer.Http.PutAsJsonAsync($"/collections/{name}", new
        {
            vectors = new { size = 4, distance = "Dot" },
            shard_number = shards,
            replication_factor = replicas,
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    private static async Task<bool> AllActiveAsync(List<ClusterPeer> peers, string name)
    {
        foreach (var peer in peers)
        {
            using var response = await peer.Http.GetAsync($"/collections/{name}/cluster");
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            var info = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("result");
            if (info.GetProperty("local_shards").EnumerateArray().Concat(info.GetProperty("remote_shards").EnumerateArray()).Any(s => s.GetProperty("state").GetString() != "Active"))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<(HttpStatusCode, string)> UpsertAsync(ClusterPeer peer, string name, int first, int count, string ordering)
    {
        var points = Enumerable.Range(first, count).Select(i => new { id = i, vector = new[] { i, 1f, 0f, 0f } });
        using var response = await peer.Http.PutAsJsonAsync($"/collections/{name}/points?wait=true&ordering={ordering}", new { points });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
