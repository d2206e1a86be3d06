using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Engine.Shards;

namespace AotVector.Engine.Tests.Cluster;

/// <summary>
/// A cluster collection's placement built from the agreed metadata: one replica set per shard id, routed by the
/// standalone ring, over this peer's replicas where it holds them and the other peers' elsewhere; later metadata
/// changes states, adds and drops replicas; a read consistency reaches every set.
/// </summary>
public sealed class ReplicatedPlacementTests
{
    private const ulong ThisPeer = 1;

    private readonly Dictionary<uint, IShard> _local = new() { [0] = new FakeReplica(0), [2] = new FakeReplica(2) };
    private readonly ShardRemotes _remotes = new();
    private readonly FakeFailures _failures = new();

    private static SortedDictionary<ulong, ReplicaState> Replicas(params (ulong Peer, ReplicaState State)[] replicas) =>
        new(replicas.ToDictionary(r => r.Peer, r => r.State));

    private static Dictionary<uint, SortedDictionary<ulong, ReplicaState>> Agreed() => new()
    {
        [0] = Replicas((1, ReplicaState.Active), (2, ReplicaState.Active)),
        [1] = Replicas((2, ReplicaState.Active), (3, ReplicaState.Active)),
        [2] = Replicas((1, ReplicaState.Active), (3, ReplicaState.Active)),
    };

    private ReplicatedPlacement Build(int writeConsistencyFactor = 1)
    {
        var placement = new ReplicatedPlacement("c", 3, new ClusterLinks(ThisPeer, _remotes, _failures), _local, writeConsistencyFactor);
        placement.Apply(Agreed());
        return placement;
    }

    [Fact]
    public void Build_RoutesAsTheStandaloneRingOverReplicaSetsOfTheAgreedReplicas()
    {
        using var placement = Build();

        Assert.Equal([0u, 1u, 2u], placement.AllShards.Select(s => s.ShardId));
        Assert.Equal(Agreed().Select(s => s.Value.Keys.ToList()), placement.ReplicaSets.Select(s => s.States.Keys.Order().ToList()));
        var ring = HashRing.ForShardCount(3);
        for (var id = 0UL; id < 200; id++)
        {
            Assert.Equal(ring.ShardFor((PointId)id), placement.ShardFor((PointId)id).ShardId);
        }

        // Only shards 0 and 2 are held here, so only those reach a replica of this peer; the others' replicas are remote.
        Assert.Equal([(2UL, 0u), (2UL, 1u), (3UL, 1u), (3UL, 2u)], _remotes.Connected.Order());
    }

    [Fact]
    public void Write_ReachesEveryReplicaOfItsShard_LocalOnlyWhereHeld()
    {
        using var placement = Build();
        var upsert = new UpsertPoints([new PointStruct(7UL, new Dictionary<string, VectorData> { [""] = new[] { 1f } }, null)]);

        Assert.True(placement.ReplicaSets[0].Update(upsert, wait: true).IsOk);
        Assert.True(placement.ReplicaSets[1].Update(upsert, wait: true).IsOk);

        Assert.Equal(1, ((FakeReplica)_local[0]).Updates);
        Assert.Equal(0, ((FakeReplica)_local[2]).Updates);
        Assert.Equal((1, 1, 1), (_remotes.Replica(2, 0).Updates, _remotes.Replica(2, 1).Updates, _remotes.Replica(3, 1).Updates));
    }

    [Fact]
    public void Apply_ChangesStatesAddsAndDropsReplicas()
    {
        using var placement = Build();
        var changed = Agreed();
        changed[0][2] = ReplicaState.Dead;
        changed[1].Remove(3);
        changed[1][4] = ReplicaState.Initializing;

        placement.Apply(changed);

        Assert.Equal(ReplicaState.Dead, placement.ReplicaSets[0].States[2]);
        Assert.Equal([2UL, 4UL], placement.ReplicaSets[1].States.Keys.Order());
        Assert.Equal(ReplicaState.Initializing, placement.ReplicaSets[1].States[4]);
    }

    [Fact]
    public void Reading_WithAll_AsksEveryReplicaOfEveryShard()
    {
        using var placement = Build();
        foreach (var replica in _local.Values.Cast<FakeReplica>().Concat(_remotes.All))
        {
            replica.Points = 5;
        }

        var reading = placement.Reading(new ReadConsistency(ReadConsistencyKind.All));
        Assert.Equal(15UL, (ulong)reading.AllShards.Sum(s => (long)s.Count(null, CancellationToken.None)));
        Assert.All(_local.Values.Cast<FakeReplica>().Concat(_remotes.All), r => Assert.Equal(1, r.Reads));
        var onShard1 = Enumerable.Range(0, 100).Select(i => (PointId)(ulong)i).First(id => placement.ShardFor(id).ShardId == 1);
        Assert.Same(reading.AllShards[1], reading.ShardFor(onShard1));
    }

    /// <summary>Remote replicas by (peer, shard), made as the sets connect to them.</summary>
    private sealed class ShardRemotes : IRemoteShards
    {
        private readonly Dictionary<(ulong, uint), FakeReplica> _replicas = [];

        public IEnumerable<(ulong Peer, uint Shard)> Connected => _replicas.Keys;

        public IEnumerable<FakeReplica> All => _replicas.Values;

        public FakeReplica Replica(ulong peer, uint shard) => _replicas[(peer, shard)];

        public IShard Connect(ulong peerId, string collection, uint shardId)
        {
            if (!_replicas.TryGetValue((peerId, shardId), out var replica))
            {
                _replicas[(peerId, shardId)] = replica = new FakeReplica(shardId);
            }

            return replica;
        }

        public AotVector.Common.Errors.Result<UpdateResult> Coordinate(ulong peerId, string collection, uint shardId, UpdateOperation operation, bool wait) =>
            Replica(peerId, shardId).Update(operation, wait);
    }
}
