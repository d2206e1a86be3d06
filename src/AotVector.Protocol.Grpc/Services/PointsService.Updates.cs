using AotVector.Protocol.Grpc.Errors;
using AotVector.Protocol.Grpc.Mapping;
using Grpc.Core;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>The point write RPCs: one engine update each, or a batch of them.</summary>
internal sealed partial class PointsService
{
    public override Task<Wire.PointsOperationResponse> Upsert(Wire.UpsertPoints request, ServerCallContext context) =>
        UpdateAsync(request.CollectionName, UpdateMapping.ToEngine(request), Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering), context);

    public override Task<Wire.PointsOperationResponse> Delete(Wire.DeletePoints request, ServerCallContext context) =>
        UpdateAsync(request.CollectionName, UpdateMapping.ToEngine(request), Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering), context);

    public override Task<Wire.PointsOperationResponse> UpdateVectors(Wire.UpdatePointVectors request, ServerCallContext context) =>
        UpdateAsync(request.CollectionName, UpdateMapping.ToEngine(request), Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering), context);

    public override Task<Wire.PointsOperationResponse> DeleteVectors(Wire.DeletePointVectors request, ServerCallContext context) =>
        UpdateAsync(request.CollectionName, UpdateMapping.ToEngine(request), Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering), context);

    public override Task<Wire.PointsOperationResponse> SetPayload(Wire.SetPayloadPoints request, ServerCallContext context) =>
        UpdateAsync(request.CollectionName, UpdateMapping.ToSetPayload(request), Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering), context);

    public override Task<Wire.PointsOperationResponse> OverwritePayload(Wire.SetPayloadPoints request, ServerCallContext context) =>
        UpdateAsync(request.CollectionName, UpdateMapping.ToOverwritePayload(request), Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering), context);

    public override Task<Wire.PointsOperationResponse> DeletePayload(Wire.DeletePayloadPoints request, ServerCallContext context) =>
        UpdateAsync(request.CollectionName, UpdateMapping.ToEngine(request), Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering), context);

    public override Task<Wire.PointsOperationResponse> ClearPayload(Wire.ClearPayloadPoints request, ServerCallContext context) =>
        UpdateAsync(request.CollectionName, UpdateMapping.ToEngine(request), Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering), context);

    public override Task<Wire.PointsOperationResponse> CreateFieldIndex(Wire.CreateFieldIndexCollection request, ServerCallContext context) =>
        UpdateAsync(request.CollectionName, UpdateMapping.ToEngine(request), Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering), context);

    public override Task<Wire.PointsOperationResponse> DeleteFieldIndex(Wire.DeleteFieldIndexCollection request, ServerCallContext context) =>
        UpdateAsync(request.CollectionName, UpdateMapping.ToEngine(request), Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering), context);

    public override async Task<Wire.PointsOperationResponse> CreateVectorName(Wire.CreateVectorNameRequest request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var collection = Collection(request.CollectionName);
        var create = VectorNameMapping.ToEngine(request).Unwrap();
        var options = Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering);
        var result = (await _points.CreateVectorNameAsync(CallAccess.Of(context), collection, create, options, context.CancellationToken).ConfigureAwait(false)).Unwrap();
        return new Wire.PointsOperationResponse { Result = ToWire(result), Time = ResponseTime.Since(start) };
    }

    public override async Task<Wire.PointsOperationResponse> DeleteVectorName(Wire.DeleteVectorNameRequest request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var collection = Collection(request.CollectionName);
        var options = Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering);
        var result = (await _points.DeleteVectorNameAsync(CallAccess.Of(context), collection, request.VectorName, options, context.CancellationToken).ConfigureAwait(false)).Unwrap();
        return new Wire.PointsOperationResponse { Result = ToWire(result), Time = ResponseTime.Since(start) };
    }

    public override async Task<Wire.UpdateBatchResponse> UpdateBatch(Wire.UpdateBatchPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var collection = Collection(request.CollectionName);
        var operations = UpdateMapping.ToEngine(request.Operations).Unwrap();
        var options = Options(request.HasWait, request.Wait, request.HasTimeout, request.Timeout, request.Ordering);
        var results = (await _points.UpdateBatchAsync(CallAccess.Of(context), collection, operations, options, context.CancellationToken).ConfigureAwait(false)).Unwrap();

        var response = new Wire.UpdateBatchResponse();
        foreach (var result in results)
        {
            response.Result.Add(ToWire(result));
        }

        response.Time = ResponseTime.Since(start);
        return response;
    }
}
