using System.Text.Json;
using AotVector.Common.Filtering;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>Range bounds: numbers make a <see cref="RangeCondition"/>, date strings a <see cref="DatetimeRange"/>.</summary>
internal static class RangeReader
{
    private const string BoundFields = "one of `gt`, `gte`, `lt`, `lte`";

    /// <summary>Exactly one of the two outputs is set. An empty range is a numeric range with no bounds.</summary>
    public static void Read(JsonElement e, string path, out RangeCondition? numeric, out DatetimeRange? datetime)
    {
        JsonRead.Object(e, path, "a range object");
        numeric = null;
        datetime = null;
        var sawNumber = false;
        var sawString = false;
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name is not ("gt" or "gte" or "lt" or "lte"))
            {
                JsonRead.UnknownField(path, p.Name, BoundFields);
            }

            sawNumber |= p.Value.ValueKind == JsonValueKind.Number;
            sawString |= p.Value.ValueKind == JsonValueKind.String;
            if (p.Value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String or JsonValueKind.Null))
            {
                JsonRead.InvalidType(p.Value, BodyPath.Field(path, p.Name), "a number or a datetime string");
            }
        }

        if (sawNumber && sawString)
        {
            ThrowHelper.ThrowFormat(path, "a range takes either numbers or datetime strings, not both");
        }

        if (sawString)
        {
            datetime = new DatetimeRange(
                Datetime(e, path, "gt"), Datetime(e, path, "gte"), Datetime(e, path, "lt"), Datetime(e, path, "lte"));
        }
        else
        {
            numeric = new RangeCondition(
                Number(e, path, "gt"), Number(e, path, "gte"), Number(e, path, "lt"), Number(e, path, "lte"));
        }
    }

    public static ValuesCount ReadValuesCount(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a values_count object");
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name is not ("gt" or "gte" or "lt" or "lte"))
            {
                JsonRead.UnknownField(path, p.Name, BoundFields);
            }
        }

        return new ValuesCount(Count(e, path, "gt"), Count(e, path, "gte"), Count(e, path, "lt"), Count(e, path, "lte"));
    }

    private static double? Number(JsonElement e, string path, string name) =>
        e.TryGetProperty(name, out var v) ? JsonRead.OptionalDouble(v, BodyPath.Field(path, name)) : null;

    private static ulong? Count(JsonElement e, string path, string name) =>
        e.TryGetProperty(name, out var v) ? JsonRead.OptionalUInt64(v, BodyPath.Field(path, name)) : null;

    private static DateTimeOffset? Datetime(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var v) || JsonRead.IsAbsent(v))
        {
            return null;
        }

        var text = v.GetString()!;
        if (!DatetimeParser.TryParse(text, out var value))
        {
            ThrowHelper.ThrowFormat(BodyPath.Field(path, name),
                "invalid datetime \"" + text + "\", expected RFC 3339 (e.g. 2024-01-31T12:00:00Z), \"YYYY-MM-DD HH:MM[:SS]\" or \"YYYY-MM-DD\"");
        }

        return value;
    }
}
