using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using AotVector.Protocol.Grpc.Mapping;
using Grpc.Core;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>The grouped query RPCs, Facet and the distance matrix RPCs.</summary>
internal sealed partial class PointsService
{
    public override async Task<Wire.QueryGroupsResponse> QueryGroups(Wire.QueryPointGroups request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var groups = await GroupsAsync(request.CollectionName, AggregateMapping.ToEngine(request), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        return ResponseCompression.SkipWhenSmall(new Wire.QueryGroupsResponse { Result = AggregateMapping.ToWire(groups), Time = ResponseTime.Since(start) }, context);
    }

    [Obsolete(DeprecatedRpc)]
    public override async Task<Wire.SearchGroupsResponse> SearchGroups(Wire.SearchPointGroups request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var groups = await GroupsAsync(request.CollectionName, AggregateMapping.ToEngine(request), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        return ResponseCompression.SkipWhenSmall(new Wire.SearchGroupsResponse { Result = AggregateMapping.ToWire(groups), Time = ResponseTime.Since(start) }, context);
    }

    [Obsolete(DeprecatedRpc)]
    public override async Task<Wire.RecommendGroupsResponse> RecommendGroups(Wire.RecommendPointGroups request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var groups = await GroupsAsync(request.CollectionName, AggregateMapping.ToEngine(request), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        return ResponseCompression.SkipWhenSmall(new Wire.RecommendGroupsResponse { Result = AggregateMapping.ToWire(groups), Time = ResponseTime.Since(start) }, context);
    }

    public override async Task<Wire.FacetResponse> Facet(Wire.FacetCounts request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var collection = Collection(request.CollectionName);
        var facet = AggregateMapping.ToEngine(request).Unwrap();
        var hits = (await _points.FacetAsync(CallAccess.Of(context), collection, facet, OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context.CancellationToken).ConfigureAwait(false)).Unwrap(context);
        var response = new Wire.FacetResponse();
        AggregateMapping.ToWire(hits, response.Hits);
        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    public override async Task<Wire.SearchMatrixPairsResponse> SearchMatrixPairs(Wire.SearchMatrixPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var matrix = await MatrixAsync(request, context).ConfigureAwait(false);
        return ResponseCompression.SkipWhenSmall(new Wire.SearchMatrixPairsResponse { Result = AggregateMapping.ToWirePairs(matrix), Time = ResponseTime.Since(start) }, context);
    }

    public override async Task<Wire.SearchMatrixOffsetsResponse> SearchMatrixOffsets(Wire.SearchMatrixPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var matrix = await MatrixAsync(request, context).ConfigureAwait(false);
        return ResponseCompression.SkipWhenSmall(new Wire.SearchMatrixOffsetsResponse { Result = AggregateMapping.ToWireOffsets(matrix), Time = ResponseTime.Since(start) }, context);
    }

    private async Task<IReadOnlyList<PointGroup>> GroupsAsync(string collectionName, Common.Errors.Result<GroupsRequest> request, ReadOptions options, ServerCallContext context)
    {
        var collection = Collection(collectionName);
        var mapped = request.Unwrap();
        return (await _points.QueryGroupsAsync(CallAccess.Of(context), collection, mapped, options, context.CancellationToken).ConfigureAwait(false)).Unwrap(context);
    }

    private async Task<DistanceMatrix> MatrixAsync(Wire.SearchMatrixPoints request, ServerCallContext context)
    {
        var collection = Collection(request.CollectionName);
        var mapped = AggregateMapping.ToEngine(request).Unwrap();
        return (await _points.SearchMatrixAsync(CallAccess.Of(context), collection, mapped, OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context.CancellationToken).ConfigureAwait(false)).Unwrap(context);
    }
}
