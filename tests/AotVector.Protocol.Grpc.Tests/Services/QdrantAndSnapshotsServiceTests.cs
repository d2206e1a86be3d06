using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Services;
using AotVector.Protocol.Grpc.Tests.TestSupport;
using AotVector.Testing.Fakes;
using Grpc.Core;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Tests.Services;

public sealed class QdrantAndSnapshotsServiceTests
{
    [Fact]
    public async Task HealthCheck_ReportsTitleAndVersion()
    {
        var reply = await new QdrantService().HealthCheck(new Wire.HealthCheckRequest(), TestServerCallContext.Create());

        Assert.Equal("qdrant - vector search engine", reply.Title);
        Assert.Equal("1.19.0", reply.Version);
    }

    [Fact]
    public async Task Snapshots_MapScopesAndDescriptions()
    {
        var api = new FakeSnapshotsApi();
        var service = new SnapshotsService(api);
        var context = TestServerCallContext.Create();

        var created = await service.Create(new Wire.CreateSnapshotRequest { CollectionName = "c" }, context);
        Assert.Equal(new SnapshotScope.Collection("c"), api.LastScope);
        Assert.Equal("c-1-2026-12-07-10-00-00.snapshot", created.SnapshotDescription.Name);
        Assert.Equal(1234, created.SnapshotDescription.Size);
        Assert.Equal(new string('a', 64), created.SnapshotDescription.Checksum);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero), created.SnapshotDescription.CreationTime.ToDateTimeOffset());

        var listed = await service.ListFull(new Wire.ListFullSnapshotsRequest(), context);
        Assert.IsType<SnapshotScope.Full>(api.LastScope);
        Assert.Equal(2, listed.SnapshotDescriptions.Count);
        Assert.False(listed.SnapshotDescriptions[1].HasChecksum);
        // Whole seconds, as the reference reports creation times.
        Assert.Equal(0, listed.SnapshotDescriptions[1].CreationTime.Nanos);

        await service.Delete(new Wire.DeleteSnapshotRequest { CollectionName = "c", SnapshotName = "s.snapshot" }, context);
        Assert.Equal("s.snapshot", api.LastName);
        Assert.Equal(new SnapshotScope.Collection("c"), api.LastScope);

        await service.DeleteFull(new Wire.DeleteFullSnapshotRequest { SnapshotName = "f.snapshot" }, context);
        Assert.Equal("f.snapshot", api.LastName);
        Assert.IsType<SnapshotScope.Full>(api.LastScope);
    }

    [Fact]
    public async Task Snapshots_EngineErrors_MapToStatuses()
    {
        var api = new FakeSnapshotsApi { Error = AvError.Forbidden("Global manage access is required") };
        var service = new SnapshotsService(api);
        var context = TestServerCallContext.Create();

        var denied = await Assert.ThrowsAsync<RpcException>(() => service.CreateFull(new Wire.CreateFullSnapshotRequest(), context));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        api.Error = AvError.NotFound("Snapshot ../x");
        var missing = await Assert.ThrowsAsync<RpcException>(() => service.Delete(new Wire.DeleteSnapshotRequest { CollectionName = "c", SnapshotName = "../x" }, context));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var unnamed = await Assert.ThrowsAsync<RpcException>(() => service.List(new Wire.ListSnapshotsRequest(), context));
        Assert.Equal(StatusCode.InvalidArgument, unnamed.StatusCode);
    }
}
