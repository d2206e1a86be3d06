using AotVector.Engine.Api;
using AotVector.Engine.Cluster;

namespace AotVector.Engine.Tests;

public sealed class ClusterMetadataTests
{
    [Fact]
    public void SameLogGivesSameStateAndAnswersOnEveryPeer()
    {
        var ops = new List<MetaOp>
        {
            MetaOp.AddPeer(7, "http://a:6335/"),
            MetaOp.AddPeer(9, "http://b:6335/"),
            MetaOp.AddPeer(11, "http://b:6335/"),
            MetaOp.CreateCollection("c", "{}", [[7, 9], [9]]),
            MetaOp.CreateCollection("c", "{}", [[7]]),
            MetaOp.ChangeAliases([new AliasChange(AliasChange.Create, "a", "c"), new AliasChange(AliasChange.Create, "b", "missing")]),
            MetaOp.ChangeAliases([new AliasChange(AliasChange.Create, "a", "c")]),
            MetaOp.SetReplicaState("c", 0, 9, ReplicaState.Dead, ReplicaState.Initializing),
        };
        var first = new ClusterMetadata(7);
        var second = new ClusterMetadata(9);
        var answers = ops.Select(op => (first.Apply(op).IsOk, second.Apply(op).IsOk)).ToList();

        Assert.All(answers, a => Assert.Equal(a.Item1, a.Item2));
        Assert.Equal([true, true, false, true, false, false, true, true], answers.Select(a => a.Item1));
        Assert.Equal(first.Save(), second.Save());
        Assert.Equal(ReplicaState.Dead, first.Collection("c")!.Shards[0][9]);
        Assert.Equal("c", first.Aliases["a"]);
        Assert.False(first.Aliases.ContainsKey("b"));
    }

    [Fact]
    public void RetriedOperationAppliesOnce()
    {
        var metadata = new ClusterMetadata(1);
        metadata.Apply(MetaOp.AddPeer(1, "http://a:6335/"));
        var create = MetaOp.CreateCollection("c", "{}", [[1]]);
        Assert.True(metadata.Apply(create).IsOk);
        var delete = MetaOp.DeleteCollection("c");
        Assert.True(metadata.Apply(delete).IsOk);
        // The create arrives again (a proposal retried after a lost answer): it must not bring the collection back.
        Assert.True(metadata.Apply(create).IsOk);
        Assert.Null(metadata.Collection("c"));
    }

    [Fact]
    public void SnapshotRoundTripsAndKeepsRememberedOperations()
    {
        var metadata = new ClusterMetadata(1);
        var add = MetaOp.AddPeer(1, "http://a:6335/");
        metadata.Apply(add);
        metadata.Apply(MetaOp.CreateCollection("c", "{\"x\":1}", [[1], [1]]));
        var restored = new ClusterMetadata(1);
        restored.Restore(metadata.Save());
        Assert.Equal(metadata.Save(), restored.Save());
        Assert.Equal(1UL, restored.FirstPeerId);
        Assert.Equal(2, restored.Collection("c")!.Shards.Count);
        Assert.True(restored.Apply(MetaOp.RemovePeer(1)).IsOk);
        Assert.True(restored.Apply(add).IsOk);
        Assert.Empty(restored.Peers);
    }

    [Fact]
    public void OperationsRoundTripThroughTheirEncoding()
    {
        var op = MetaOp.SetReplicaState("c", 3, 5, ReplicaState.Partial, ReplicaState.Active);
        Assert.Equal(op, ClusterMetadata.Decode(ClusterMetadata.Encode(op)));
        Assert.Null(ClusterMetadata.Decode("not json"u8));
    }

    [Fact]
    public void PlacementSpreadsReplicasOverTheLeastLoadedPeers()
    {
        var load = new Dictionary<ulong, int> { [1] = 0, [2] = 0, [3] = 5 };
        var placement = ShardPlacementPlanner.Propose(6, 2, load, new Random(42));
        Assert.Equal(6, placement.Count);
        Assert.All(placement, replicas => Assert.Equal(2, replicas.Distinct().Count()));
        var perPeer = placement.SelectMany(r => r).GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(12, perPeer.Values.Sum());
        // Peer 3 starts with 5 replicas: the others fill up to it before it gets more.
        Assert.True(perPeer.GetValueOrDefault(3UL) <= 2, string.Join(",", perPeer));
        Assert.Equal([1UL], ShardPlacementPlanner.Propose(1, 3, new Dictionary<ulong, int> { [1] = 0 }, new Random(1))[0]);
    }
}
