using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Tests.Snapshots;

namespace AotVector.Engine.Tests;

/// <summary>
/// A collection's <c>metadata</c> as the reference keeps it: stored with the config at create, shown in its info,
/// merged by PATCH key by key (a null removes its key), kept through a restart and a snapshot's recovery.
/// </summary>
public sealed class CollectionMetadataTests
{
    private static readonly AccessContext s_full = AccessContext.Full;

    [Fact]
    public void Create_Patch_Restart_Snapshot_KeepTheMergedMetadata()
    {
        using var f = new SnapshotFixture();
        var created = new Payload
        {
            ["team"] = PayloadValue.FromString("search"),
            ["model"] = PayloadValue.FromObject(new Payload { ["name"] = PayloadValue.FromString("e5"), ["dims"] = PayloadValue.FromInteger(384) }),
            ["drop"] = PayloadValue.True,
        };
        SnapshotFixture.Ok(f.Engine.CreateAsync(s_full, Request("m") with { Metadata = created }, default).Sync());
        Assert.Equal(created, Metadata(f, "m"));

        // Replaces "model" whole (no deep merge), removes "drop", adds "since", keeps "team".
        var patch = new Payload
        {
            ["model"] = PayloadValue.FromObject(new Payload { ["name"] = PayloadValue.FromString("bge") }),
            ["drop"] = PayloadValue.Null,
            ["since"] = PayloadValue.FromDouble(2.5),
        };
        SnapshotFixture.Ok(f.Engine.UpdateAsync(s_full, new UpdateCollectionRequest("m") { Metadata = patch }, default).Sync());
        var expected = new Payload
        {
            ["team"] = PayloadValue.FromString("search"),
            ["model"] = PayloadValue.FromObject(new Payload { ["name"] = PayloadValue.FromString("bge") }),
            ["since"] = PayloadValue.FromDouble(2.5),
        };
        Assert.Equal(expected, Metadata(f, "m"));
        Assert.Equal(["team", "model", "since"], Metadata(f, "m")!.Keys);

        // A PATCH without metadata leaves it alone.
        SnapshotFixture.Ok(f.Engine.UpdateAsync(s_full, new UpdateCollectionRequest("m", OnDiskPayload: false), default).Sync());
        Assert.Equal(expected, Metadata(f, "m"));

        f.Reopen();
        Assert.Equal(expected, Metadata(f, "m"));

        var snapshot = f.Create(new SnapshotScope.Collection("m"));
        SnapshotFixture.Ok(f.RecoverFile("restored", f.PathOf(new SnapshotScope.Collection("m"), snapshot.Name), snapshot.Checksum));
        Assert.Equal(expected, Metadata(f, "restored"));
    }

    [Fact]
    public void Patch_OfACollectionWithoutMetadata_StoresTheObjectAsGiven()
    {
        using var f = new SnapshotFixture();
        SnapshotFixture.Ok(f.Engine.CreateAsync(s_full, Request("plain"), default).Sync());
        Assert.Null(Metadata(f, "plain"));

        // As the reference's update_metadata: with nothing stored, the given object is taken whole, nulls included.
        var given = new Payload { ["a"] = PayloadValue.FromInteger(1), ["b"] = PayloadValue.Null };
        SnapshotFixture.Ok(f.Engine.UpdateAsync(s_full, new UpdateCollectionRequest("plain") { Metadata = given }, default).Sync());
        Assert.Equal(given, Metadata(f, "plain"));

        SnapshotFixture.Ok(f.Engine.UpdateAsync(s_full, new UpdateCollectionRequest("plain") { Metadata = new Payload { ["b"] = PayloadValue.Null } }, default).Sync());
        Assert.Equal(new Payload { ["a"] = PayloadValue.FromInteger(1) }, Metadata(f, "plain"));
    }

    /// <summary>In a cluster, a create is proposed as its resolved config; the metadata travels in it to every peer.</summary>
    [Fact]
    public void ClusterCreate_CarriesTheMetadataInTheAgreedConfig()
    {
        using var proposer = new SnapshotFixture();
        using var peer = new SnapshotFixture();
        var metadata = new Payload { ["owner"] = PayloadValue.FromString("ml"), ["n"] = PayloadValue.FromInteger(7) };

        var agreed = SnapshotFixture.Ok(proposer.Engine.PrepareCollection(s_full, Request("c") with { Metadata = metadata }));
        SnapshotFixture.Ok(peer.Engine.CreateAgreedCollection("c", agreed));

        Assert.Equal(metadata, Metadata(peer, "c"));
    }

    [Fact]
    public void MetadataGivenToCreate_IsCopied_NotShared()
    {
        using var f = new SnapshotFixture();
        var given = new Payload { ["a"] = PayloadValue.FromInteger(1) };
        SnapshotFixture.Ok(f.Engine.CreateAsync(s_full, Request("c") with { Metadata = given }, default).Sync());
        given["a"] = PayloadValue.FromInteger(2);
        Assert.Equal(PayloadValue.FromInteger(1), Metadata(f, "c")!["a"]);
    }

    private static CreateCollectionRequest Request(string name) =>
        new(name, new VectorsConfig(new VectorParams(2, Distance.Dot), null));

    private static Payload? Metadata(SnapshotFixture f, string name) => SnapshotFixture.Ok(f.Engine.GetInfo(s_full, name)).Config.Metadata;
}
