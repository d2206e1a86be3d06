using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// Changing a collection's replicas on a standalone server: refused on both wires with the reference's words and
/// statuses (REST 405, gRPC UNIMPLEMENTED), after the same validation.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    [Fact]
    public async Task ClusterSetup_Standalone_405AndUnimplemented_SameText()
    {
        using var grpc = new QdrantGrpcClient("127.0.0.1", Server.GrpcPort, null!);
        await Rest(HttpMethod.Put, "/collections/standalone_cluster", """{"vectors":{"size":2,"distance":"Dot"}}""");

        var rest = await RestError(HttpMethod.Post, "/collections/standalone_cluster/cluster", """{"drop_replica":{"shard_id":0,"peer_id":1}}""");
        var refused = await Assert.ThrowsAsync<RpcException>(() => grpc.Collections.UpdateCollectionClusterSetupAsync(new UpdateCollectionClusterSetupRequest
        {
            CollectionName = "standalone_cluster",
            DropReplica = new Replica { ShardId = 0, PeerId = 1 },
        }).ResponseAsync);

        Assert.Equal((405, "Qdrant is running in standalone mode"), (rest.Status, rest.Message));
        Assert.Equal((StatusCode.Unimplemented, "Qdrant is running in standalone mode"), (refused.StatusCode, refused.Status.Detail));
    }
}
