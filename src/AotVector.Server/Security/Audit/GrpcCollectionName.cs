using Wire = Qdrant.Client.Grpc;

namespace AotVector.Server.Security.Audit;

/// <summary>
/// The collection a gRPC request message names (its <c>collection_name</c> field), for the audit line; REST has
/// it in the route. Alias changes name several and get none, as on REST where they are in the body.
/// </summary>
internal static class GrpcCollectionName
{
    public static string? Of(object request) => request switch
    {
        Wire.CreateCollection r => r.CollectionName,
        Wire.UpdateCollection r => r.CollectionName,
        Wire.DeleteCollection r => r.CollectionName,
        Wire.GetCollectionInfoRequest r => r.CollectionName,
        Wire.CollectionExistsRequest r => r.CollectionName,
        Wire.ListCollectionAliasesRequest r => r.CollectionName,
        Wire.CollectionClusterInfoRequest r => r.CollectionName,
        Wire.UpdateCollectionClusterSetupRequest r => r.CollectionName,
        Wire.CreateShardKeyRequest r => r.CollectionName,
        Wire.DeleteShardKeyRequest r => r.CollectionName,
        Wire.ListShardKeysRequest r => r.CollectionName,
        Wire.CreateFieldIndexCollection r => r.CollectionName,
        Wire.DeleteFieldIndexCollection r => r.CollectionName,
        Wire.CreateVectorNameRequest r => r.CollectionName,
        Wire.DeleteVectorNameRequest r => r.CollectionName,
        Wire.UpsertPoints r => r.CollectionName,
        Wire.DeletePoints r => r.CollectionName,
        Wire.UpdatePointVectors r => r.CollectionName,
        Wire.DeletePointVectors r => r.CollectionName,
        Wire.SetPayloadPoints r => r.CollectionName,
        Wire.DeletePayloadPoints r => r.CollectionName,
        Wire.ClearPayloadPoints r => r.CollectionName,
        Wire.UpdateBatchPoints r => r.CollectionName,
        Wire.GetPoints r => r.CollectionName,
        Wire.ScrollPoints r => r.CollectionName,
        Wire.CountPoints r => r.CollectionName,
        Wire.FacetCounts r => r.CollectionName,
        Wire.QueryPoints r => r.CollectionName,
        Wire.QueryBatchPoints r => r.CollectionName,
        Wire.QueryPointGroups r => r.CollectionName,
        Wire.SearchMatrixPoints r => r.CollectionName,
        Wire.SearchPoints r => r.CollectionName,
        Wire.SearchBatchPoints r => r.CollectionName,
        Wire.SearchPointGroups r => r.CollectionName,
        Wire.RecommendPoints r => r.CollectionName,
        Wire.RecommendBatchPoints r => r.CollectionName,
        Wire.RecommendPointGroups r => r.CollectionName,
        Wire.DiscoverPoints r => r.CollectionName,
        Wire.DiscoverBatchPoints r => r.CollectionName,
        Wire.CreateSnapshotRequest r => r.CollectionName,
        Wire.ListSnapshotsRequest r => r.CollectionName,
        Wire.DeleteSnapshotRequest r => r.CollectionName,
        _ => null,
    };
}
