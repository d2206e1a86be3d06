using System.Diagnostics;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using Google.Protobuf.Collections;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// Search, Recommend and Query requests → the engine's one <see cref="QueryRequest"/>, and scored or
/// retrieved points back to the wire. The batch RPCs use the outer collection name, so the inner
/// messages' names are not read.
/// </summary>
internal static class QueryMapping
{
    /// <summary>The deprecated Search: the raw <c>vector</c> field plus <c>vector_name</c>.</summary>
    public static Result<QueryRequest> ToEngine(Wire.SearchPoints search)
    {
        if (!RequestValidation.Limit(true, search.Limit).TryGet(out var limit, out var error)
            || !RequestValidation.Offset(search.HasOffset, search.Offset).TryGet(out var offset, out error)
            || !FilterMapping.ToEngine(search.Filter).TryGet(out var filter, out error))
        {
            return error;
        }

        return new QueryRequest(
            // The deprecated flat form: sparse_indices beside the values marks a sparse vector.
            new NearestQuery(search.SparseIndices is { } indices
                ? new SparseVectorInput(new Common.Model.SparseVector(indices.Data.ToArray(), search.Vector.ToArray()))
                : new DenseVectorInput(search.Vector.ToArray())),
            search.HasVectorName ? search.VectorName : null,
            filter,
            limit,
            offset,
            search.HasScoreThreshold ? search.ScoreThreshold : null,
            ToEngine(search.Params),
            SelectorMapping.ToEngine(search.WithPayload, RequestDefaults.QueryPayload),
            SelectorMapping.ToEngine(search.WithVectors));
    }

    /// <summary>The deprecated Recommend: example ids and example vectors, merged in that order.</summary>
    public static Result<QueryRequest> ToEngine(Wire.RecommendPoints recommend)
    {
        if (!RequestValidation.Limit(true, recommend.Limit).TryGet(out var limit, out var error)
            || !RequestValidation.Offset(recommend.HasOffset, recommend.Offset).TryGet(out var offset, out error)
            || !FilterMapping.ToEngine(recommend.Filter).TryGet(out var filter, out error)
            || !Examples(recommend.Positive, recommend.PositiveVectors).TryGet(out var positive, out error)
            || !Examples(recommend.Negative, recommend.NegativeVectors).TryGet(out var negative, out error))
        {
            return error;
        }

        var strategy = recommend.HasStrategy ? ToEngine(recommend.Strategy) : RequestDefaults.Strategy;
        if (RequestRules.RecommendExamples(positive.Count, negative.Count, strategy) is { } refused)
        {
            return refused;
        }

        return new QueryRequest(
            new RecommendQuery(positive, negative, strategy),
            recommend.HasUsing ? recommend.Using : null,
            filter,
            limit,
            offset,
            recommend.HasScoreThreshold ? recommend.ScoreThreshold : null,
            ToEngine(recommend.Params),
            SelectorMapping.ToEngine(recommend.WithPayload, RequestDefaults.QueryPayload),
            SelectorMapping.ToEngine(recommend.WithVectors),
            ToEngine(recommend.LookupFrom));
    }

    /// <summary>The universal query. Unset <c>with_payload</c> is the default, none (the .NET client sets true itself).</summary>
    public static Result<QueryRequest> ToEngine(Wire.QueryPoints query)
    {
        if (!RequestValidation.Limit(query.HasLimit, query.Limit).TryGet(out var limit, out var error)
            || !RequestValidation.Offset(query.HasOffset, query.Offset).TryGet(out var offset, out error)
            || !FilterMapping.ToEngine(query.Filter).TryGet(out var filter, out error)
            || !PrefetchMapping.ToEngine(query.Prefetch, "prefetch").TryGet(out var prefetch, out error))
        {
            return error;
        }

        QueryInput? input = null;
        if (query.Query is { } wireQuery && !ToEngine(wireQuery, "query").TryGet(out input, out error))
        {
            return error;
        }

        return new QueryRequest(
            input,
            query.HasUsing ? query.Using : null,
            filter,
            limit,
            offset,
            query.HasScoreThreshold ? query.ScoreThreshold : null,
            ToEngine(query.Params),
            SelectorMapping.ToEngine(query.WithPayload, RequestDefaults.QueryPayload),
            SelectorMapping.ToEngine(query.WithVectors),
            ToEngine(query.LookupFrom),
            prefetch);
    }

    public static Result<List<QueryRequest>> ToEngine<T>(RepeatedField<T> requests, Func<T, Result<QueryRequest>> map)
    {
        var result = new List<QueryRequest>(requests.Count);
        foreach (var request in requests)
        {
            if (!map(request).TryGet(out var mapped, out var error))
            {
                return error;
            }

            result.Add(mapped);
        }

        return result;
    }

    public static Wire.ScoredPoint ToWire(ScoredPoint point)
    {
        var wire = new Wire.ScoredPoint
        {
            Id = PointIdMapping.ToWire(point.Id),
            Score = point.Score,
            Version = point.Version,
        };
        if (point.Payload is { } payload)
        {
            PayloadMapping.ToWire(payload, wire.Payload);
        }

        if (VectorMapping.ToWire(point.Vectors) is { } vectors)
        {
            wire.Vectors = vectors;
        }

        if (point.OrderValue is { } orderValue)
        {
            wire.OrderValue = QueryKindMapping.ToWire(orderValue);
        }

        return wire;
    }

    public static void ToWire(IReadOnlyList<ScoredPoint> points, RepeatedField<Wire.ScoredPoint> target)
    {
        // Indexed, not foreach: the engine hands back an interface, whose enumerator would be one more allocation per call.
        target.Capacity = target.Count + points.Count;
        for (var i = 0; i < points.Count; i++)
        {
            target.Add(ToWire(points[i]));
        }
    }

    /// <summary>One BatchResult per query, in order (QueryBatch, SearchBatch and RecommendBatch share the shape).</summary>
    public static void ToWire(IReadOnlyList<IReadOnlyList<ScoredPoint>> batches, RepeatedField<Wire.BatchResult> target)
    {
        foreach (var points in batches)
        {
            var batch = new Wire.BatchResult();
            ToWire(points, batch.Result);
            target.Add(batch);
        }
    }

    public static Wire.RetrievedPoint ToWire(PointRecord point)
    {
        var wire = new Wire.RetrievedPoint { Id = PointIdMapping.ToWire(point.Id) };
        if (point.Payload is { } payload)
        {
            PayloadMapping.ToWire(payload, wire.Payload);
        }

        if (VectorMapping.ToWire(point.Vectors) is { } vectors)
        {
            wire.Vectors = vectors;
        }

        if (point.OrderValue is { } orderValue)
        {
            wire.OrderValue = QueryKindMapping.ToWire(orderValue);
        }

        return wire;
    }

    /// <remarks>An oversampling below 1 is refused by the engine, which checks it for both front ends.</remarks>
    public static SearchParams? ToEngine(Wire.SearchParams? p) =>
        p is null ? null : new SearchParams(
            p.HasHnswEf ? p.HnswEf : null,
            p.HasExact ? p.Exact : RequestDefaults.ExactSearch,
            p.Quantization is { } q ? new QuantizationSearchParams(q.HasIgnore && q.Ignore, q.HasRescore ? q.Rescore : null, q.HasOversampling ? q.Oversampling : null) : null,
            p.Acorn is { } a ? new AcornSearchParams(a.HasEnable && a.Enable, a.HasMaxSelectivity ? a.MaxSelectivity : null) : null);

    /// <summary>A query of the request or of a branch; <paramref name="path"/> names it in validation errors.</summary>
    internal static Result<QueryInput> ToEngine(Wire.Query query, string path)
    {
        switch (query.VariantCase)
        {
            case Wire.Query.VariantOneofCase.Nearest:
                return VectorMapping.ToEngine(query.Nearest).TryGet(out var target, out var error)
                    ? new NearestQuery(target)
                    : error;
            case Wire.Query.VariantOneofCase.Recommend:
            {
                var recommend = query.Recommend;
                if (!Inputs(recommend.Positive).TryGet(out var positive, out error)
                    || !Inputs(recommend.Negative).TryGet(out var negative, out error))
                {
                    return error;
                }

                var strategy = recommend.HasStrategy ? ToEngine(recommend.Strategy) : RequestDefaults.Strategy;
                return RequestRules.RecommendExamples(positive.Count, negative.Count, strategy) is { } refused
                    ? refused
                    : new RecommendQuery(positive, negative, strategy);
            }

            case Wire.Query.VariantOneofCase.None:
                // A 1.20-only variant (e.g. text) arrives as an unknown field: say so rather than scroll silently.
                return AvError.BadRequest("query is set but holds no variant this server understands");
            case Wire.Query.VariantOneofCase.Discover:
                return QueryKindMapping.ToEngine(query.Discover);
            case Wire.Query.VariantOneofCase.Context:
                return QueryKindMapping.ToEngine(query.Context);
            case Wire.Query.VariantOneofCase.OrderBy:
                return QueryKindMapping.ToEngine(query.OrderBy).TryGet(out var orderBy, out error) ? new OrderByQuery(orderBy) : error;
            case Wire.Query.VariantOneofCase.Fusion:
                return PrefetchMapping.ToEngine(query.Fusion);
            case Wire.Query.VariantOneofCase.Rrf:
                return PrefetchMapping.ToEngine(query.Rrf, path + ".rrf");
            case Wire.Query.VariantOneofCase.Formula:
                return FormulaMapping.ToEngine(query.Formula);
            case Wire.Query.VariantOneofCase.Sample:
                return QueryKindMapping.ToEngine(query.Sample);
            case Wire.Query.VariantOneofCase.RelevanceFeedback:
                return QueryKindMapping.ToEngine(query.RelevanceFeedback);
            case Wire.Query.VariantOneofCase.NearestWithMmr:
                return FormulaMapping.ToEngine(query.NearestWithMmr);
            default:
                return AvError.BadRequest("query is set but holds no variant this server understands");
        }
    }

    private static Result<IReadOnlyList<VectorInput>> Inputs(RepeatedField<Wire.VectorInput> inputs)
    {
        var result = new List<VectorInput>(inputs.Count);
        foreach (var wire in inputs)
        {
            if (!VectorMapping.ToEngine(wire).TryGet(out var input, out var error))
            {
                return error;
            }

            result.Add(input);
        }

        return result;
    }

    private static Result<IReadOnlyList<VectorInput>> Examples(RepeatedField<Wire.PointId> ids, RepeatedField<Wire.Vector> vectors)
    {
        var result = new List<VectorInput>(ids.Count + vectors.Count);
        foreach (var wire in ids)
        {
            if (!PointIdMapping.ToEngine(wire).TryGet(out var id, out var error))
            {
                return error;
            }

            result.Add(new PointIdInput(id));
        }

        foreach (var wire in vectors)
        {
            if (!VectorMapping.ToVector(wire).TryGet(out var vector, out var error))
            {
                return error;
            }

            result.Add(vector switch
            {
                Common.Model.MultiDenseVector multi => new MultiDenseVectorInput(multi),
                Common.Model.SparseVector sparse => new SparseVectorInput(sparse),
                Common.Model.DocumentVector document => new DocumentInput(document),
                Common.Model.DenseVector dense => new DenseVectorInput(dense.Values),
                _ => throw new UnreachableException("a vector kind without an example input: " + vector.GetType().Name),
            });
        }

        return result;
    }

    private static RecommendStrategy ToEngine(Wire.RecommendStrategy strategy) => strategy switch
    {
        Wire.RecommendStrategy.BestScore => RecommendStrategy.BestScore,
        Wire.RecommendStrategy.SumScores => RecommendStrategy.SumScores,
        _ => RecommendStrategy.AverageVector,
    };

    internal static LookupLocation? ToEngine(Wire.LookupLocation? lookup) =>
        lookup is null ? null : new LookupLocation(lookup.CollectionName, lookup.HasVectorName ? lookup.VectorName : null);
}
