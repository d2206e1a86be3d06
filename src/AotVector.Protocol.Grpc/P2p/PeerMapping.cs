using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using Google.Protobuf;
using Grpc.Core;
using PeerWire = AotVector.Protocol.Grpc.P2p.Wire;

namespace AotVector.Protocol.Grpc.P2p;

/// <summary>
/// Engine values ↔ p2p messages, both ways (each peer is server and client). Filters, payloads, vectors and
/// operations are the engine's own bytes (<see cref="PeerCodec"/>); a malformed message from a peer throws
/// <see cref="InvalidDataException"/>, which the service answers as INVALID_ARGUMENT.
/// </summary>
internal static class PeerMapping
{
    /// <summary>The trailer that carries an error's <see cref="ErrorKind"/>, which a status code alone cannot tell.</summary>
    public const string ErrorKindTrailer = "aotvector-error-kind";

    public static PeerWire.PointId ToWire(PointId id) =>
        id.IsUuid ? new PeerWire.PointId { Uuid = id.Uuid.ToString("D") } : new PeerWire.PointId { Num = id.Num };

    public static PointId ToEngine(PeerWire.PointId? id) => id?.KindCase switch
    {
        PeerWire.PointId.KindOneofCase.Num => PointId.FromNum(id.Num),
        PeerWire.PointId.KindOneofCase.Uuid when Guid.TryParse(id.Uuid, out var uuid) => PointId.FromUuid(uuid),
        _ => throw new InvalidDataException("A point id with neither a number nor a UUID."),
    };

    public static List<PointId> ToEngine(IEnumerable<PeerWire.PointId> ids) => [.. ids.Select(ToEngine)];

    public static ByteString? FilterToWire(Filter? filter) => filter is null ? null : ByteString.CopyFrom(PeerCodec.EncodeFilter(filter));

    public static Filter? FilterToEngine(bool has, ByteString filter) => has ? PeerCodec.DecodeFilter(filter.Span) : null;

    public static PeerWire.WithPayload ToWire(WithPayload with)
    {
        var wire = new PeerWire.WithPayload { Enable = with.Enable };
        if (with.Include is { } include)
        {
            wire.Include = Strings(include);
        }

        if (with.Exclude is { } exclude)
        {
            wire.Exclude = Strings(exclude);
        }

        return wire;
    }

    public static WithPayload ToEngine(PeerWire.WithPayload? with) => with is null
        ? WithPayload.None
        : new WithPayload(with.Enable, with.Include?.Items.ToList(), with.Exclude?.Items.ToList());

    public static PeerWire.WithVector ToWire(WithVector with)
    {
        var wire = new PeerWire.WithVector { Enable = with.Enable };
        if (with.Names is { } names)
        {
            wire.Names = Strings(names);
        }

        return wire;
    }

    public static WithVector ToEngine(PeerWire.WithVector? with) => with is null
        ? WithVector.None
        : new WithVector(with.Enable, with.Names?.Items.ToList());

    public static PeerWire.PointRecord ToWire(PointRecord record)
    {
        var wire = new PeerWire.PointRecord { Id = ToWire(record.Id) };
        if (record.Payload is { } payload)
        {
            wire.Payload = ByteString.CopyFrom(PeerCodec.EncodePayload(payload));
        }

        if (record.Vectors is { } vectors)
        {
            wire.Vectors = ByteString.CopyFrom(PeerCodec.EncodeVectors(vectors));
        }

        return wire;
    }

    public static PointRecord ToEngine(PeerWire.PointRecord record) => new(
        ToEngine(record.Id),
        record.HasPayload ? PeerCodec.DecodePayload(record.Payload.Span) : null,
        record.HasVectors ? PeerCodec.DecodeVectors(record.Vectors.Span) : null);

    public static PeerWire.SearchResponse ToWire(IReadOnlyList<SearchHit> hits)
    {
        var wire = new PeerWire.SearchResponse();
        foreach (var hit in hits)
        {
            wire.Hits.Add(new PeerWire.SearchHit { Id = ToWire(hit.Id), Score = hit.Score, Version = hit.Version });
        }

        return wire;
    }

    public static List<SearchHit> ToEngine(PeerWire.SearchResponse response) =>
        [.. response.Hits.Select(h => new SearchHit(ToEngine(h.Id), h.Score, h.Version))];

    public static PeerWire.DenseVector ToWire(float[] vector)
    {
        var wire = new PeerWire.DenseVector();
        wire.Values.AddRange(vector);
        return wire;
    }

    public static PeerWire.SparseVector ToWire(SparseVector vector)
    {
        var wire = new PeerWire.SparseVector();
        wire.Indices.AddRange(vector.Indices);
        wire.Values.AddRange(vector.Values);
        return wire;
    }

    public static SparseVector ToEngine(PeerWire.SparseVector? vector) =>
        vector is null ? new SparseVector([], [])
        : vector.Indices.Count == vector.Values.Count ? new SparseVector([.. vector.Indices], [.. vector.Values])
        : throw new InvalidDataException("A sparse vector with more indices than values, or fewer.");

    public static PeerWire.RecommendStrategy ToWire(RecommendStrategy strategy) => strategy switch
    {
        RecommendStrategy.BestScore => PeerWire.RecommendStrategy.BestScore,
        RecommendStrategy.SumScores => PeerWire.RecommendStrategy.SumScores,
        _ => PeerWire.RecommendStrategy.AverageVector,
    };

    public static RecommendStrategy ToEngine(PeerWire.RecommendStrategy strategy) => strategy switch
    {
        PeerWire.RecommendStrategy.BestScore => RecommendStrategy.BestScore,
        PeerWire.RecommendStrategy.SumScores => RecommendStrategy.SumScores,
        PeerWire.RecommendStrategy.AverageVector => RecommendStrategy.AverageVector,
        _ => throw new InvalidDataException($"Unknown recommend strategy {(int)strategy}."),
    };

    public static PeerWire.UpdateStatus ToWire(UpdateStatus status) => status switch
    {
        UpdateStatus.Acknowledged => PeerWire.UpdateStatus.Acknowledged,
        UpdateStatus.Completed => PeerWire.UpdateStatus.Completed,
        UpdateStatus.WaitTimeout => PeerWire.UpdateStatus.WaitTimeout,
        _ => PeerWire.UpdateStatus.Unknown,
    };

    public static UpdateStatus ToEngine(PeerWire.UpdateStatus status) => status switch
    {
        PeerWire.UpdateStatus.Acknowledged => UpdateStatus.Acknowledged,
        PeerWire.UpdateStatus.Completed => UpdateStatus.Completed,
        PeerWire.UpdateStatus.WaitTimeout => UpdateStatus.WaitTimeout,
        _ => throw new InvalidDataException($"Unknown update status {(int)status}."),
    };

    public static PeerWire.StatsResponse ToWire(ulong points, ulong indexed, ulong segments, IReadOnlyDictionary<string, PayloadSchemaInfo> schema)
    {
        var wire = new PeerWire.StatsResponse { PointsCount = points, IndexedVectorsCount = indexed, SegmentsCount = segments };
        foreach (var (field, info) in schema)
        {
            wire.PayloadSchema[field] = new PeerWire.PayloadFieldInfo { DataType = (uint)info.DataType, Points = info.Points };
        }

        return wire;
    }

    public static Dictionary<string, PayloadSchemaInfo> ToEngine(IDictionary<string, PeerWire.PayloadFieldInfo> schema) =>
        schema.ToDictionary(
            kv => kv.Key,
            kv => Enum.IsDefined((PayloadSchemaType)kv.Value.DataType)
                ? new PayloadSchemaInfo((PayloadSchemaType)kv.Value.DataType, kv.Value.Points)
                : throw new InvalidDataException($"Unknown payload schema type {kv.Value.DataType}."),
            StringComparer.Ordinal);

    /// <summary>An engine error as the status a peer answers, with its kind in a trailer.</summary>
    public static RpcException ToRpcException(AvError error)
    {
        var trailers = new Metadata { { ErrorKindTrailer, error.Kind.ToString() } };
        return new RpcException(new Status(Errors.GrpcErrors.ToStatusCode(error.Kind), error.Message), trailers);
    }

    /// <summary>
    /// A failed call to a peer as an engine error: the peer's own error when it answered one, else (it could not be
    /// reached, or the call ran out of time) an error naming the peer.
    /// </summary>
    public static AvError ToEngine(RpcException e, ulong peerId)
    {
        var kindText = e.Trailers.GetValue(ErrorKindTrailer);
        if (kindText is not null && Enum.TryParse<ErrorKind>(kindText, out var kind) && Enum.IsDefined(kind))
        {
            return new AvError(kind, e.Status.Detail);
        }

        return e.StatusCode switch
        {
            StatusCode.DeadlineExceeded => AvError.Timeout($"peer {peerId} did not answer in time"),
            StatusCode.Cancelled => AvError.Cancelled($"the call to peer {peerId} was cancelled"),
            _ => new AvError(ErrorKind.Unavailable, $"Service unavailable: peer {peerId} did not answer ({e.StatusCode}: {e.Status.Detail})"),
        };
    }

    public static PeerWire.QuantizationParams ToWire(QuantizationSearchParams quantization)
    {
        var wire = new PeerWire.QuantizationParams { Ignore = quantization.Ignore };
        if (quantization.Rescore is { } rescore)
        {
            wire.Rescore = rescore;
        }

        if (quantization.Oversampling is { } oversampling)
        {
            wire.Oversampling = oversampling;
        }

        return wire;
    }

    public static QuantizationSearchParams? ToEngine(PeerWire.QuantizationParams? quantization) => quantization is null
        ? null
        : new QuantizationSearchParams(quantization.Ignore, quantization.HasRescore ? quantization.Rescore : null, quantization.HasOversampling ? quantization.Oversampling : null);

    public static PeerWire.OrderValue ToWire(OrderValue value) =>
        value.IsInteger ? new PeerWire.OrderValue { Integer = value.Integer } : new PeerWire.OrderValue { Float = value.Float };

    public static OrderValue ToEngine(PeerWire.OrderValue? value) => value?.KindCase switch
    {
        PeerWire.OrderValue.KindOneofCase.Integer => OrderValue.Of(value.Integer),
        PeerWire.OrderValue.KindOneofCase.Float => OrderValue.Of(value.Float),
        _ => throw new InvalidDataException("an order value of no kind"),
    };

    private static PeerWire.StringList Strings(IEnumerable<string> items)
    {
        var list = new PeerWire.StringList();
        list.Items.AddRange(items);
        return list;
    }
}
