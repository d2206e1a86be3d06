using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// Wire Filter → engine <see cref="Filter"/>. Empty repeated clauses become null (no constraint):
/// proto3 cannot tell an empty list from an absent one, and Qdrant drops them the same way.
/// </summary>
internal static class FilterMapping
{
    public static Result<Filter?> ToEngine(Wire.Filter? filter)
    {
        if (filter is null)
        {
            return (Filter?)null;
        }

        if (!Clause(filter.Must).TryGet(out var must, out var error)
            || !Clause(filter.Should).TryGet(out var should, out error)
            || !Clause(filter.MustNot).TryGet(out var mustNot, out error))
        {
            return error;
        }

        MinShould? minShould = null;
        if (filter.MinShould is { } wireMin)
        {
            if (!Conditions(wireMin.Conditions).TryGet(out var conditions, out error))
            {
                return error;
            }

            minShould = new MinShould(conditions, (int)Math.Min(wireMin.MinCount, int.MaxValue));
        }

        return new Filter(must, should, mustNot, minShould);
    }

    /// <summary>Like <see cref="ToEngine(Wire.Filter?)"/>, but an absent filter is an empty one (matches everything).</summary>
    public static Result<Filter> ToEngineOrEmpty(Wire.Filter? filter) =>
        ToEngine(filter).TryGet(out var mapped, out var error) ? mapped ?? new Filter() : error;

    public static Result<Condition> ToEngine(Wire.Condition condition)
    {
        switch (condition.ConditionOneOfCase)
        {
            case Wire.Condition.ConditionOneOfOneofCase.Field:
                return Field(condition.Field);
            case Wire.Condition.ConditionOneOfOneofCase.IsEmpty:
                return new IsEmptyCondition(condition.IsEmpty.Key);
            case Wire.Condition.ConditionOneOfOneofCase.IsNull:
                return new IsNullCondition(condition.IsNull.Key);
            case Wire.Condition.ConditionOneOfOneofCase.HasId:
            {
                if (!PointIdMapping.ToEngine(condition.HasId.HasId).TryGet(out var ids, out var error))
                {
                    return error;
                }

                return new HasIdCondition(new HashSet<PointId>(ids));
            }

            case Wire.Condition.ConditionOneOfOneofCase.HasVector:
                return new HasVectorCondition(condition.HasVector.HasVector);
            case Wire.Condition.ConditionOneOfOneofCase.Nested:
            {
                if (!ToEngineOrEmpty(condition.Nested.Filter).TryGet(out var inner, out var error))
                {
                    return error;
                }

                return new NestedCondition(condition.Nested.Key, inner);
            }

            case Wire.Condition.ConditionOneOfOneofCase.Filter:
            {
                if (!ToEngineOrEmpty(condition.Filter).TryGet(out var inner, out var error))
                {
                    return error;
                }

                return new FilterCondition(inner);
            }

            case Wire.Condition.ConditionOneOfOneofCase.Slice:
                return RequestRules.Slice(condition.Slice.Index, condition.Slice.Total) is { } sliceError
                    ? sliceError
                    : new SliceCondition(condition.Slice.Index, condition.Slice.Total);
            default:
                return AvError.BadRequest("Malformed Condition: no condition is set");
        }
    }

    private static Result<IReadOnlyList<Condition>?> Clause(RepeatedField<Wire.Condition> conditions)
    {
        if (conditions.Count == 0)
        {
            return Result<IReadOnlyList<Condition>?>.Ok(null);
        }

        return Conditions(conditions).TryGet(out var mapped, out var error)
            ? Result<IReadOnlyList<Condition>?>.Ok(mapped)
            : error;
    }

    private static Result<IReadOnlyList<Condition>> Conditions(RepeatedField<Wire.Condition> conditions)
    {
        var result = new List<Condition>(conditions.Count);
        foreach (var wire in conditions)
        {
            if (!ToEngine(wire).TryGet(out var condition, out var error))
            {
                return error;
            }

            result.Add(condition);
        }

        return result;
    }

    private static Result<Condition> Field(Wire.FieldCondition field)
    {
        Match? match = null;
        if (field.Match is { } wireMatch && !ToEngine(wireMatch).TryGet(out match, out var error))
        {
            return error;
        }

        GeoBoundingBox? box = null;
        if (field.GeoBoundingBox is { } wireBox)
        {
            if (wireBox.TopLeft is null || wireBox.BottomRight is null)
            {
                return AvError.BadRequest("geo_bounding_box needs both top_left and bottom_right");
            }

            box = new GeoBoundingBox(Geo(wireBox.TopLeft), Geo(wireBox.BottomRight));
        }

        GeoRadius? radius = null;
        if (field.GeoRadius is { } wireRadius)
        {
            if (wireRadius.Center is null)
            {
                return AvError.BadRequest("geo_radius needs a center");
            }

            radius = new GeoRadius(Geo(wireRadius.Center), wireRadius.Radius);
        }

        GeoPolygon? polygon = null;
        if (field.GeoPolygon is { } wirePolygon)
        {
            if (wirePolygon.Exterior is null)
            {
                return AvError.BadRequest("geo_polygon needs an exterior ring");
            }

            List<IReadOnlyList<GeoPoint>>? interiors = null;
            if (wirePolygon.Interiors.Count > 0)
            {
                interiors = new List<IReadOnlyList<GeoPoint>>(wirePolygon.Interiors.Count);
                foreach (var ring in wirePolygon.Interiors)
                {
                    interiors.Add(Ring(ring));
                }
            }

            polygon = new GeoPolygon(Ring(wirePolygon.Exterior), interiors);
        }

        var condition = new FieldCondition(
            field.Key,
            match,
            field.Range is { } r ? new RangeCondition(
                r.HasGt ? r.Gt : null,
                r.HasGte ? r.Gte : null,
                r.HasLt ? r.Lt : null,
                r.HasLte ? r.Lte : null) : null,
            field.DatetimeRange is { } d ? new DatetimeRange(Time(d.Gt), Time(d.Gte), Time(d.Lt), Time(d.Lte)) : null,
            field.ValuesCount is { } c ? new ValuesCount(
                c.HasGt ? c.Gt : null,
                c.HasGte ? c.Gte : null,
                c.HasLt ? c.Lt : null,
                c.HasLte ? c.Lte : null) : null,
            box,
            radius,
            polygon,
            field.HasIsEmpty ? field.IsEmpty : null,
            field.HasIsNull ? field.IsNull : null);

        if (condition is { Match: null, Range: null, DatetimeRange: null, ValuesCount: null, GeoBoundingBox: null, GeoRadius: null, GeoPolygon: null, IsEmpty: null, IsNull: null })
        {
            return AvError.BadRequest($"At least one field condition must be specified (key `{field.Key}`)");
        }

        return condition;
    }

    private static Result<Match> ToEngine(Wire.Match match) => match.MatchValueCase switch
    {
        Wire.Match.MatchValueOneofCase.Keyword => new MatchValue(PayloadValue.FromString(match.Keyword)),
        Wire.Match.MatchValueOneofCase.Integer => new MatchValue(PayloadValue.FromInteger(match.Integer)),
        Wire.Match.MatchValueOneofCase.Boolean => new MatchValue(PayloadValue.FromBool(match.Boolean)),
        Wire.Match.MatchValueOneofCase.Text => new MatchText(match.Text),
        Wire.Match.MatchValueOneofCase.Keywords => new MatchAny([.. match.Keywords.Strings], null),
        Wire.Match.MatchValueOneofCase.Integers => new MatchAny(null, [.. match.Integers.Integers]),
        Wire.Match.MatchValueOneofCase.ExceptIntegers => new MatchExcept(null, [.. match.ExceptIntegers.Integers]),
        Wire.Match.MatchValueOneofCase.ExceptKeywords => new MatchExcept([.. match.ExceptKeywords.Strings], null),
        Wire.Match.MatchValueOneofCase.Phrase => new MatchPhrase(match.Phrase),
        Wire.Match.MatchValueOneofCase.TextAny => new MatchTextAny(match.TextAny),
        Wire.Match.MatchValueOneofCase.Prefix => new MatchPrefix(match.Prefix),
        _ => AvError.BadRequest("Malformed Match condition: no match value is set"),
    };

    private static GeoPoint Geo(Wire.GeoPoint point) => new(point.Lon, point.Lat);

    private static List<GeoPoint> Ring(Wire.GeoLineString ring) => ring.Points.Select(Geo).ToList();

    private static DateTimeOffset? Time(Timestamp? timestamp) => timestamp?.ToDateTimeOffset();
}
