using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using Grpc.Core;
using static AotVector.Protocol.Grpc.P2p.PeerMapping;
using PeerWire = AotVector.Protocol.Grpc.P2p.Wire;

namespace AotVector.Protocol.Grpc.P2p;

/// <summary>
/// <c>aotvector.p2p.ShardsInternal</c>: another peer's calls onto the shards this peer holds. Each RPC decodes the
/// request, runs the <see cref="IShard"/> method on the local replica through <see cref="ILocalShards"/> and encodes
/// the answer; reads stop when the caller cancels or its deadline passes.
/// </summary>
internal sealed class ShardsInternalService(ILocalShards shards) : PeerWire.ShardsInternal.ShardsInternalBase
{
    public override async Task<PeerWire.UpdateResponse> Update(PeerWire.UpdateRequest request, ServerCallContext context)
    {
        var shard = Shard(request.Shard);
        var operation = Decode(() => PeerCodec.DecodeOperation(request.Operation.Span));
        var result = request.Coordinate
            ? await shards.CoordinateShardUpdateAsync(shard.Collection, shard.ShardId, operation, request.Wait).ConfigureAwait(false)
            : await shards.UpdateLocalShardAsync(shard.Collection, shard.ShardId, operation, request.Wait).ConfigureAwait(false);
        var ok = Unwrap(result);
        return new PeerWire.UpdateResponse { OperationId = ok.OperationId, Status = ToWire(ok.Status) };
    }

    public override Task<PeerWire.RetrieveResponse> Retrieve(PeerWire.RetrieveRequest request, ServerCallContext context)
    {
        var ids = Decode(() => ToEngine(request.Ids));
        var withPayload = ToEngine(request.WithPayload);
        var withVector = ToEngine(request.WithVector);
        var records = Read(request.Shard, s => s.Retrieve(ids, withPayload, withVector));
        var response = new PeerWire.RetrieveResponse();
        response.Points.AddRange(records.Select(ToWire));
        return Task.FromResult(response);
    }

    public override Task<PeerWire.PointIds> ScrollIds(PeerWire.ScrollIdsRequest request, ServerCallContext context)
    {
        var (filter, offset) = Decode(() => (FilterToEngine(request.HasFilter, request.Filter), request.Offset is { } o ? ToEngine(o) : (Common.Model.PointId?)null));
        var ids = Read(request.Shard, s => s.ScrollIds(filter, offset, Limit(request.Limit), context.CancellationToken));
        var response = new PeerWire.PointIds();
        response.Ids.AddRange(ids.Select(ToWire));
        return Task.FromResult(response);
    }

    public override Task<PeerWire.CountResponse> Count(PeerWire.CountRequest request, ServerCallContext context)
    {
        var filter = Decode(() => FilterToEngine(request.HasFilter, request.Filter));
        return Task.FromResult(new PeerWire.CountResponse { Count = Read(request.Shard, s => s.Count(filter, context.CancellationToken)) });
    }

    public override Task<PeerWire.SearchResponse> Search(PeerWire.SearchRequest request, ServerCallContext context)
    {
        var search = Decode(() => new ShardSearch(
            request.VectorName,
            [.. request.Vector],
            FilterToEngine(request.HasFilter, request.Filter),
            Limit(request.Limit),
            request.Exact,
            request.HasEf ? (int)Math.Min(request.Ef, int.MaxValue) : null,
            request.FullScanThresholdKb,
            ToEngine(request.Quantization)));
        return Task.FromResult(ToWire(Read(request.Shard, s => s.Search(search, context.CancellationToken))));
    }

    public override Task<PeerWire.SearchResponse> SearchByExamples(PeerWire.ExampleSearchRequest request, ServerCallContext context)
    {
        var search = Decode(() => new ShardExampleSearch(
            request.VectorName,
            ToEngine(request.Strategy),
            [.. request.Positives.Select(v => v.Values.ToArray())],
            [.. request.Negatives.Select(v => v.Values.ToArray())],
            FilterToEngine(request.HasFilter, request.Filter),
            Limit(request.Limit)));
        return Task.FromResult(ToWire(Read(request.Shard, s => s.SearchByExamples(search, context.CancellationToken))));
    }

    public override Task<PeerWire.SearchResponse> SearchSparse(PeerWire.SparseSearchRequest request, ServerCallContext context)
    {
        var search = Decode(() => new ShardSparseSearch(
            request.VectorName,
            ToEngine(request.Query),
            FilterToEngine(request.HasFilter, request.Filter),
            Limit(request.Limit),
            request.FullScanThreshold));
        return Task.FromResult(ToWire(Read(request.Shard, s => s.SearchSparse(search, context.CancellationToken))));
    }

    public override Task<PeerWire.SearchResponse> SearchSparseByExamples(PeerWire.SparseExampleSearchRequest request, ServerCallContext context)
    {
        var search = Decode(() => new ShardSparseExampleSearch(
            request.VectorName,
            ToEngine(request.Strategy),
            [.. request.Positives.Select(ToEngine)],
            [.. request.Negatives.Select(ToEngine)],
            FilterToEngine(request.HasFilter, request.Filter),
            Limit(request.Limit)));
        return Task.FromResult(ToWire(Read(request.Shard, s => s.SearchSparseByExamples(search, context.CancellationToken))));
    }

    public override Task<PeerWire.SearchResponse> SearchByContext(PeerWire.ContextSearchRequest request, ServerCallContext context)
    {
        var search = Decode(() => new ShardContextSearch(
            request.VectorName,
            request.Target is { } target ? target.Values.ToArray() : null,
            [.. request.Positives.Select(v => v.Values.ToArray())],
            [.. request.Negatives.Select(v => v.Values.ToArray())],
            FilterToEngine(request.HasFilter, request.Filter),
            Limit(request.Limit)));
        return Task.FromResult(ToWire(Read(request.Shard, s => s.SearchByContext(search, context.CancellationToken))));
    }

    public override Task<PeerWire.SearchResponse> SearchSparseByContext(PeerWire.SparseContextSearchRequest request, ServerCallContext context)
    {
        var search = Decode(() => new ShardSparseContextSearch(
            request.VectorName,
            request.Target is { } target ? ToEngine(target) : null,
            [.. request.Positives.Select(ToEngine)],
            [.. request.Negatives.Select(ToEngine)],
            FilterToEngine(request.HasFilter, request.Filter),
            Limit(request.Limit)));
        return Task.FromResult(ToWire(Read(request.Shard, s => s.SearchSparseByContext(search, context.CancellationToken))));
    }

    public override Task<PeerWire.ScrollOrderedResponse> ScrollOrdered(PeerWire.ScrollOrderedRequest request, ServerCallContext context)
    {
        var (filter, orderBy) = Decode(() => (
            FilterToEngine(request.HasFilter, request.Filter),
            new OrderBy(request.Key, request.Descending ? OrderDirection.Desc : OrderDirection.Asc, request.StartFrom is { } start ? ToEngine(start) : null)));
        var points = Read(request.Shard, s => s.ScrollOrdered(filter, orderBy, Limit(request.Limit), context.CancellationToken));
        var response = new PeerWire.ScrollOrderedResponse { Indexed = points is not null };
        if (points is not null)
        {
            response.Points.AddRange(points.Select(p => new PeerWire.OrderedPoint { Value = ToWire(p.Value), Id = ToWire(p.Id) }));
        }

        return Task.FromResult(response);
    }

    public override Task<PeerWire.SampleResponse> Sample(PeerWire.SampleRequest request, ServerCallContext context)
    {
        var filter = Decode(() => FilterToEngine(request.HasFilter, request.Filter));
        var sample = Read(request.Shard, s => s.Sample(filter, Limit(request.Limit), context.CancellationToken));
        var response = new PeerWire.SampleResponse { Matching = sample.Matching };
        response.Ids.AddRange(sample.Ids.Select(ToWire));
        return Task.FromResult(response);
    }

    public override Task<PeerWire.SparseStatisticsResponse> SparseStatistics(PeerWire.SparseStatisticsRequest request, ServerCallContext context)
    {
        var dimensions = request.Dimensions.ToArray();
        var statistics = Read(request.Shard, s => s.SparseStatistics(request.VectorName, dimensions));
        var response = new PeerWire.SparseStatisticsResponse { Points = statistics.Points };
        response.DocumentFrequencies.AddRange(statistics.DocumentFrequencies);
        return Task.FromResult(response);
    }

    public override Task<PeerWire.GetVectorResponse> GetVector(PeerWire.GetVectorRequest request, ServerCallContext context)
    {
        var id = Decode(() => ToEngine(request.Id));
        var vector = Read(request.Shard, s => s.GetVector(id, request.VectorName));
        var response = new PeerWire.GetVectorResponse();
        if (vector is not null)
        {
            response.Vector = Google.Protobuf.ByteString.CopyFrom(PeerCodec.EncodeVectors(new Dictionary<string, Common.Model.VectorData> { [""] = vector }));
        }

        return Task.FromResult(response);
    }

    public override Task<PeerWire.StatsResponse> Stats(PeerWire.ShardRef request, ServerCallContext context) =>
        Task.FromResult(Read(request, s => ToWire(s.PointsCount, s.IndexedVectorsCount, s.SegmentsCount, s.PayloadSchema)));

    private T Read<T>(PeerWire.ShardRef? shardRef, Func<IShard, T> read)
    {
        var shard = Shard(shardRef);
        return Unwrap(shards.ReadLocalShard(shard.Collection, shard.ShardId, read));
    }

    private static PeerWire.ShardRef Shard(PeerWire.ShardRef? shard) =>
        shard ?? throw ToRpcException(AvError.BadRequest("the request names no shard"));

    private static int Limit(uint limit) => (int)Math.Min(limit, int.MaxValue);

    private static T Unwrap<T>(Result<T> result) => result.TryGet(out var value, out var error) ? value : throw ToRpcException(error);

    // A message this peer cannot decode means the two peers disagree on the format: the caller's fault, so a 4xx.
    private static T Decode<T>(Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (InvalidDataException e)
        {
            throw ToRpcException(AvError.BadRequest("malformed peer request: " + e.Message));
        }
    }
}
