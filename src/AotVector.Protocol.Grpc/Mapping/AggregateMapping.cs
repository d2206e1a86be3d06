using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// Grouped queries, facets and distance-matrix requests → the engine's requests, and their results back. The legacy
/// grouped search and recommendation are read as the plain search and recommendation they extend.
/// </summary>
internal static class AggregateMapping
{
    /// <summary>Unset <c>limit</c> and <c>group_size</c> are the defaults (10 groups of 3).</summary>
    public static Result<GroupsRequest> ToEngine(Wire.QueryPointGroups groups)
    {
        var query = new Wire.QueryPoints
        {
            Prefetch = { groups.Prefetch },
            Filter = groups.Filter,
            Params = groups.Params,
            WithPayload = groups.WithPayload,
            WithVectors = groups.WithVectors,
            LookupFrom = groups.LookupFrom,
        };
        if (groups.Query is { } q)
        {
            query.Query = q;
        }

        if (groups.HasUsing)
        {
            query.Using = groups.Using;
        }

        if (groups.HasScoreThreshold)
        {
            query.ScoreThreshold = groups.ScoreThreshold;
        }

        if (groups.HasLimit)
        {
            query.Limit = groups.Limit;
        }

        if (!QueryMapping.ToEngine(query).TryGet(out var source, out var error)
            || !GroupSize(groups.HasGroupSize, groups.GroupSize).TryGet(out var groupSize, out error))
        {
            return error;
        }

        return new GroupsRequest(source, groups.GroupBy, groupSize, ToEngine(groups.WithLookup));
    }

    public static Result<GroupsRequest> ToEngine(Wire.SearchPointGroups groups)
    {
        var search = new Wire.SearchPoints
        {
            Vector = { groups.Vector },
            Filter = groups.Filter,
            Limit = groups.Limit,
            WithPayload = groups.WithPayload,
            Params = groups.Params,
            WithVectors = groups.WithVectors,
            SparseIndices = groups.SparseIndices,
        };
        if (groups.HasScoreThreshold)
        {
            search.ScoreThreshold = groups.ScoreThreshold;
        }

        if (groups.HasVectorName)
        {
            search.VectorName = groups.VectorName;
        }

        if (!QueryMapping.ToEngine(search).TryGet(out var source, out var error)
            || !GroupSize(true, groups.GroupSize).TryGet(out var groupSize, out error))
        {
            return error;
        }

        return new GroupsRequest(source, groups.GroupBy, groupSize, ToEngine(groups.WithLookup));
    }

    public static Result<GroupsRequest> ToEngine(Wire.RecommendPointGroups groups)
    {
        var recommend = new Wire.RecommendPoints
        {
            Positive = { groups.Positive },
            Negative = { groups.Negative },
            PositiveVectors = { groups.PositiveVectors },
            NegativeVectors = { groups.NegativeVectors },
            Filter = groups.Filter,
            Limit = groups.Limit,
            WithPayload = groups.WithPayload,
            Params = groups.Params,
            WithVectors = groups.WithVectors,
            LookupFrom = groups.LookupFrom,
        };
        if (groups.HasScoreThreshold)
        {
            recommend.ScoreThreshold = groups.ScoreThreshold;
        }

        if (groups.HasUsing)
        {
            recommend.Using = groups.Using;
        }

        if (groups.HasStrategy)
        {
            recommend.Strategy = groups.Strategy;
        }

        if (!QueryMapping.ToEngine(recommend).TryGet(out var source, out var error)
            || !GroupSize(true, groups.GroupSize).TryGet(out var groupSize, out error))
        {
            return error;
        }

        return new GroupsRequest(source, groups.GroupBy, groupSize, ToEngine(groups.WithLookup));
    }

    public static Result<FacetRequest> ToEngine(Wire.FacetCounts facet)
    {
        if (!RequestValidation.Limit(facet.HasLimit, facet.Limit).TryGet(out var limit, out var error)
            || !FilterMapping.ToEngine(facet.Filter).TryGet(out var filter, out error))
        {
            return error;
        }

        // An unset limit is the facet's own default, which happens to equal the query default.
        return new FacetRequest(facet.Key, filter, facet.HasLimit ? limit : RequestDefaults.FacetLimit, facet.HasExact ? facet.Exact : RequestDefaults.FacetExact);
    }

    public static Result<MatrixRequest> ToEngine(Wire.SearchMatrixPoints matrix)
    {
        if (matrix.HasSample && matrix.Sample < RequestRules.MinMatrixSample)
        {
            return Errors.GrpcErrors.InvalidField("sample", RequestRules.MatrixSample((uint)matrix.Sample));
        }

        if (!RequestValidation.Limit(matrix.HasLimit, matrix.Limit).TryGet(out var limit, out var error)
            || !FilterMapping.ToEngine(matrix.Filter).TryGet(out var filter, out error))
        {
            return error;
        }

        return new MatrixRequest(
            filter,
            matrix.HasSample ? (uint)Math.Min(matrix.Sample, uint.MaxValue) : RequestDefaults.MatrixSample,
            matrix.HasLimit ? limit : RequestDefaults.MatrixLimit,
            matrix.HasUsing ? matrix.Using : null);
    }

    public static Wire.GroupsResult ToWire(IReadOnlyList<PointGroup> groups)
    {
        var result = new Wire.GroupsResult();
        foreach (var group in groups)
        {
            var wire = new Wire.PointGroup { Id = GroupId(group.Id) };
            QueryMapping.ToWire(group.Hits, wire.Hits);
            if (group.Lookup is { } lookup)
            {
                wire.Lookup = QueryMapping.ToWire(lookup);
            }

            result.Groups.Add(wire);
        }

        return result;
    }

    public static void ToWire(IReadOnlyList<FacetHit> hits, Google.Protobuf.Collections.RepeatedField<Wire.FacetHit> target)
    {
        foreach (var hit in hits)
        {
            var value = hit.Value.Kind switch
            {
                PayloadKind.Integer => new Wire.FacetValue { IntegerValue = hit.Value.AsInteger },
                PayloadKind.Bool => new Wire.FacetValue { BoolValue = hit.Value.AsBool },
                _ => new Wire.FacetValue { StringValue = hit.Value.AsString },
            };
            target.Add(new Wire.FacetHit { Value = value, Count = hit.Count });
        }
    }

    public static Wire.SearchMatrixPairs ToWirePairs(DistanceMatrix matrix)
    {
        var result = new Wire.SearchMatrixPairs();
        foreach (var (a, b, score) in matrix.Pairs())
        {
            result.Pairs.Add(new Wire.SearchMatrixPair { A = PointIdMapping.ToWire(a), B = PointIdMapping.ToWire(b), Score = score });
        }

        return result;
    }

    public static Wire.SearchMatrixOffsets ToWireOffsets(DistanceMatrix matrix)
    {
        var result = new Wire.SearchMatrixOffsets();
        foreach (var (row, column, score) in matrix.Offsets())
        {
            result.OffsetsRow.Add(row);
            result.OffsetsCol.Add(column);
            result.Scores.Add(score);
        }

        foreach (var id in matrix.Ids)
        {
            result.Ids.Add(PointIdMapping.ToWire(id));
        }

        return result;
    }

    // As the reference: a non-negative integer travels as unsigned, a negative one as signed.
    private static Wire.GroupId GroupId(PayloadValue id) => id.Kind switch
    {
        PayloadKind.Integer when id.AsInteger >= 0 => new Wire.GroupId { UnsignedValue = (ulong)id.AsInteger },
        PayloadKind.Integer => new Wire.GroupId { IntegerValue = id.AsInteger },
        _ => new Wire.GroupId { StringValue = id.AsString },
    };

    private static Result<uint> GroupSize(bool isSet, ulong value) =>
        isSet ? RequestValidation.Limit(true, value, "group_size") : RequestDefaults.GroupSize;

    private static GroupLookup? ToEngine(Wire.WithLookup? lookup) => lookup is null
        ? null
        : new GroupLookup(
            lookup.Collection,
            lookup.WithPayload is { } payload ? SelectorMapping.ToEngine(payload, WithPayload.All) : WithPayload.All,
            SelectorMapping.ToEngine(lookup.WithVectors));
}
