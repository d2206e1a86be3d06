namespace AotVector.Engine.Cluster;

/// <summary>
/// Where a new collection's replicas go, by the reference's rule: peers ordered by how many replicas they already
/// hold (fewest first), ties broken by a random bias and then the peer id; each shard takes
/// min(replication_factor, peers) distinct peers from the front, and every pick counts towards its peer's load.
/// Computed once by the proposer and carried in the operation, so every peer applies the same placement.
/// </summary>
public static class ShardPlacementPlanner
{
    public static List<List<ulong>> Propose(uint shardNumber, uint replicationFactor, IReadOnlyDictionary<ulong, int> loadByPeer, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfZero(shardNumber);
        if (loadByPeer.Count == 0)
        {
            throw new ArgumentException("no peers to place shards on", nameof(loadByPeer));
        }

        var queue = new PriorityQueue<ulong, (int Load, int Bias, ulong Peer)>();
        foreach (var (peer, load) in loadByPeer.OrderBy(p => p.Key))
        {
            queue.Enqueue(peer, (load, random.Next(), peer));
        }

        var replicas = (int)Math.Min(Math.Max(replicationFactor, 1u), (uint)loadByPeer.Count);
        var placement = new List<List<ulong>>((int)shardNumber);
        var taken = new List<(ulong Peer, (int Load, int Bias, ulong Peer) Priority)>(replicas);
        for (var shard = 0u; shard < shardNumber; shard++)
        {
            taken.Clear();
            for (var i = 0; i < replicas; i++)
            {
                queue.TryDequeue(out var peer, out var priority);
                taken.Add((peer, priority));
            }

            placement.Add(taken.Select(t => t.Peer).Order().ToList());
            foreach (var (peer, priority) in taken)
            {
                queue.Enqueue(peer, (priority.Load + 1, priority.Bias, peer));
            }
        }

        return placement;
    }
}
