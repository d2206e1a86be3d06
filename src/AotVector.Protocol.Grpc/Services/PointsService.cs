using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Protocol.Grpc.Errors;
using AotVector.Protocol.Grpc.Mapping;
using Grpc.Core;
using Wire = Qdrant.Client.Grpc;
using WriteOptions = AotVector.Engine.Api.WriteOptions;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>
/// <c>qdrant.Points</c>: every RPC maps the request, calls <see cref="IPointsApi"/> and maps the
/// result back. Writes live in <c>PointsService.Updates.cs</c>, reads in <c>PointsService.Reads.cs</c>.
/// </summary>
internal sealed partial class PointsService : Wire.Points.PointsBase
{
    /// <summary>Marks the RPCs Qdrant deprecated (the generated bases are obsolete) but still serves.</summary>
    private const string DeprecatedRpc = "Deprecated in Qdrant 1.19; served for clients that still call it.";

    private readonly IPointsApi _points;

    public PointsService(IPointsApi points)
    {
        _points = points;
    }


    private static RpcException Refused(UnsupportedApi api) => GrpcErrors.ToRpcException(Unsupported.Api(api));

    private static string Collection(string name) => RequestValidation.CollectionName(name).Unwrap();

    private static Wire.UpdateResult ToWire(UpdateResult result) => new()
    {
        OperationId = result.OperationId,
        Status = result.Status switch
        {
            UpdateStatus.Acknowledged => Wire.UpdateStatus.Acknowledged,
            UpdateStatus.Completed => Wire.UpdateStatus.Completed,
            UpdateStatus.WaitTimeout => Wire.UpdateStatus.WaitTimeout,
        },
    };

    private static WriteOptions Options(bool hasWait, bool wait, bool hasTimeout, ulong timeout, Wire.WriteOrdering? ordering) =>
        new(hasWait ? wait : RequestDefaults.Wait, RequestValidation.Timeout(hasTimeout, timeout))
        {
            Ordering = ordering?.Type switch
            {
                Wire.WriteOrderingType.Medium => WriteOrdering.Medium,
                Wire.WriteOrderingType.Strong => WriteOrdering.Strong,
                _ => WriteOrdering.Weak,
            },
        };

    private async Task<Wire.PointsOperationResponse> UpdateAsync(
        string collectionName,
        Result<UpdateOperation> operation,
        WriteOptions options,
        ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var collection = Collection(collectionName);
        var mapped = operation.Unwrap();
        var result = (await _points.UpdateAsync(CallAccess.Of(context), collection, mapped, options, context.CancellationToken).ConfigureAwait(false)).Unwrap();
        return ResponseCompression.SkipWhenSmall(new Wire.PointsOperationResponse { Result = ToWire(result), Time = ResponseTime.Since(start) }, context);
    }
}
