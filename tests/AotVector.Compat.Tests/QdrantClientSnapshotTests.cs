using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>The official client's snapshot calls (gRPC <c>qdrant.Snapshots</c>) against the AOT binary.</summary>
public sealed class QdrantClientSnapshotTests : ServerAndClient
{
    [Fact]
    public async Task CollectionSnapshots_CreateListDelete()
    {
        const string name = "compat_snapshots";
        await Client.CreateCollectionAsync(name, new VectorParams { Size = 2, Distance = Distance.Dot });
        await Client.UpsertAsync(name, [new PointStruct { Id = 1, Vectors = new[] { 1f, 0f } }]);

        var created = await Client.CreateSnapshotAsync(name);
        Assert.StartsWith(name + "-", created.Name, StringComparison.Ordinal);
        Assert.EndsWith(".snapshot", created.Name, StringComparison.Ordinal);
        Assert.True(created.Size > 0);
        Assert.Matches("^[0-9a-f]{64}$", created.Checksum);
        Assert.InRange(created.CreationTime.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var listed = await Client.ListSnapshotsAsync(name);
        var found = Assert.Single(listed, d => d.Name == created.Name);
        Assert.Equal(created.Size, found.Size);
        Assert.Equal(created.Checksum, found.Checksum);

        await Client.DeleteSnapshotAsync(name, created.Name);
        Assert.DoesNotContain(await Client.ListSnapshotsAsync(name), d => d.Name == created.Name);

        var missing = await Assert.ThrowsAsync<RpcException>(() => Client.DeleteSnapshotAsync(name, created.Name));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var noCollection = await Assert.ThrowsAsync<RpcException>(() => Client.CreateSnapshotAsync("no_such_collection"));
        Assert.Equal(StatusCode.NotFound, noCollection.StatusCode);
    }

    [Fact]
    public async Task FullSnapshots_CreateListDelete()
    {
        await Client.CreateCollectionAsync("compat_full", new VectorParams { Size = 2, Distance = Distance.Dot });

        var created = await Client.CreateFullSnapshotAsync();
        Assert.EndsWith(".snapshot", created.Name, StringComparison.Ordinal);
        Assert.True(created.Size > 0);
        Assert.Contains(await Client.ListFullSnapshotsAsync(), d => d.Name == created.Name);

        await Client.DeleteFullSnapshotAsync(created.Name);
        Assert.DoesNotContain(await Client.ListFullSnapshotsAsync(), d => d.Name == created.Name);
    }
}
