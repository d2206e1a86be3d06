using AotVector.Engine.Api;
using AotVector.Engine.Cluster;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Tests;

/// <summary>A collection's configuration changes and payload index schema as the cluster metadata agrees on them.</summary>
public sealed class ClusterSchemaMetadataTests
{
    private static ClusterMetadata WithCollection(ulong peer = 1)
    {
        var metadata = new ClusterMetadata(peer);
        metadata.Apply(MetaOp.AddPeer(1, "http://a:6335/"));
        metadata.Apply(MetaOp.CreateCollection("c", "{\"v\":1}", [[1]]));
        return metadata;
    }

    [Fact]
    public void UpdateAppliesOnlyOverTheConfigurationItWasComputedFrom()
    {
        var metadata = WithCollection();
        Assert.True(metadata.Apply(MetaOp.UpdateCollection("c", "{\"v\":2}", "{\"v\":1}")).IsOk);
        Assert.Equal("{\"v\":2}", metadata.Collection("c")!.Config);

        // Computed from the old configuration: applying it would lose the change above.
        var stale = metadata.Apply(MetaOp.UpdateCollection("c", "{\"v\":3}", "{\"v\":1}"));
        Assert.Equal(Common.Errors.ErrorKind.PreconditionFailed, stale.Error.Kind);
        Assert.Equal("{\"v\":2}", metadata.Collection("c")!.Config);

        Assert.Equal(Common.Errors.ErrorKind.NotFound, metadata.Apply(MetaOp.UpdateCollection("missing", "{}", "{}")).Error.Kind);
    }

    [Fact]
    public void PayloadIndexesAreAgreedAndSurviveASnapshot()
    {
        var metadata = WithCollection();
        var index = OperationCodec.Encode(new CreateFieldIndex("color", PayloadSchemaType.Keyword));
        Assert.True(metadata.Apply(MetaOp.CreatePayloadIndex("c", "color", index)).IsOk);
        Assert.True(metadata.Apply(MetaOp.CreatePayloadIndex("c", "n", OperationCodec.Encode(new CreateFieldIndex("n", PayloadSchemaType.Integer)))).IsOk);
        Assert.True(metadata.Apply(MetaOp.DropPayloadIndex("c", "n")).IsOk);
        Assert.False(metadata.Apply(MetaOp.CreatePayloadIndex("missing", "color", index)).IsOk);

        var restored = new ClusterMetadata(1);
        restored.Restore(metadata.Save());
        var agreed = restored.Collection("c")!;
        Assert.Equal(["color"], agreed.PayloadIndexes.Keys);
        Assert.Equal(new CreateFieldIndex("color", PayloadSchemaType.Keyword), OperationCodec.Decode(agreed.PayloadIndexes["color"]));
        Assert.Equal(metadata.Save(), restored.Save());
    }

    [Fact]
    public void SchemaChangesReachTheListenerInLogOrderAndTheOperationsRoundTrip()
    {
        var metadata = WithCollection();
        var listener = new Recorder();
        metadata.Listener = listener;
        var ops = new[]
        {
            MetaOp.UpdateCollection("c", "{\"v\":2}", "{\"v\":1}"),
            MetaOp.CreatePayloadIndex("c", "color", OperationCodec.Encode(new CreateFieldIndex("color", PayloadSchemaType.Keyword))),
            MetaOp.DropPayloadIndex("c", "color"),
        };
        foreach (var op in ops)
        {
            var decoded = ClusterMetadata.Decode(ClusterMetadata.Encode(op))!;
            Assert.Equal(op.Kind, decoded.Kind);
            Assert.Equal(op.FieldIndex, decoded.FieldIndex);
            Assert.True(metadata.Apply(decoded).IsOk);
        }

        Assert.Equal(["c:", "c:color", "c:color"], listener.Changes);
    }

    private sealed class Recorder : IClusterMetadataListener, ICollectionSchemaListener
    {
        public List<string> Changes { get; } = [];

        public void SchemaChanged(string collection, string? field) => Changes.Add($"{collection}:{field}");

        public void CollectionCreated(string name, string config, IReadOnlyList<uint> localShards)
        {
        }

        public void CollectionDeleted(string name)
        {
        }

        public void AliasesChanged(IReadOnlyList<AliasChange> changes)
        {
        }

        public void ReplicaStateChanged(string collection, uint shardId, ulong peerId, ReplicaState state)
        {
        }

        public void PeerRemoved(ulong peerId)
        {
        }

        public void Reset(ClusterMetadata metadata)
        {
        }
    }
}
