using AotVector.Protocol.Grpc.Services;
using AotVector.Protocol.Grpc.Tests.TestSupport;
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
    public async Task Snapshots_EveryRpcIsUnimplemented()
    {
        var service = new SnapshotsService();
        var context = TestServerCallContext.Create();
        var calls = new Func<Task>[]
        {
            () => service.Create(new Wire.CreateSnapshotRequest(), context),
            () => service.List(new Wire.ListSnapshotsRequest(), context),
            () => service.Delete(new Wire.DeleteSnapshotRequest(), context),
            () => service.CreateFull(new Wire.CreateFullSnapshotRequest(), context),
            () => service.ListFull(new Wire.ListFullSnapshotsRequest(), context),
            () => service.DeleteFull(new Wire.DeleteFullSnapshotRequest(), context),
        };

        foreach (var call in calls)
        {
            var exception = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.Unimplemented, exception.StatusCode);
            Assert.Equal("snapshots are not supported yet", exception.Status.Detail);
        }
    }
}
