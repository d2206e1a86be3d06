using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using AotVector.Protocol.Grpc.Mapping;
using Grpc.Core;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>
/// The point read RPCs. Unset with_payload is true for Get and Scroll and false for the search
/// family, following Qdrant's defaults.
/// </summary>
internal sealed partial class PointsService
{
    public override async Task<Wire.GetResponse> Get(Wire.GetPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var collection = Collection(request.CollectionName);
        var ids = PointIdMapping.ToEngine(request.Ids).Unwrap();
        var retrieve = new RetrieveRequest(ids, SelectorMapping.ToEngine(request.WithPayload, RequestDefaults.ReadPayload), SelectorMapping.ToEngine(request.WithVectors)) { Consistency = ConsistencyOf(request.ReadConsistency) };
        var points = (await _points.RetrieveAsync(CallAccess.Of(context), collection, retrieve, context.CancellationToken).ConfigureAwait(false)).Unwrap();

        var response = new Wire.GetResponse();
        foreach (var point in points)
        {
            response.Result.Add(QueryMapping.ToWire(point));
        }

        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    public override async Task<Wire.ScrollResponse> Scroll(Wire.ScrollPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var collection = Collection(request.CollectionName);
        var orderBy = request.OrderBy is { } wireOrder ? QueryKindMapping.ToEngine(wireOrder).Unwrap() : null;
        var filter = FilterMapping.ToEngine(request.Filter).Unwrap();
        var limit = RequestValidation.Limit(request.HasLimit, request.Limit).Unwrap();
        var offset = request.Offset is { } wireOffset ? PointIdMapping.ToEngine(wireOffset).Unwrap() : (PointId?)null;
        var scroll = new ScrollRequest(filter, limit, offset, SelectorMapping.ToEngine(request.WithPayload, RequestDefaults.ReadPayload), SelectorMapping.ToEngine(request.WithVectors), orderBy) { Consistency = ConsistencyOf(request.ReadConsistency) };
        var page = (await _points.ScrollAsync(CallAccess.Of(context), collection, scroll, context.CancellationToken).ConfigureAwait(false)).Unwrap(context);

        var response = new Wire.ScrollResponse();
        foreach (var point in page.Points)
        {
            response.Result.Add(QueryMapping.ToWire(point));
        }

        if (page.NextPageOffset is { } next)
        {
            response.NextPageOffset = PointIdMapping.ToWire(next);
        }

        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    /// <summary>Unset <c>exact</c> counts exactly, as Qdrant does.</summary>
    public override async Task<Wire.CountResponse> Count(Wire.CountPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var collection = Collection(request.CollectionName);
        var filter = FilterMapping.ToEngine(request.Filter).Unwrap();
        var count = new CountRequest(filter, request.HasExact ? request.Exact : RequestDefaults.ExactCount) { Consistency = ConsistencyOf(request.ReadConsistency) };
        var result = (await _points.CountAsync(CallAccess.Of(context), collection, count, context.CancellationToken).ConfigureAwait(false)).Unwrap(context);
        return ResponseCompression.SkipWhenSmall(new Wire.CountResponse { Result = new Wire.CountResult { Count = result }, Time = ResponseTime.Since(start) }, context);
    }

    public override async Task<Wire.QueryResponse> Query(Wire.QueryPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var hits = await QueryAsync(request.CollectionName, QueryMapping.ToEngine(request), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        var response = new Wire.QueryResponse();
        QueryMapping.ToWire(hits, response.Result);
        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    public override async Task<Wire.QueryBatchResponse> QueryBatch(Wire.QueryBatchPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var batches = await QueryBatchAsync(request.CollectionName, QueryMapping.ToEngine(request.QueryPoints, QueryMapping.ToEngine), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        var response = new Wire.QueryBatchResponse();
        QueryMapping.ToWire(batches, response.Result);
        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    [Obsolete(DeprecatedRpc)]
    public override async Task<Wire.SearchResponse> Search(Wire.SearchPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var hits = await QueryAsync(request.CollectionName, QueryMapping.ToEngine(request), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        var response = new Wire.SearchResponse();
        QueryMapping.ToWire(hits, response.Result);
        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    [Obsolete(DeprecatedRpc)]
    public override async Task<Wire.SearchBatchResponse> SearchBatch(Wire.SearchBatchPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var batches = await QueryBatchAsync(request.CollectionName, QueryMapping.ToEngine(request.SearchPoints, QueryMapping.ToEngine), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        var response = new Wire.SearchBatchResponse();
        QueryMapping.ToWire(batches, response.Result);
        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    [Obsolete(DeprecatedRpc)]
    public override async Task<Wire.DiscoverResponse> Discover(Wire.DiscoverPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var hits = await QueryAsync(request.CollectionName, QueryKindMapping.ToEngine(request), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        var response = new Wire.DiscoverResponse();
        QueryMapping.ToWire(hits, response.Result);
        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    [Obsolete(DeprecatedRpc)]
    public override async Task<Wire.DiscoverBatchResponse> DiscoverBatch(Wire.DiscoverBatchPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var batches = await QueryBatchAsync(request.CollectionName, QueryMapping.ToEngine(request.DiscoverPoints, QueryKindMapping.ToEngine), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        var response = new Wire.DiscoverBatchResponse();
        QueryMapping.ToWire(batches, response.Result);
        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    [Obsolete(DeprecatedRpc)]
    public override async Task<Wire.RecommendResponse> Recommend(Wire.RecommendPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var hits = await QueryAsync(request.CollectionName, QueryMapping.ToEngine(request), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        var response = new Wire.RecommendResponse();
        QueryMapping.ToWire(hits, response.Result);
        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    [Obsolete(DeprecatedRpc)]
    public override async Task<Wire.RecommendBatchResponse> RecommendBatch(Wire.RecommendBatchPoints request, ServerCallContext context)
    {
        var start = ResponseTime.Start();
        var batches = await QueryBatchAsync(request.CollectionName, QueryMapping.ToEngine(request.RecommendPoints, QueryMapping.ToEngine), OptionsOf(request.HasTimeout, request.Timeout, request.ReadConsistency), context).ConfigureAwait(false);
        var response = new Wire.RecommendBatchResponse();
        QueryMapping.ToWire(batches, response.Result);
        response.Time = ResponseTime.Since(start);
        return ResponseCompression.SkipWhenSmall(response, context);
    }

    /// <summary>The request's own timeout (whole seconds, as Qdrant's); the call's deadline cancels it separately.</summary>
    private static ReadOptions OptionsOf(bool hasTimeout, ulong timeout, Wire.ReadConsistency? consistency) =>
        new(RequestValidation.Timeout(hasTimeout, timeout)) { Consistency = ConsistencyOf(consistency) };

    /// <summary>read_consistency: a factor, or all / majority / quorum; one replica when absent.</summary>
    private static ReadConsistency ConsistencyOf(Wire.ReadConsistency? consistency) => consistency?.ValueCase switch
    {
        Wire.ReadConsistency.ValueOneofCase.Factor => ReadConsistency.OfFactor((int)Math.Min(consistency.Factor, int.MaxValue)),
        Wire.ReadConsistency.ValueOneofCase.Type => consistency.Type switch
        {
            Wire.ReadConsistencyType.Majority => new ReadConsistency(ReadConsistencyKind.Majority),
            Wire.ReadConsistencyType.Quorum => new ReadConsistency(ReadConsistencyKind.Quorum),
            _ => new ReadConsistency(ReadConsistencyKind.All),
        },
        _ => ReadConsistency.One,
    };

    private async Task<IReadOnlyList<ScoredPoint>> QueryAsync(string collectionName, Result<QueryRequest> request, ReadOptions options, ServerCallContext context)
    {
        var collection = Collection(collectionName);
        var mapped = request.Unwrap();
        return (await _points.QueryAsync(CallAccess.Of(context), collection, mapped, options, context.CancellationToken).ConfigureAwait(false)).Unwrap(context);
    }

    private async Task<IReadOnlyList<IReadOnlyList<ScoredPoint>>> QueryBatchAsync(string collectionName, Result<List<QueryRequest>> requests, ReadOptions options, ServerCallContext context)
    {
        var collection = Collection(collectionName);
        var mapped = requests.Unwrap();
        return (await _points.QueryBatchAsync(CallAccess.Of(context), collection, mapped, options, context.CancellationToken).ConfigureAwait(false)).Unwrap(context);
    }
}
