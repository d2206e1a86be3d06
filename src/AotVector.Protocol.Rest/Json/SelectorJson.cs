using System.Text.Json;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>with_payload / with_vector selectors and the "points or filter" selector of write requests.</summary>
internal static class SelectorJson
{
    /// <summary>true/false, a list of keys to include, or {"include":[...]} / {"exclude":[...]}.</summary>
    public static WithPayload ReadWithPayload(JsonElement e, string path, WithPayload absent)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return absent;
            case JsonValueKind.True:
                return WithPayload.All;
            case JsonValueKind.False:
                return WithPayload.None;
            case JsonValueKind.Array:
                return new WithPayload(true, Include: JsonRead.KeyPathList(e, path));
            case JsonValueKind.Object:
                List<string>? include = null, exclude = null;
                foreach (var p in e.EnumerateObject())
                {
                    var at = BodyPath.Field(path, p.Name);
                    switch (p.Name)
                    {
                        case "include":
                            include = StringOrList(p.Value, at);
                            break;
                        case "exclude":
                            exclude = StringOrList(p.Value, at);
                            break;
                        default:
                            JsonRead.UnknownField(path, p.Name, "`include` or `exclude`");
                            break;
                    }
                }

                if ((include is null) == (exclude is null))
                {
                    ThrowHelper.ThrowFormat(path, "a payload selector takes exactly one of `include` or `exclude`");
                }

                return new WithPayload(true, include, exclude);
            default:
                JsonRead.InvalidType(e, path, "a boolean, a list of keys or a payload selector");
                return absent;
        }
    }

    /// <summary>true/false or a list of vector names.</summary>
    public static WithVector ReadWithVector(JsonElement e, string path, WithVector absent) => e.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => absent,
        JsonValueKind.True => WithVector.All,
        JsonValueKind.False => WithVector.None,
        JsonValueKind.Array => new WithVector(true, JsonRead.StringList(e, path)),
        _ => Invalid(e, path),
    };

    /// <summary>
    /// The "points" (ids) or "filter" fields of an object: exactly one must be present.
    /// Used by delete, clear payload, set/overwrite/delete payload and delete vectors.
    /// </summary>
    public static PointsSelector ReadPointsOrFilter(JsonElement obj, string path)
    {
        var hasPoints = obj.TryGetProperty("points", out var points) && !JsonRead.IsAbsent(points);
        var hasFilter = obj.TryGetProperty("filter", out var filter) && !JsonRead.IsAbsent(filter);
        if (hasPoints && hasFilter)
        {
            ThrowHelper.ThrowFormat(path, "either `points` or `filter` must be given, not both");
        }

        if (hasPoints)
        {
            return PointsSelector.ByIds(PointIdJson.ReadList(points, BodyPath.Field(path, "points")));
        }

        if (hasFilter)
        {
            return PointsSelector.ByFilter(FilterReader.Read(filter, BodyPath.Field(path, "filter")));
        }

        return ThrowHelper.ThrowFormat<PointsSelector>(path, "either list of point ids (`points`) or `filter` must be provided");
    }

    private static List<string> StringOrList(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String ? [JsonRead.KeyPath(e, path)] : JsonRead.KeyPathList(e, path);

    private static WithVector Invalid(JsonElement e, string path)
    {
        JsonRead.InvalidType(e, path, "a boolean or a list of vector names");
        return WithVector.None;
    }
}
