using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Reads Qdrant's filter language (api.md §3) into <see cref="Filter"/>. Unknown keys are refused (Qdrant's
/// Filter is deny_unknown_fields), a clause may be one condition or an array, and a filter nests as a condition.
/// </summary>
internal static class FilterReader
{
    private const string FilterFields = "`should`, `min_should`, `must`, `must_not`";
    private const string FieldConditionFields = "`key`, `match`, `range`, `geo_bounding_box`, `geo_radius`, `geo_polygon`, `values_count`, `is_empty`, `is_null`";
    private const string MatchFields = "`value`, `any`, `except`, `text`, `text_any`, `phrase`, `prefix`";

    public static Filter? ReadOptional(JsonElement e, string path) => JsonRead.IsAbsent(e) ? null : Read(e, path);

    public static Filter Read(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a filter object");
        IReadOnlyList<Condition>? must = null, should = null, mustNot = null;
        MinShould? minShould = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "must":
                    must = ReadClause(p.Value, at);
                    break;
                case "should":
                    should = ReadClause(p.Value, at);
                    break;
                case "must_not":
                    mustNot = ReadClause(p.Value, at);
                    break;
                case "min_should":
                    minShould = JsonRead.IsAbsent(p.Value) ? null : ReadMinShould(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of " + FilterFields);
                    break;
            }
        }

        return new Filter(must, should, mustNot, minShould);
    }

    public static Condition ReadCondition(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a condition object");
        if (e.TryGetProperty("key", out _))
        {
            return ReadFieldCondition(e, path);
        }

        JsonProperty first = default;
        var count = 0;
        foreach (var p in e.EnumerateObject())
        {
            if (count++ == 0)
            {
                first = p;
            }
        }

        if (count == 0)
        {
            return new FilterCondition(new Filter());
        }

        switch (first.Name)
        {
            case "must" or "should" or "must_not" or "min_should":
                return new FilterCondition(Read(e, path));
            case "is_empty" or "is_null" or "has_id" or "has_vector" or "nested" or "slice" when count > 1:
                return ThrowHelper.ThrowFormat<Condition>(path, "a `" + first.Name + "` condition takes no other fields");
            case "is_empty":
                return new IsEmptyCondition(ReadKeyOnly(first.Value, BodyPath.Field(path, "is_empty")));
            case "is_null":
                return new IsNullCondition(ReadKeyOnly(first.Value, BodyPath.Field(path, "is_null")));
            case "has_id":
                return new HasIdCondition(new HashSet<PointId>(PointIdJson.ReadList(first.Value, BodyPath.Field(path, "has_id"))));
            case "has_vector":
                return new HasVectorCondition(JsonRead.String(first.Value, BodyPath.Field(path, "has_vector")));
            case "nested":
                return ReadNested(first.Value, BodyPath.Field(path, "nested"));
            case "slice":
                return ReadSlice(first.Value, BodyPath.Field(path, "slice"));
            default:
                return ThrowHelper.ThrowFormat<Condition>(path,
                    "unknown condition `" + first.Name + "`, expected a field condition (`key`), `is_empty`, `is_null`, `has_id`, `has_vector`, `nested`, `slice` or a filter (" + FilterFields + ")");
        }
    }

    private static List<Condition>? ReadClause(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Object:
                return [ReadCondition(e, path)];
            case JsonValueKind.Array:
                var list = new List<Condition>(e.GetArrayLength());
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    list.Add(ReadCondition(item, BodyPath.Index(path, i++)));
                }

                return list;
            default:
                JsonRead.InvalidType(e, path, "a condition or a list of conditions");
                return null;
        }
    }

    private static MinShould ReadMinShould(JsonElement e, string path)
    {
        JsonRead.Object(e, path);
        List<Condition>? conditions = null;
        ulong? minCount = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "conditions":
                    conditions = ReadClause(JsonRead.Array(p.Value, at), at);
                    break;
                case "min_count":
                    minCount = JsonRead.UInt64(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`conditions` or `min_count`");
                    break;
            }
        }

        if (conditions is null)
        {
            JsonRead.Missing(path, "conditions");
        }

        if (minCount is null)
        {
            JsonRead.Missing(path, "min_count");
        }

        return new MinShould(conditions, (int)Math.Min(minCount.Value, int.MaxValue));
    }

    private static string ReadKeyOnly(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "an object with a `key`");
        string? key = null;
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name != "key")
            {
                JsonRead.UnknownField(path, p.Name, "`key`");
            }

            key = ReadKey(p.Value, BodyPath.Field(path, "key"));
        }

        if (key is null)
        {
            JsonRead.Missing(path, "key");
        }

        return key;
    }

    // {"total": n, "index": i}, checked by the engine's rule so both wires refuse alike.
    private static SliceCondition ReadSlice(JsonElement e, string path)
    {
        JsonRead.Object(e, path);
        uint? total = null, index = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "total":
                    total = JsonRead.UInt32(p.Value, at);
                    break;
                case "index":
                    index = JsonRead.UInt32(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`total` or `index`");
                    break;
            }
        }

        if (total is null)
        {
            JsonRead.Missing(path, "total");
        }

        if (index is null)
        {
            JsonRead.Missing(path, "index");
        }

        if (total > 0 && index >= total)
        {
            ThrowHelper.ThrowError(AvError.Validation($"[{path}: {RequestRules.SliceIndex}]"));
        }

        if (RequestRules.Slice(index.Value, total.Value) is { } error)
        {
            ThrowHelper.ThrowError(error);
        }

        return new SliceCondition(index.Value, total.Value);
    }

    private static NestedCondition ReadNested(JsonElement e, string path)
    {
        JsonRead.Object(e, path);
        string? key = null;
        Filter? filter = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "key":
                    key = ReadKey(p.Value, at);
                    break;
                case "filter":
                    filter = Read(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`key` or `filter`");
                    break;
            }
        }

        if (key is null)
        {
            JsonRead.Missing(path, "key");
        }

        if (filter is null)
        {
            JsonRead.Missing(path, "filter");
        }

        return new NestedCondition(key, filter);
    }

    private static FieldCondition ReadFieldCondition(JsonElement e, string path)
    {
        string key = "";
        Match? match = null;
        RangeCondition? range = null;
        DatetimeRange? datetimeRange = null;
        ValuesCount? valuesCount = null;
        GeoBoundingBox? box = null;
        GeoRadius? radius = null;
        GeoPolygon? polygon = null;
        bool? isEmpty = null, isNull = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            var absent = JsonRead.IsAbsent(p.Value);
            switch (p.Name)
            {
                case "key":
                    key = ReadKey(p.Value, at);
                    break;
                case "match":
                    match = absent ? null : ReadMatch(p.Value, at);
                    break;
                case "range":
                    if (!absent)
                    {
                        RangeReader.Read(p.Value, at, out range, out datetimeRange);
                    }

                    break;
                case "values_count":
                    valuesCount = absent ? null : RangeReader.ReadValuesCount(p.Value, at);
                    break;
                case "geo_bounding_box":
                    box = absent ? null : GeoReader.ReadBoundingBox(p.Value, at);
                    break;
                case "geo_radius":
                    radius = absent ? null : GeoReader.ReadRadius(p.Value, at);
                    break;
                case "geo_polygon":
                    polygon = absent ? null : GeoReader.ReadPolygon(p.Value, at);
                    break;
                case "is_empty":
                    isEmpty = JsonRead.OptionalBool(p.Value, at);
                    break;
                case "is_null":
                    isNull = JsonRead.OptionalBool(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of " + FieldConditionFields);
                    break;
            }
        }

        if (match is null && range is null && datetimeRange is null && valuesCount is null && box is null && radius is null && polygon is null && isEmpty is null && isNull is null)
        {
            ThrowHelper.ThrowValidation(path, "At least one field condition must be specified");
        }

        return new FieldCondition(key, match, range, datetimeRange, valuesCount, box, radius, polygon, isEmpty, isNull);
    }

    private static string ReadKey(JsonElement e, string path) => JsonRead.KeyPath(e, path);

    private static Match ReadMatch(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a match object");
        Match? match = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            Match next = p.Name switch
            {
                "value" => new MatchValue(ReadMatchValue(p.Value, at)),
                "any" => ReadAny(p.Value, at, except: false),
                "except" => ReadAny(p.Value, at, except: true),
                "text" => new MatchText(JsonRead.String(p.Value, at)),
                "text_any" => new MatchTextAny(JsonRead.String(p.Value, at)),
                "phrase" => new MatchPhrase(JsonRead.String(p.Value, at)),
                "prefix" => new MatchPrefix(JsonRead.String(p.Value, at)),
                _ => UnknownMatch(path, p.Name),
            };
            if (match is not null)
            {
                ThrowHelper.ThrowFormat(path, "a match takes exactly one of " + MatchFields);
            }

            match = next;
        }

        return match ?? ThrowHelper.ThrowFormat<Match>(path, "a match needs one of " + MatchFields);
    }

    private static Match UnknownMatch(string path, string name)
    {
        JsonRead.UnknownField(path, name, "one of " + MatchFields);
        return null!;
    }

    private static PayloadValue ReadMatchValue(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.String => PayloadValue.FromString(e.GetString()!),
        JsonValueKind.True => PayloadValue.True,
        JsonValueKind.False => PayloadValue.False,
        JsonValueKind.Number when e.TryGetInt64(out var i) => PayloadValue.FromInteger(i),
        _ => ThrowHelper.ThrowFormat<PayloadValue>(path, "invalid type: " + JsonRead.Describe(e) + ", expected a string, an integer or a boolean"),
    };

    private static Match ReadAny(JsonElement e, string path, bool except)
    {
        JsonRead.Array(e, path, "a list of strings or a list of integers");
        List<string>? keywords = null;
        List<long>? integers = null;
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && integers is null)
            {
                (keywords ??= []).Add(item.GetString()!);
            }
            else if (item.ValueKind == JsonValueKind.Number && keywords is null && item.TryGetInt64(out var n))
            {
                (integers ??= []).Add(n);
            }
            else
            {
                ThrowHelper.ThrowFormat(BodyPath.Index(path, i), "invalid value " + JsonRead.Describe(item) + ", expected all strings or all integers");
            }

            i++;
        }

        // An empty list is a keyword list, as serde's first untagged variant; it matches nothing.
        if (keywords is null && integers is null)
        {
            keywords = [];
        }

        return except ? new MatchExcept(keywords, integers) : new MatchAny(keywords, integers);
    }
}
