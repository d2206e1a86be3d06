using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using AotVector.Protocol.Grpc.Mapping;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>
/// <c>qdrant.Snapshots</c>: collection and full snapshots over <see cref="ISnapshotsApi"/> (the same calls as REST,
/// with the engine's access checks); recover and upload exist only over REST, as in the reference.
/// </summary>
internal sealed class SnapshotsService : Wire.Snapshots.SnapshotsBase
{
    private readonly ISnapshotsApi _snapshots;

    public SnapshotsService(ISnapshotsApi snapshots)
    {
        _snapshots = snapshots;
    }

    public override Task<Wire.CreateSnapshotResponse> Create(Wire.CreateSnapshotRequest request, ServerCallContext context)
    {
        var name = RequestValidation.CollectionName(request.CollectionName).Unwrap();
        return CreateAsync(new SnapshotScope.Collection(name), context);
    }

    public override Task<Wire.ListSnapshotsResponse> List(Wire.ListSnapshotsRequest request, ServerCallContext context)
    {
        var name = RequestValidation.CollectionName(request.CollectionName).Unwrap();
        return Task.FromResult(ListIn(new SnapshotScope.Collection(name), context));
    }

    public override Task<Wire.DeleteSnapshotResponse> Delete(Wire.DeleteSnapshotRequest request, ServerCallContext context)
    {
        var name = RequestValidation.CollectionName(request.CollectionName).Unwrap();
        return DeleteAsync(new SnapshotScope.Collection(name), request.SnapshotName, context);
    }

    public override Task<Wire.CreateSnapshotResponse> CreateFull(Wire.CreateFullSnapshotRequest request, ServerCallContext context) =>
        CreateAsync(new SnapshotScope.Full(), context);

    public override Task<Wire.ListSnapshotsResponse> ListFull(Wire.ListFullSnapshotsRequest request, ServerCallContext context) =>
        Task.FromResult(ListIn(new SnapshotScope.Full(), context));

    public override Task<Wire.DeleteSnapshotResponse> DeleteFull(Wire.DeleteFullSnapshotRequest request, ServerCallContext context) =>
        DeleteAsync(new SnapshotScope.Full(), request.SnapshotName, context);

    internal static Wire.SnapshotDescription ToWire(SnapshotDescription description)
    {
        var wire = new Wire.SnapshotDescription { Name = description.Name, Size = description.Size };
        if (description.CreationTime is { } time)
        {
            // Whole seconds, as the reference reports them.
            wire.CreationTime = Timestamp.FromDateTimeOffset(time.AddTicks(-(time.UtcTicks % TimeSpan.TicksPerSecond)));
        }

        if (description.Checksum is { } checksum)
        {
            wire.Checksum = checksum;
        }

        return wire;
    }

    private async Task<Wire.CreateSnapshotResponse> CreateAsync(SnapshotScope scope, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var created = (await _snapshots.CreateSnapshotAsync(CallAccess.Of(context), scope, context.CancellationToken).ConfigureAwait(false)).Unwrap(context);
        return new Wire.CreateSnapshotResponse { SnapshotDescription = ToWire(created), Time = ResponseTime.Since(start) };
    }

    private Wire.ListSnapshotsResponse ListIn(SnapshotScope scope, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var list = _snapshots.ListSnapshots(CallAccess.Of(context), scope).Unwrap();
        var response = new Wire.ListSnapshotsResponse();
        foreach (var description in list)
        {
            response.SnapshotDescriptions.Add(ToWire(description));
        }

        response.Time = ResponseTime.Since(start);
        return response;
    }

    private async Task<Wire.DeleteSnapshotResponse> DeleteAsync(SnapshotScope scope, string snapshotName, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        _ = (await _snapshots.DeleteSnapshotAsync(CallAccess.Of(context), scope, snapshotName, context.CancellationToken).ConfigureAwait(false)).Unwrap(context);
        return new Wire.DeleteSnapshotResponse { Time = ResponseTime.Since(start) };
    }
}
