using AotVector.Common.Errors;
using AotVector.Engine.Api;
using static AotVector.Engine.Tests.Snapshots.SnapshotFixture;

namespace AotVector.Engine.Tests.Snapshots;

/// <summary>The reference's permission table for snapshots, operation by operation.</summary>
public sealed class SnapshotAccessTests
{
    public enum Who
    {
        Manage,
        GlobalRead,
        CollectionRead,
        CollectionReadWrite,
        CollectionPointsReadWrite,
        OtherCollection,
    }

    private static AccessContext Context(Who who) => who switch
    {
        Who.Manage => AccessContext.Full,
        Who.GlobalRead => AccessContext.ReadOnly,
        Who.CollectionRead => new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["c"] = AccessLevel.Read }),
        Who.CollectionReadWrite => new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["c"] = AccessLevel.ReadWrite }),
        Who.CollectionPointsReadWrite => new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["c"] = AccessLevel.PointsReadWrite }),
        Who.OtherCollection => new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["other"] = AccessLevel.ReadWrite }),
    };

    // Allowed: list/open need read but not points-only; create/delete need rw; upload and recover need manage;
    // full snapshots: list/open need global read, create/delete manage.
    [Theory]
    [InlineData(Who.Manage, "LCODUR", "LCOD")]
    [InlineData(Who.GlobalRead, "LO", "LO")]
    [InlineData(Who.CollectionRead, "LO", "")]
    [InlineData(Who.CollectionReadWrite, "LCOD", "")]
    [InlineData(Who.CollectionPointsReadWrite, "", "")]
    [InlineData(Who.OtherCollection, "", "")]
    public void EveryOperation_FollowsTheTable(Who who, string collectionOps, string fullOps)
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 2);
        var existing = f.Create(new SnapshotScope.Collection("c")).Name;
        var fullExisting = f.Create(new SnapshotScope.Full()).Name;
        var access = Context(who);
        var spare = Path.Combine(f.Root, "spare.snapshot");
        File.Copy(f.PathOf(new SnapshotScope.Collection("c"), existing), spare);

        foreach (var scope in new SnapshotScope[] { new SnapshotScope.Collection("c"), new SnapshotScope.Shard("c", 0) })
        {
            var name = scope is SnapshotScope.Shard ? f.Create(scope).Name : existing;
            Check(collectionOps, 'L', f.Engine.ListSnapshots(access, scope), who);
            var opened = f.Engine.OpenSnapshot(access, scope, name);
            Check(collectionOps, 'O', opened, who);
            opened.Value?.Content.Dispose();
            Check(collectionOps, 'C', f.Engine.CreateSnapshotAsync(access, scope, default).Sync(), who);
            Check(collectionOps, 'D', f.Engine.DeleteSnapshotAsync(access, scope, name, default).Sync(), who);
            var upload = f.Engine.ReserveUpload(access, scope);
            Check(collectionOps, 'U', upload, who);
            var source = upload.IsOk ? new SnapshotSource.Uploaded(upload.Value!) : (SnapshotSource)new SnapshotSource.LocalFile("/nonexistent");
            if (upload.IsOk)
            {
                File.Copy(spare, upload.Value!);
            }

            Check(collectionOps, 'R', f.Engine.RecoverSnapshotAsync(access, scope, new SnapshotRecoverRequest(source, null, null), default).Sync(), who);
        }

        var full = new SnapshotScope.Full();
        Check(fullOps, 'L', f.Engine.ListSnapshots(access, full), who, global: true);
        var fullOpened = f.Engine.OpenSnapshot(access, full, fullExisting);
        Check(fullOps, 'O', fullOpened, who, global: true);
        fullOpened.Value?.Content.Dispose();
        Check(fullOps, 'C', f.Engine.CreateSnapshotAsync(access, full, default).Sync(), who, global: true);
        Check(fullOps, 'D', f.Engine.DeleteSnapshotAsync(access, full, fullExisting, default).Sync(), who, global: true);
    }

    private static void Check<T>(string allowed, char op, Result<T> result, Who who, bool global = false)
    {
        if (allowed.Contains(op, StringComparison.Ordinal))
        {
            Assert.True(result.IsOk, $"{who} {op}: {(result.IsOk ? "" : result.Error.Message)}");
            return;
        }

        Assert.False(result.IsOk, $"{who} {op} was allowed");
        Assert.Equal(ErrorKind.Forbidden, result.Error!.Kind);
        if (who == Who.CollectionPointsReadWrite && !global && op is 'L' or 'O' or 'C' or 'D')
        {
            Assert.Equal("Forbidden: Only points access is allowed for collection c", result.Error.Message);
        }
    }
}
