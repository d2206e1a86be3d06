using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AotVector.Cluster.Tests;

/// <summary>
/// Shard transfers over a 3-peer cluster, as the reference's stream transfer tests: a one-shard collection with named
/// dense, multi and sparse vectors is replicated onto a peer while another peer keeps writing (every write lands on
/// the target too), the original replica is dropped so only the target serves it, then it is moved to the third
/// peer; the cluster's own checks refuse what cannot be done.
/// </summary>
public sealed class TransferTests
{
    private const int Points = 250;

    [Fact]
    public async Task ShardIsReplicatedDroppedAndMovedWithItsPointsAndTheWritesMeanwhile()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var peers = cluster.Peers;
        var byId = new Dictionary<ulong, ClusterPeer>();
        foreach (var peer in peers)
        {
            byId[(await peer.ClusterAsync()).GetProperty("peer_id").GetUInt64()] = peer;
        }

        using (var created = await peers[0].Http.PutAsJsonAsync("/collections/t", new
        {
            vectors = new
            {
                a = new { size = 4, distance = "Dot" },
                m = new { size = 2, distance = "Dot", multivector_config = new { comparator = "max_sim" } },
            },
            sparse_vectors = new { s = new { } },
            shard_number = 1,
            replication_factor = 1,
        }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        foreach (var peer in peers)
        {
            await cluster.WaitForAsync(async () => await TryReplicasAsync(peer) is { Count: 1 } r && r.Values.All(s => s == "Active"), "every peer sees the one replica Active");
        }

        var holder = (await ReplicasAsync(peers[0])).Keys.Single();
        var others = byId.Keys.Where(id => id != holder).Order().ToList();
        var (target, third) = (others[0], others[1]);
        await UpsertAsync(peers[0], 1, Points);
        using (var indexed = await peers[0].Http.PutAsJsonAsync("/collections/t/index?wait=true", new { field_name = "tag", field_schema = "keyword" }))
        {
            Assert.True(indexed.IsSuccessStatusCode, await indexed.Content.ReadAsStringAsync());
        }

        // Replicate onto `target` while `third` keeps writing new points through its own replica set (the target is
        // Partial there, so it receives them too), until the transfer has finished.
        // It also deletes and edits points the source may have streamed already or not yet: none comes back.
        var finished = false;
        var written = 0;
        var deleted = new HashSet<int>();
        var edited = new HashSet<int>();
        var writer = Task.Run(async () =>
        {
            for (var batch = 0; !Volatile.Read(ref finished) || batch < 5; batch++)
            {
                await UpsertAsync(byId[third], 1000 + (batch * 5), 5);
                Interlocked.Add(ref written, 5);
                var (gone, changed) = (200 + (batch % 40), 100 + (batch % 40));
                await WriteAsync(byId[third], "/collections/t/points/delete?wait=true", new { points = new[] { gone, gone - 180 } });
                await WriteAsync(byId[third], "/collections/t/points/payload?wait=true", new { payload = new { edited = true }, points = new[] { changed, changed + 40 } });
                lock (deleted)
                {
                    deleted.UnionWith([gone, gone - 180]);
                    edited.UnionWith([changed, changed + 40]);
                }
            }
        });
        await ClusterOpAsync(peers[1], $$$"""{"replicate_shard":{"shard_id":0,"from_peer_id":{{{holder}}},"to_peer_id":{{{target}}}}}""");
        await cluster.WaitForAsync(async () => await ReplicasAsync(peers[1]) is { Count: 2 } r && r.Values.All(s => s == "Active") && await TransfersAsync(peers[1]) == 0,
            "the replicated shard is Active on both peers and no transfer runs");
        Volatile.Write(ref finished, true);
        await writer;
        var total = Points + written - deleted.Count;

        // Drop the original: every read is now served by the transferred replica, which holds every point.
        await ClusterOpAsync(peers[2], $$$"""{"drop_replica":{"shard_id":0,"peer_id":{{{holder}}}}}""");
        await cluster.WaitForAsync(async () => (await ReplicasAsync(byId[holder])).Keys.SequenceEqual([target]) && await LocalPointsAsync(byId[holder]) is null,
            "the dropped replica is gone from the cluster and from its peer");

        // A peer that has not applied the drop yet still routes reads to the dropped replica; wait until none does.
        foreach (var peer in peers)
        {
            await cluster.WaitForAsync(async () => (await ReplicasAsync(peer)).Keys.SequenceEqual([target]), "every peer sees only the transferred replica");
        }

        Assert.False(Directory.Exists(Path.Combine(byId[holder].Server.StoragePath, "collections", "t", "0")));
        Assert.Equal(total, await LocalPointsAsync(byId[target]));
        foreach (var peer in peers)
        {
            Assert.Equal(total, await CountAsync(peer));
        }

        await AssertPointAsync(peers[0], 7);
        Assert.Equal("keyword", await IndexedTypeAsync(byId[target], "tag"));
        Assert.Empty(await RetrieveAsync(peers[0], deleted));
        Assert.All(await RetrieveAsync(peers[0], edited), p => Assert.True(p.GetProperty("payload").GetProperty("edited").GetBoolean()));
        Assert.Equal(edited.Count, (await RetrieveAsync(peers[0], edited)).Count);
        await AssertPointAsync(peers[0], 1000 + written - 1);

        // Move it on to the third peer: the source's replica goes when the target is Active.
        await ClusterOpAsync(peers[0], $$$"""{"move_shard":{"shard_id":0,"from_peer_id":{{{target}}},"to_peer_id":{{{third}}},"method":"stream_records"}}""");
        await cluster.WaitForAsync(async () => (await ReplicasAsync(peers[0])) is { Count: 1 } r && r.GetValueOrDefault(third) == "Active" && await TransfersAsync(peers[0]) == 0,
            "the moved shard is Active on the third peer only");
        await cluster.WaitForAsync(async () => await LocalPointsAsync(byId[target]) is null, "the move's source dropped its replica");
        foreach (var peer in peers)
        {
            await cluster.WaitForAsync(async () => (await ReplicasAsync(peer)) is { Count: 1 } r && r.GetValueOrDefault(third) == "Active", "every peer sees the moved replica only");
        }

        Assert.Equal(total, await LocalPointsAsync(byId[third]));
        Assert.Equal(total, await CountAsync(byId[holder]));
        await AssertPointAsync(byId[target], 3);

        // What the agreed state refuses, in the reference's words.
        await RefusedAsync(peers[0], """{"replicate_shard":{"shard_id":5,"from_peer_id":1,"to_peer_id":2}}""", 400, "Bad request: Shard 5 of t does not exist");
        await RefusedAsync(peers[0], $$$"""{"replicate_shard":{"shard_id":0,"from_peer_id":{{{third}}},"to_peer_id":12345}}""", 400, "Bad request: Peer 12345 does not exist");
        await RefusedAsync(peers[0], $$$"""{"replicate_shard":{"shard_id":0,"from_peer_id":{{{target}}},"to_peer_id":{{{holder}}}}}""", 400, $"Bad request: Shard 0 is not active on peer {target}");
        await RefusedAsync(peers[0], $$$"""{"abort_transfer":{"shard_id":0,"from_peer_id":{{{third}}},"to_peer_id":{{{holder}}}}}""", 404, $"Not found: Shard transfer {third} -> {holder} for collection t:0 does not exist");
        await RefusedAsync(peers[0], $$$"""{"drop_replica":{"shard_id":0,"peer_id":{{{third}}}}}""", 400, $"Bad request: Shard 0 must have at least one active replica after removing {third}");
        await RefusedAsync(peers[0], $$$"""{"replicate_shard":{"shard_id":0,"from_peer_id":{{{third}}},"to_peer_id":{{{holder}}},"method":"snapshot"}}""", 400,
            "Wrong input: the shard transfer method `snapshot` is not supported yet, use `stream_records`");
    }

    [Fact]
    public async Task TransferFromADeadSourceIsAbortedAndRecoveredWhenItIsBack()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var peers = cluster.Peers;
        using (var created = await peers[0].Http.PutAsJsonAsync("/collections/t", new
        {
            vectors = new { a = new { size = 4, distance = "Dot" }, m = new { size = 2, distance = "Dot", multivector_config = new { comparator = "max_sim" } } },
            sparse_vectors = new { s = new { } },
            shard_number = 1,
            replication_factor = 1,
        }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        foreach (var peer in peers)
        {
            await cluster.WaitForAsync(async () => await TryReplicasAsync(peer) is { Count: 1 } r && r.Values.All(s => s == "Active"), "every peer sees the one replica Active");
        }

        await UpsertAsync(peers[0], 1, 50);
        var holderId = (await ReplicasAsync(peers[0])).Keys.Single();
        var holder = await cluster.PeerByIdAsync(holderId);
        var others = peers.Where(p => p != holder).ToList();
        var targetId = (await others[0].ClusterAsync()).GetProperty("peer_id").GetUInt64();

        // The source is down (nothing wrote to it, so it is still Active): the transfer cannot stream, and its target
        // gives it up through consensus instead of waiting forever, leaving its replica Dead.
        holder.Server.Kill();
        await cluster.WaitUniformAsync(others, 3, notLeader: holderId);
        await ClusterOpAsync(others[1], $$$"""{"replicate_shard":{"shard_id":0,"from_peer_id":{{{holderId}}},"to_peer_id":{{{targetId}}}}}""");
        await cluster.WaitForAsync(async () => (await ReplicasAsync(others[1])).GetValueOrDefault(targetId) == "Dead", "the transfer from the dead source is aborted");

        // Once the source is back, the target's recovery brings its replica up with every point.
        await holder.Server.RestartAsync();
        await cluster.WaitForAsync(async () => await ReplicasAsync(others[1]) is { Count: 2 } r && r.Values.All(s => s == "Active") && await TransfersAsync(others[1]) == 0,
            "the target recovered from the restarted source");
        Assert.Equal(50, await LocalPointsAsync(others[0]));
    }

    private static async Task WriteAsync(ClusterPeer peer, string path, object body)
    {
        using var response = await peer.Http.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<JsonElement>> RetrieveAsync(ClusterPeer peer, IEnumerable<int> ids)
    {
        using var response = await peer.Http.PostAsJsonAsync("/collections/t/points", new { ids, with_payload = true });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("result").EnumerateArray().Select(p => p.Clone())];
    }

    private static async Task ClusterOpAsync(ClusterPeer peer, string body)
    {
        using var response = await peer.Http.PostAsync("/collections/t/cluster?timeout=20", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{body}: {(int)response.StatusCode} {text}");
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("result").GetBoolean());
    }

    private static async Task RefusedAsync(ClusterPeer peer, string body, int status, string message)
    {
        using var response = await peer.Http.PostAsync("/collections/t/cluster", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{body}: {(int)response.StatusCode} {text}");
        Assert.Equal(message, JsonDocument.Parse(text).RootElement.GetProperty("status").GetProperty("error").GetString());
    }

    private static async Task<JsonElement> InfoAsync(ClusterPeer peer)
    {
        using var response = await peer.Http.GetAsync("/collections/t/cluster");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("result").Clone();
    }

    /// <summary>Shard 0's replicas (peer id → state) as <paramref name="peer"/> sees them.</summary>
    private static async Task<Dictionary<ulong, string>> ReplicasAsync(ClusterPeer peer)
    {
        var info = await InfoAsync(peer);
        var self = info.GetProperty("peer_id").GetUInt64();
        var replicas = info.GetProperty("local_shards").EnumerateArray().ToDictionary(_ => self, s => s.GetProperty("state").GetString()!);
        foreach (var remote in info.GetProperty("remote_shards").EnumerateArray())
        {
            replicas[remote.GetProperty("peer_id").GetUInt64()] = remote.GetProperty("state").GetString()!;
        }

        return replicas;
    }

    private static async Task<Dictionary<ulong, string>?> TryReplicasAsync(ClusterPeer peer)
    {
        using var response = await peer.Http.GetAsync("/collections/t/cluster");
        return response.IsSuccessStatusCode ? await ReplicasAsync(peer) : null;
    }

    /// <summary>The type of <paramref name="field"/>'s payload index on the peer's own replicas, null when it has none.</summary>
    private static async Task<string?> IndexedTypeAsync(ClusterPeer peer, string field)
    {
        using var response = await peer.Http.GetAsync("/collections/t");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("result").GetProperty("payload_schema").TryGetProperty(field, out var index)
            ? index.GetProperty("data_type").GetString()
            : null;
    }

    private static async Task<int> TransfersAsync(ClusterPeer peer) => (await InfoAsync(peer)).GetProperty("shard_transfers").GetArrayLength();

    /// <summary>The points of this peer's own replica, null when it holds none.</summary>
    private static async Task<int?> LocalPointsAsync(ClusterPeer peer) =>
        (await InfoAsync(peer)).GetProperty("local_shards").EnumerateArray().Select(s => (int?)s.GetProperty("points_count").GetInt32()).SingleOrDefault();

    private static object PointOf(int i) => new
    {
        id = i,
        vector = new Dictionary<string, object>
        {
            ["a"] = new[] { i, 1f, -i, 0.5f },
            ["m"] = new[] { new[] { i, 1f }, new[] { 2f, -i } },
            ["s"] = new { indices = new[] { 3, 17 }, values = new[] { 1f, i } },
        },
        payload = new { n = i, tag = "p" + i },
    };

    private static async Task UpsertAsync(ClusterPeer peer, int first, int count)
    {
        using var response = await peer.Http.PutAsJsonAsync("/collections/t/points?wait=true", new { points = Enumerable.Range(first, count).Select(PointOf) });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<int> CountAsync(ClusterPeer peer)
    {
        using var response = await peer.Http.PostAsJsonAsync("/collections/t/points/count", new { exact = true });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("result").GetProperty("count").GetInt32();
    }

    /// <summary>Point <paramref name="i"/> comes back with every vector kind and its payload as written.</summary>
    private static async Task AssertPointAsync(ClusterPeer peer, int i)
    {
        using var response = await peer.Http.PostAsJsonAsync("/collections/t/points", new { ids = new[] { i }, with_payload = true, with_vector = true });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var point = Assert.Single(JsonDocument.Parse(body).RootElement.GetProperty("result").EnumerateArray());
        var vectors = point.GetProperty("vector");
        Assert.Equal([i, 1f, -i, 0.5f], vectors.GetProperty("a").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal([[i, 1f], [2f, -i]], vectors.GetProperty("m").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()));
        Assert.Equal([3, 17], vectors.GetProperty("s").GetProperty("indices").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([1f, i], vectors.GetProperty("s").GetProperty("values").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal("p" + i, point.GetProperty("payload").GetProperty("tag").GetString());
    }
}
