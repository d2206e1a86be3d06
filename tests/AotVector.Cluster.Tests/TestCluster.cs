using System.Text.Json;

namespace AotVector.Cluster.Tests;

/// <summary>
/// Peers of the published binary on loopback, started the reference's way: the first with <c>--uri</c>, the others
/// with <c>--bootstrap</c> pointing at it. Polls every 200 ms for at most 30 s, as the reference's test helpers do.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private TestCluster(List<ClusterPeer> peers) => Peers = peers;

    public List<ClusterPeer> Peers { get; }

    public static async Task<TestCluster> StartAsync(int count, bool tls = false, Action<ServerProcess, ServerOptions>? configure = null)
    {
        var peers = new List<ClusterPeer>();
        var cluster = new TestCluster(peers);
        try
        {
            var first = ClusterPeer.Create(null, tls, configure);
            peers.Add(first);
            first.Server.Start();
            await first.Server.WaitReadyAsync();
            for (var i = 1; i < count; i++)
            {
                var peer = ClusterPeer.Create(first.Uri, tls, configure);
                peers.Add(peer);
                peer.Server.Start();
                await peer.Server.WaitReadyAsync();
            }

            await cluster.WaitUniformAsync(peers, count);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until every one of <paramref name="peers"/> names the same leader and lists <paramref name="size"/> peers; returns the leader's id.</summary>
    public async Task<ulong> WaitUniformAsync(IReadOnlyList<ClusterPeer> peers, int size, ulong? notLeader = null)
    {
        string last = "";
        var deadline = DateTime.UtcNow + WaitLimit;
        while (DateTime.UtcNow < deadline)
        {
            var leaders = new HashSet<ulong>();
            var uniform = true;
            var states = new List<string>();
            foreach (var peer in peers)
            {
                if (await peer.TryClusterAsync() is not { } status)
                {
                    uniform = false;
                    break;
                }

                states.Add(status.ToString());
                var leader = status.GetProperty("raft_info").GetProperty("leader");
                if (leader.ValueKind != JsonValueKind.Number || status.GetProperty("peers").EnumerateObject().Count() != size)
                {
                    uniform = false;
                    break;
                }

                leaders.Add(leader.GetUInt64());
            }

            last = string.Join("\n", states);
            if (uniform && leaders.Count == 1 && leaders.First() != notLeader)
            {
                return leaders.First();
            }

            await Task.Delay(200);
        }

        Assert.Fail($"peers did not agree on a leader and {size} peers within {WaitLimit.TotalSeconds} s; last /cluster answers:\n{last}\n{Logs()}");
        return 0;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="what"/> after 30 s.</summary>
    public async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"not within {WaitLimit.TotalSeconds} s: {what}\n{Logs()}");
    }

    public async Task<ClusterPeer> PeerByIdAsync(ulong id)
    {
        foreach (var peer in Peers)
        {
            if (!peer.Server.HasExited && await peer.TryClusterAsync() is { } status && status.GetProperty("peer_id").GetUInt64() == id)
            {
                return peer;
            }
        }

        Assert.Fail($"no running peer has id {id}\n{Logs()}");
        return null!;
    }

    public string Logs() => string.Join("\n", Peers.Select((p, i) => $"=== peer {i} ({p.Uri}) ===\n{p.Server.Logs(3000)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in Peers)
        {
            await peer.DisposeAsync();
        }
    }
}
