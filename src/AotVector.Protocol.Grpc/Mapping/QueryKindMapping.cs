using System.Globalization;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using Google.Protobuf.Collections;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// The query kinds beyond nearest, recommend and fusion on the gRPC wire: discover and context inputs, order_by (also
/// on Scroll), sample, the deprecated Discover request, and the order value of an ordered point. Missing parts are
/// refused with the reference's words.
/// </summary>
internal static class QueryKindMapping
{
    public static Result<QueryInput> ToEngine(Wire.DiscoverInput discover)
    {
        if (discover.Target is null)
        {
            return AvError.BadRequest("DiscoverInput target is missing");
        }

        if (!VectorMapping.ToEngine(discover.Target).TryGet(out var target, out var error))
        {
            return error;
        }

        if (discover.Context is null)
        {
            return AvError.BadRequest("DiscoverInput context is missing");
        }

        return Pairs(discover.Context.Pairs).TryGet(out var pairs, out error) ? new DiscoverQuery(target, pairs) : error;
    }

    public static Result<QueryInput> ToEngine(Wire.ContextInput context) =>
        Pairs(context.Pairs).TryGet(out var pairs, out var error) ? new ContextQuery(pairs) : error;

    /// <summary>Relevance feedback; an empty feedback list is accepted, as the reference's gRPC accepts it (no pairs).</summary>
    public static Result<QueryInput> ToEngine(Wire.RelevanceFeedbackInput feedback)
    {
        if (feedback.Target is null)
        {
            return AvError.BadRequest("target is missing");
        }

        if (!VectorMapping.ToEngine(feedback.Target).TryGet(out var target, out var error))
        {
            return error;
        }

        var items = new List<FeedbackItem>(feedback.Feedback.Count);
        foreach (var item in feedback.Feedback)
        {
            if (item.Example is null)
            {
                return AvError.BadRequest("feedback example is missing");
            }

            if (!VectorMapping.ToEngine(item.Example).TryGet(out var example, out error))
            {
                return error;
            }

            items.Add(new FeedbackItem(example, item.Score));
        }

        if (feedback.Strategy is null)
        {
            return AvError.BadRequest("strategy is missing");
        }

        if (feedback.Strategy.Naive is not { } naive)
        {
            return AvError.BadRequest("Missing variant");
        }

        return new RelevanceFeedbackQuery(target, items, new NaiveFeedbackStrategy(naive.A, naive.B, naive.C));
    }

    /// <summary>Sample has one variant, random; any other number is refused rather than read as random.</summary>
    public static Result<QueryInput> ToEngine(Wire.Sample sample) =>
        sample == Wire.Sample.Random ? new SampleQuery() : AvError.BadRequest("Unknown sample type: " + ((int)sample).ToString(CultureInfo.InvariantCulture));

    /// <summary>The key must be a payload path; an unknown direction number is ascending, as the reference reads it.</summary>
    public static Result<OrderBy> ToEngine(Wire.OrderBy orderBy)
    {
        if (!JsonPath.TryParse(orderBy.Key, out _, out var problem))
        {
            return AvError.BadRequest("Invalid key path: " + problem);
        }

        var direction = orderBy.HasDirection && orderBy.Direction == Wire.Direction.Desc ? OrderDirection.Desc : OrderDirection.Asc;
        OrderValue? startFrom = null;
        if (orderBy.StartFrom is { } from)
        {
            switch (from.ValueCase)
            {
                case Wire.StartFrom.ValueOneofCase.Integer:
                    startFrom = OrderValue.Of(from.Integer);
                    break;
                case Wire.StartFrom.ValueOneofCase.Float:
                    startFrom = OrderValue.Of(from.Float);
                    break;
                case Wire.StartFrom.ValueOneofCase.Timestamp:
                    startFrom = Micros(from.Timestamp.ToDateTimeOffset());
                    break;
                case Wire.StartFrom.ValueOneofCase.Datetime:
                    if (!DateTimeOffset.TryParse(from.Datetime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                    {
                        return AvError.BadRequest("Malformed datetime: " + from.Datetime);
                    }

                    startFrom = Micros(instant);
                    break;
            }
        }

        return new OrderBy(orderBy.Key, direction, startFrom);
    }

    public static Wire.OrderValue ToWire(OrderValue value) =>
        value.IsInteger ? new Wire.OrderValue { Int = value.Integer } : new Wire.OrderValue { Float = value.Float };

    /// <summary>The deprecated Discover: a target makes it a discovery, pairs alone a context search; neither is refused.</summary>
    public static Result<QueryRequest> ToEngine(Wire.DiscoverPoints discover)
    {
        if (!RequestValidation.Limit(true, discover.Limit).TryGet(out var limit, out var error)
            || !RequestValidation.Offset(discover.HasOffset, discover.Offset).TryGet(out var offset, out error)
            || !FilterMapping.ToEngine(discover.Filter).TryGet(out var filter, out error))
        {
            return error;
        }

        VectorInput? target = null;
        if (discover.Target is { } wireTarget)
        {
            if (wireTarget.TargetCase != Wire.TargetVector.TargetOneofCase.Single)
            {
                return AvError.BadRequest("Target vector is malformed");
            }

            if (!Example(wireTarget.Single).TryGet(out target, out error))
            {
                return error;
            }
        }

        var pairs = new List<ContextPair>(discover.Context.Count);
        foreach (var pair in discover.Context)
        {
            if (!Example(pair.Positive).TryGet(out var positive, out error) || !Example(pair.Negative).TryGet(out var negative, out error))
            {
                return error;
            }

            pairs.Add(new ContextPair(positive, negative));
        }

        if (target is null && pairs.Count == 0)
        {
            return new AvError(ErrorKind.BadRequest, "Bad request: target and/or context_pairs must be specified");
        }

        return new QueryRequest(
            target is null ? new ContextQuery(pairs) : new DiscoverQuery(target, pairs),
            discover.HasUsing ? discover.Using : null,
            filter,
            limit,
            offset,
            null,
            QueryMapping.ToEngine(discover.Params),
            SelectorMapping.ToEngine(discover.WithPayload, RequestDefaults.QueryPayload),
            SelectorMapping.ToEngine(discover.WithVectors),
            QueryMapping.ToEngine(discover.LookupFrom));
    }

    private static OrderValue Micros(DateTimeOffset instant) =>
        OrderValue.Of((instant.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond);

    private static Result<IReadOnlyList<ContextPair>> Pairs(RepeatedField<Wire.ContextInputPair> wire)
    {
        var pairs = new List<ContextPair>(wire.Count);
        foreach (var pair in wire)
        {
            if (pair.Positive is null)
            {
                return AvError.BadRequest("ContextPair positive is missing");
            }

            if (pair.Negative is null)
            {
                return AvError.BadRequest("ContextPair negative is missing");
            }

            if (!VectorMapping.ToEngine(pair.Positive).TryGet(out var positive, out var error)
                || !VectorMapping.ToEngine(pair.Negative).TryGet(out var negative, out error))
            {
                return error;
            }

            pairs.Add(new ContextPair(positive, negative));
        }

        return pairs;
    }

    // A legacy example: a point id or a bare vector (dense or sparse).
    private static Result<VectorInput> Example(Wire.VectorExample? example)
    {
        switch (example?.ExampleCase)
        {
            case Wire.VectorExample.ExampleOneofCase.Id:
                return PointIdMapping.ToEngine(example.Id).TryGet(out var id, out var error) ? new PointIdInput(id) : error;
            case Wire.VectorExample.ExampleOneofCase.Vector:
                if (!VectorMapping.ToVector(example.Vector).TryGet(out var vector, out error))
                {
                    return error;
                }

                return vector switch
                {
                    SparseVector sparse => new SparseVectorInput(sparse),
                    DenseVector dense => new DenseVectorInput(dense.Values),
                    _ => AvError.BadRequest("MultiDense vector is not supported in search request"),
                };
            default:
                return AvError.BadRequest("Vector example, which can be id or bare vector, is malformed");
        }
    }
}
