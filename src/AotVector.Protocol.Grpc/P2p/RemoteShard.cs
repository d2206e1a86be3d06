using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using Google.Protobuf;
using Grpc.Core;
using static AotVector.Protocol.Grpc.P2p.PeerMapping;
using PeerWire = AotVector.Protocol.Grpc.P2p.Wire;

namespace AotVector.Protocol.Grpc.P2p;

/// <summary>
/// A shard held by another peer, called over <c>aotvector.p2p.ShardsInternal</c>. <see cref="IShard"/> is
/// synchronous, so each method blocks on its call. Every call has a deadline (<c>cluster.grpc_timeout_ms</c>) and
/// carries the caller's cancellation. A failed write answers an error; a failed read throws
/// <see cref="ShardUnavailableException"/>, which the replica set takes as its cue to ask another replica.
/// </summary>
internal sealed class RemoteShard(PeerWire.ShardsInternal.ShardsInternalClient client, ulong peerId, string collection, uint shardId, TimeSpan timeout) : IShard
{
    private readonly PeerWire.ShardRef _shard = new() { Collection = collection, ShardId = shardId };

    public uint ShardId => shardId;

    public ulong PeerId => peerId;

    public ulong PointsCount => Stats().PointsCount;

    public ulong IndexedVectorsCount => Stats().IndexedVectorsCount;

    public ulong SegmentsCount => Stats().SegmentsCount;

    public IReadOnlyDictionary<string, PayloadSchemaInfo> PayloadSchema => Read(() => ToEngine(Stats().PayloadSchema));

    public Result<UpdateResult> Update(UpdateOperation operation, bool wait) => Update(operation, wait, coordinate: false);

    /// <summary>The peer coordinates the write over every replica of its shard (write ordering medium/strong).</summary>
    public Result<UpdateResult> Coordinate(UpdateOperation operation, bool wait) => Update(operation, wait, coordinate: true);

    private Result<UpdateResult> Update(UpdateOperation operation, bool wait, bool coordinate)
    {
        var request = new PeerWire.UpdateRequest { Shard = _shard, Operation = ByteString.CopyFrom(PeerCodec.EncodeOperation(operation)), Wait = wait, Coordinate = coordinate };
        try
        {
            var response = client.Update(request, Options(CancellationToken.None));
            return new UpdateResult(response.OperationId, ToEngine(response.Status));
        }
        catch (RpcException e)
        {
            return ToEngine(e, peerId);
        }
        catch (InvalidDataException e)
        {
            return AvError.Internal($"peer {peerId} answered a malformed update result: {e.Message}");
        }
    }

    public IReadOnlyList<PointRecord> Retrieve(IReadOnlyList<PointId> ids, WithPayload withPayload, WithVector withVector)
    {
        var request = new PeerWire.RetrieveRequest { Shard = _shard, WithPayload = ToWire(withPayload), WithVector = ToWire(withVector) };
        request.Ids.AddRange(ids.Select(ToWire));
        return Read(() => client.Retrieve(request, Options(CancellationToken.None)).Points.Select(ToEngine).ToList());
    }

    public IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit, CancellationToken ct)
    {
        var request = new PeerWire.ScrollIdsRequest { Shard = _shard, Limit = (uint)Math.Max(0, limit) };
        if (FilterToWire(filter) is { } f)
        {
            request.Filter = f;
        }

        if (offset is { } o)
        {
            request.Offset = ToWire(o);
        }

        return Read(() => ToEngine(client.ScrollIds(request, Options(ct)).Ids));
    }

    public ulong Count(Filter? filter, CancellationToken ct)
    {
        var request = new PeerWire.CountRequest { Shard = _shard };
        if (FilterToWire(filter) is { } f)
        {
            request.Filter = f;
        }

        return Read(() => client.Count(request, Options(ct)).Count);
    }

    public IReadOnlyList<SearchHit> Search(ShardSearch search, CancellationToken ct)
    {
        var request = new PeerWire.SearchRequest
        {
            Shard = _shard,
            VectorName = search.VectorName,
            Limit = (uint)Math.Max(0, search.Limit),
            Exact = search.Exact,
            FullScanThresholdKb = search.FullScanThresholdKb,
        };
        request.Vector.AddRange(search.Vector);
        if (FilterToWire(search.Filter) is { } f)
        {
            request.Filter = f;
        }

        if (search.Ef is { } ef)
        {
            request.Ef = (uint)Math.Max(0, ef);
        }

        if (search.Quantization is { } quantization)
        {
            request.Quantization = ToWire(quantization);
        }

        return Read(() => ToEngine(client.Search(request, Options(ct))));
    }

    public IReadOnlyList<SearchHit> SearchByExamples(ShardExampleSearch search, CancellationToken ct)
    {
        var request = new PeerWire.ExampleSearchRequest
        {
            Shard = _shard,
            VectorName = search.VectorName,
            Strategy = ToWire(search.Strategy),
            Limit = (uint)Math.Max(0, search.Limit),
        };
        request.Positives.AddRange(search.Positives.Select(ToWire));
        request.Negatives.AddRange(search.Negatives.Select(ToWire));
        if (FilterToWire(search.Filter) is { } f)
        {
            request.Filter = f;
        }

        return Read(() => ToEngine(client.SearchByExamples(request, Options(ct))));
    }

    public IReadOnlyList<SearchHit> SearchSparse(ShardSparseSearch search, CancellationToken ct)
    {
        var request = new PeerWire.SparseSearchRequest
        {
            Shard = _shard,
            VectorName = search.VectorName,
            Query = ToWire(search.Query),
            Limit = (uint)Math.Max(0, search.Limit),
            FullScanThreshold = search.FullScanThreshold,
        };
        if (FilterToWire(search.Filter) is { } f)
        {
            request.Filter = f;
        }

        return Read(() => ToEngine(client.SearchSparse(request, Options(ct))));
    }

    public IReadOnlyList<SearchHit> SearchSparseByExamples(ShardSparseExampleSearch search, CancellationToken ct)
    {
        var request = new PeerWire.SparseExampleSearchRequest
        {
            Shard = _shard,
            VectorName = search.VectorName,
            Strategy = ToWire(search.Strategy),
            Limit = (uint)Math.Max(0, search.Limit),
        };
        request.Positives.AddRange(search.Positives.Select(ToWire));
        request.Negatives.AddRange(search.Negatives.Select(ToWire));
        if (FilterToWire(search.Filter) is { } f)
        {
            request.Filter = f;
        }

        return Read(() => ToEngine(client.SearchSparseByExamples(request, Options(ct))));
    }

    public IReadOnlyList<SearchHit> SearchByContext(ShardContextSearch search, CancellationToken ct)
    {
        var request = new PeerWire.ContextSearchRequest { Shard = _shard, VectorName = search.VectorName, Limit = (uint)Math.Max(0, search.Limit) };
        if (search.Target is { } target)
        {
            request.Target = ToWire(target);
        }

        request.Positives.AddRange(search.Positives.Select(ToWire));
        request.Negatives.AddRange(search.Negatives.Select(ToWire));
        if (FilterToWire(search.Filter) is { } f)
        {
            request.Filter = f;
        }

        return Read(() => ToEngine(client.SearchByContext(request, Options(ct))));
    }

    public IReadOnlyList<SearchHit> SearchSparseByContext(ShardSparseContextSearch search, CancellationToken ct)
    {
        var request = new PeerWire.SparseContextSearchRequest { Shard = _shard, VectorName = search.VectorName, Limit = (uint)Math.Max(0, search.Limit) };
        if (search.Target is { } target)
        {
            request.Target = ToWire(target);
        }

        request.Positives.AddRange(search.Positives.Select(ToWire));
        request.Negatives.AddRange(search.Negatives.Select(ToWire));
        if (FilterToWire(search.Filter) is { } f)
        {
            request.Filter = f;
        }

        return Read(() => ToEngine(client.SearchSparseByContext(request, Options(ct))));
    }

    public IReadOnlyList<OrderedPoint>? ScrollOrdered(Filter? filter, OrderBy orderBy, int limit, CancellationToken ct)
    {
        var request = new PeerWire.ScrollOrderedRequest
        {
            Shard = _shard,
            Key = orderBy.Key,
            Descending = orderBy.Direction == OrderDirection.Desc,
            Limit = (uint)Math.Max(0, limit),
        };
        if (orderBy.StartFrom is { } start)
        {
            request.StartFrom = ToWire(start);
        }

        if (FilterToWire(filter) is { } f)
        {
            request.Filter = f;
        }

        return Read(() =>
        {
            var response = client.ScrollOrdered(request, Options(ct));
            return response.Indexed ? response.Points.Select(p => new OrderedPoint(ToEngine(p.Value), ToEngine(p.Id))).ToList() : null;
        });
    }

    public ShardSample Sample(Filter? filter, int limit, CancellationToken ct)
    {
        var request = new PeerWire.SampleRequest { Shard = _shard, Limit = (uint)Math.Max(0, limit) };
        if (FilterToWire(filter) is { } f)
        {
            request.Filter = f;
        }

        return Read(() =>
        {
            var response = client.Sample(request, Options(ct));
            return new ShardSample(ToEngine(response.Ids), response.Matching);
        });
    }

    public SparseStatistics SparseStatistics(string vectorName, IReadOnlyList<uint> dimensions)
    {
        var request = new PeerWire.SparseStatisticsRequest { Shard = _shard, VectorName = vectorName };
        request.Dimensions.AddRange(dimensions);
        return Read(() =>
        {
            var response = client.SparseStatistics(request, Options(CancellationToken.None));
            return new SparseStatistics(response.Points, [.. response.DocumentFrequencies]);
        });
    }

    public VectorData? GetVector(PointId id, string vectorName)
    {
        var request = new PeerWire.GetVectorRequest { Shard = _shard, Id = ToWire(id), VectorName = vectorName };
        return Read(() =>
        {
            var response = client.GetVector(request, Options(CancellationToken.None));
            return response.HasVector && PeerCodec.DecodeVectors(response.Vector.Span).TryGetValue("", out var vector) ? vector : null;
        });
    }

    public void Dispose()
    {
        // The channel belongs to RemoteShards, shared by every shard of the peer.
    }

    private PeerWire.StatsResponse Stats() => Read(() => client.Stats(_shard, Options(CancellationToken.None)));

    private CallOptions Options(CancellationToken ct) => new(deadline: DateTime.UtcNow + timeout, cancellationToken: ct);

    private T Read<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (RpcException e)
        {
            throw new ShardUnavailableException(ToEngine(e, peerId));
        }
        catch (InvalidDataException e)
        {
            throw new ShardUnavailableException(AvError.Internal($"peer {peerId} answered a malformed read result: {e.Message}"));
        }
    }
}
