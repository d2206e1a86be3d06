using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// gRPC <c>UpdateCollectionClusterSetup</c> to the engine's <see cref="ClusterOperation"/> (the same checks as REST,
/// with gRPC's validation envelope), and the running transfers of <c>CollectionClusterInfo</c> back.
/// </summary>
internal static class ClusterSetupMapping
{
    public static Result<ClusterOperation> ToEngine(Wire.UpdateCollectionClusterSetupRequest request)
    {
        ClusterOperation? operation = request.OperationCase switch
        {
            Wire.UpdateCollectionClusterSetupRequest.OperationOneofCase.MoveShard => Move(request.MoveShard),
            Wire.UpdateCollectionClusterSetupRequest.OperationOneofCase.ReplicateShard => Replicate(request.ReplicateShard),
            Wire.UpdateCollectionClusterSetupRequest.OperationOneofCase.AbortTransfer => Abort(request.AbortTransfer),
            Wire.UpdateCollectionClusterSetupRequest.OperationOneofCase.DropReplica => new DropReplica(request.DropReplica.ShardId, request.DropReplica.PeerId),
            Wire.UpdateCollectionClusterSetupRequest.OperationOneofCase.RestartTransfer => Restart(request.RestartTransfer),
            _ => null,
        };

        if (operation is null)
        {
            return request.OperationCase switch
            {
                Wire.UpdateCollectionClusterSetupRequest.OperationOneofCase.CreateShardKey => Unsupported.ClusterOperation("create_sharding_key"),
                Wire.UpdateCollectionClusterSetupRequest.OperationOneofCase.DeleteShardKey => Unsupported.ClusterOperation("drop_sharding_key"),
                Wire.UpdateCollectionClusterSetupRequest.OperationOneofCase.ReplicatePoints => Unsupported.ClusterOperation("replicate_points"),
                _ => GrpcErrors.InvalidField("operation", "an operation is required"),
            };
        }

        return ClusterOperationRules.Validate(operation) is var (field, problem) ? GrpcErrors.InvalidField(field, problem) : operation;
    }

    public static Wire.ShardTransferInfo ToWire(ShardTransferInfo transfer) =>
        new() { ShardId = transfer.ShardId, From = transfer.From, To = transfer.To, Sync = transfer.Sync };

    private static MoveShard Move(Wire.MoveShard m) =>
        new(m.ShardId, m.FromPeerId, m.ToPeerId, m.HasMethod ? Method(m.Method) : null, m.HasToShardId ? m.ToShardId : null);

    private static ReplicateShard Replicate(Wire.ReplicateShard r) =>
        new(r.ShardId, r.FromPeerId, r.ToPeerId, r.HasMethod ? Method(r.Method) : null, r.HasToShardId ? r.ToShardId : null);

    private static AbortTransfer Abort(Wire.AbortShardTransfer a) =>
        new(a.ShardId, a.FromPeerId, a.ToPeerId, a.HasToShardId ? a.ToShardId : null);

    private static RestartTransfer Restart(Wire.RestartTransfer t) =>
        new(t.ShardId, t.FromPeerId, t.ToPeerId, Method(t.Method), t.HasToShardId ? t.ToShardId : null);

    private static ShardTransferMethod Method(Wire.ShardTransferMethod method) => method switch
    {
        Wire.ShardTransferMethod.Snapshot => ShardTransferMethod.Snapshot,
        Wire.ShardTransferMethod.WalDelta => ShardTransferMethod.WalDelta,
        Wire.ShardTransferMethod.ReshardingStreamRecords => ShardTransferMethod.ReshardingStreamRecords,
        _ => ShardTransferMethod.StreamRecords,
    };
}
