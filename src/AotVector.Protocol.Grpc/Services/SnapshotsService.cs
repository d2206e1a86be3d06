using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Services;

/// <summary><c>qdrant.Snapshots</c>: every RPC answers UNIMPLEMENTED with the snapshots refusal until snapshots exist in the engine.</summary>
internal sealed class SnapshotsService : Snapshots.SnapshotsBase
{
    private static RpcException Refused => GrpcErrors.ToRpcException(Unsupported.Api(UnsupportedApi.Snapshots));

    public override Task<CreateSnapshotResponse> Create(CreateSnapshotRequest request, ServerCallContext context) => throw Refused;

    public override Task<ListSnapshotsResponse> List(ListSnapshotsRequest request, ServerCallContext context) => throw Refused;

    public override Task<DeleteSnapshotResponse> Delete(DeleteSnapshotRequest request, ServerCallContext context) => throw Refused;

    public override Task<CreateSnapshotResponse> CreateFull(CreateFullSnapshotRequest request, ServerCallContext context) => throw Refused;

    public override Task<ListSnapshotsResponse> ListFull(ListFullSnapshotsRequest request, ServerCallContext context) => throw Refused;

    public override Task<DeleteSnapshotResponse> DeleteFull(DeleteFullSnapshotRequest request, ServerCallContext context) => throw Refused;
}
