using System.Net;
using System.Text.Json;

namespace AotVector.Cluster.Tests;

/// <summary>Three peers agree through consensus: forming, losing the leader, a peer rejoining from its own state.</summary>
public sealed class ConsensusTests
{
    [Fact]
    public async Task ThreePeersFormAgreeOnLeaderAndConvergeOnCommits()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var leader = await cluster.WaitUniformAsync(cluster.Peers, 3);

        var first = await cluster.Peers[0].ClusterAsync();
        Assert.Equal("enabled", first.GetProperty("status").GetString());
        var ids = new HashSet<ulong>();
        foreach (var peer in cluster.Peers)
        {
            var status = await peer.ClusterAsync();
            ids.Add(status.GetProperty("peer_id").GetUInt64());
            Assert.InRange(status.GetProperty("peer_id").GetUInt64(), 1UL, 1UL << 53);
            Assert.Equal(peer.Uri, status.GetProperty("peers").GetProperty(status.GetProperty("peer_id").GetUInt64().ToString()).GetProperty("uri").GetString());
            var raft = status.GetProperty("raft_info");
            Assert.Equal(status.GetProperty("peer_id").GetUInt64() == leader ? "Leader" : "Follower", raft.GetProperty("role").GetString());
            Assert.True(raft.GetProperty("is_voter").GetBoolean());
            Assert.Equal("working", status.GetProperty("consensus_thread_status").GetProperty("consensus_thread_status").GetString());
        }

        Assert.Equal(3, ids.Count);
        Assert.Contains(leader, ids);

        // A collection created through a follower reaches every peer, and the commit indexes meet.
        var follower = cluster.Peers.First(p => p.ClusterAsync().Result.GetProperty("peer_id").GetUInt64() != leader);
        using (var created = await follower.CreateCollectionAsync("agreed"))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        Assert.True(await follower.HasCollectionAsync("agreed"), "the proposing peer answers only once it has the collection");
        await cluster.WaitForAsync(async () =>
        {
            var commits = new HashSet<long>();
            foreach (var peer in cluster.Peers)
            {
                if (!await peer.HasCollectionAsync("agreed"))
                {
                    return false;
                }

                commits.Add((await peer.ClusterAsync()).GetProperty("raft_info").GetProperty("commit").GetInt64());
            }

            return commits.Count == 1;
        }, "every peer has the collection and the same commit index");

        // The same name again is refused by the agreed metadata, from any peer.
        using var again = await cluster.Peers[2].CreateCollectionAsync("agreed");
        Assert.False(again.IsSuccessStatusCode);
        Assert.Contains("already exists", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KilledLeaderIsReplacedAndMetadataOperationsResume()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var oldLeader = await cluster.WaitUniformAsync(cluster.Peers, 3);
        using (var created = await cluster.Peers[0].CreateCollectionAsync("before"))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var leaderPeer = await cluster.PeerByIdAsync(oldLeader);
        leaderPeer.Server.Kill();
        var survivors = cluster.Peers.Where(p => p != leaderPeer).ToList();
        var newLeader = await cluster.WaitUniformAsync(survivors, 3, notLeader: oldLeader);
        Assert.NotEqual(oldLeader, newLeader);

        using (var created = await survivors[0].CreateCollectionAsync("after"))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        await cluster.WaitForAsync(async () => await survivors[1].HasCollectionAsync("after"), "the other survivor has the new collection");

        // The dead peer holds a shard of each collection: removing it needs force, as the reference's.
        using (var refused = await survivors[1].Http.DeleteAsync($"/cluster/peer/{oldLeader}"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("shards", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var removed = await survivors[1].Http.DeleteAsync($"/cluster/peer/{oldLeader}?force=true"))
        {
            Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync());
        }

        await cluster.WaitUniformAsync(survivors, 2);
        using var missing = await survivors[0].Http.DeleteAsync($"/cluster/peer/{oldLeader}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task RestartedPeerRejoinsFromItsOwnStateAndSeesWhatWasCreatedMeanwhile()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var leader = await cluster.WaitUniformAsync(cluster.Peers, 3);
        var follower = cluster.Peers.Last();
        var followerId = (await follower.ClusterAsync()).GetProperty("peer_id").GetUInt64();
        Assert.NotEqual(leader, followerId);

        follower.Server.Kill();
        var others = cluster.Peers.Where(p => p != follower).ToList();
        using (var created = await others[0].CreateCollectionAsync("while_down"))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using (var aliased = await others[1].Http.PostAsync("/collections/aliases", new StringContent(
            """{"actions":[{"create_alias":{"collection_name":"while_down","alias_name":"latest"}}]}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(aliased.IsSuccessStatusCode, await aliased.Content.ReadAsStringAsync());
        }

        // Same ports, same storage, same arguments (--bootstrap included): the local state wins.
        await follower.Server.RestartAsync();
        var status = await follower.ClusterAsync();
        Assert.Equal(followerId, status.GetProperty("peer_id").GetUInt64());
        Assert.Contains("--uri and --bootstrap are ignored", follower.Server.StandardOutput, StringComparison.Ordinal);
        await cluster.WaitForAsync(async () => await follower.HasCollectionAsync("while_down"), "the restarted peer has the collection created while it was down");
        await cluster.WaitForAsync(async () => await follower.HasCollectionAsync("latest"), "the restarted peer resolves the alias created while it was down");
        await cluster.WaitUniformAsync(cluster.Peers, 3);
    }
}
