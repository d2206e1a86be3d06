using AotVector.Protocol.Grpc.Errors;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Services;

/// <summary><c>qdrant.Snapshots</c>: every RPC answers Unimplemented until snapshots exist in the engine.</summary>
internal sealed class SnapshotsService : Snapshots.SnapshotsBase
{
    public const string NotAvailable = "snapshots are not available yet";

    public override Task<CreateSnapshotResponse> Create(CreateSnapshotRequest request, ServerCallContext context) => throw GrpcErrors.Unimplemented(NotAvailable);

    public override Task<ListSnapshotsResponse> List(ListSnapshotsRequest request, ServerCallContext context) => throw GrpcErrors.Unimplemented(NotAvailable);

    public override Task<DeleteSnapshotResponse> Delete(DeleteSnapshotRequest request, ServerCallContext context) => throw GrpcErrors.Unimplemented(NotAvailable);

    public override Task<CreateSnapshotResponse> CreateFull(CreateFullSnapshotRequest request, ServerCallContext context) => throw GrpcErrors.Unimplemented(NotAvailable);

    public override Task<ListSnapshotsResponse> ListFull(ListFullSnapshotsRequest request, ServerCallContext context) => throw GrpcErrors.Unimplemented(NotAvailable);

    public override Task<DeleteSnapshotResponse> DeleteFull(DeleteFullSnapshotRequest request, ServerCallContext context) => throw GrpcErrors.Unimplemented(NotAvailable);
}
