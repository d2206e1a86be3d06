using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Shards;

/// <summary>
/// A cluster collection's placement: for every shard id <c>0..shard_number-1</c> a <see cref="ReplicaSet"/> over this
/// peer's replica (when it holds one) and the other peers' replicas, points routed by the same
/// <see cref="HashRing"/> as standalone. Replicas and their states come from the agreed metadata
/// (<see cref="Apply"/>), so every peer routes a point to the same shard and writes it to the same replicas.
/// </summary>
public sealed class ReplicatedPlacement : IShardPlacement, IDisposable
{
    private readonly ReplicaSet[] _sets;
    private readonly HashRingPlacement _ring;

    public ReplicatedPlacement(string collection, uint shardNumber, ClusterLinks links, IReadOnlyDictionary<uint, IShard> local, int writeConsistencyFactor)
    {
        _sets = new ReplicaSet[Math.Max(shardNumber, 1u)];
        for (var id = 0u; id < _sets.Length; id++)
        {
            _sets[id] = new ReplicaSet(collection, id, links.PeerId, local.GetValueOrDefault(id), links.Remotes, links.Failures, writeConsistencyFactor);
        }

        _ring = new HashRingPlacement(_sets);
        PeerId = links.PeerId;
    }

    /// <summary>This peer's id.</summary>
    public ulong PeerId { get; }

    public IReadOnlyList<ReplicaSet> ReplicaSets => _sets;

    public IReadOnlyList<IShard> AllShards => _ring.AllShards;

    public IShard ShardFor(PointId id) => _ring.ShardFor(id);

    /// <summary>
    /// Makes every shard's replicas and states those agreed (shard id → peer id → state): new replicas are added,
    /// changed states set, replicas no longer listed dropped. A replica whose state did not change is left alone,
    /// so a peer this set stopped writing to stays stopped until consensus decides about it.
    /// </summary>
    public void Apply(IReadOnlyDictionary<uint, SortedDictionary<ulong, ReplicaState>> shards)
    {
        foreach (var set in _sets)
        {
            var agreed = shards.GetValueOrDefault(set.ShardId) ?? new SortedDictionary<ulong, ReplicaState>();
            var current = set.States;
            foreach (var (peer, state) in agreed)
            {
                if (!current.TryGetValue(peer, out var known) || known != state)
                {
                    set.SetReplica(peer, state);
                }
            }

            foreach (var peer in current.Keys)
            {
                if (!agreed.ContainsKey(peer))
                {
                    set.RemoveReplica(peer);
                }
            }
        }
    }

    public int WriteConsistencyFactor
    {
        set
        {
            foreach (var set in _sets)
            {
                set.WriteConsistencyFactor = value;
            }
        }
    }

    /// <summary>The same placement whose reads ask replicas as <paramref name="consistency"/> says (writes unchanged).</summary>
    public IShardPlacement Reading(ReadConsistency consistency) => new ConsistentReads(this, consistency);

    public void Dispose()
    {
        foreach (var set in _sets)
        {
            set.Dispose();
        }
    }

    private sealed class ConsistentReads : IShardPlacement
    {
        private readonly ReplicatedPlacement _whole;
        private readonly IShard[] _views;

        public ConsistentReads(ReplicatedPlacement whole, ReadConsistency consistency)
        {
            _whole = whole;
            _views = [.. whole._sets.Select(s => s.Reading(consistency))];
        }

        public IReadOnlyList<IShard> AllShards => _views;

        public IShard ShardFor(PointId id) => _views[_whole.ShardFor(id).ShardId];
    }
}
