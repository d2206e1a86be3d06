using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Typed reads of request JSON with serde-like messages ("invalid type: string \"4\", expected u64 at vectors.size").
/// Every reader treats a JSON null like a missing optional field.
/// </summary>
internal static class JsonRead
{
    public static bool IsAbsent(JsonElement e) => e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    /// <summary>How serde names an unexpected value in "invalid type" messages.</summary>
    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "string \"" + Truncate(e.GetString()!) + "\"",
        JsonValueKind.Number => e.TryGetInt64(out var i) ? "integer `" + i.ToString(CultureInfo.InvariantCulture) + "`" : "floating point `" + e.GetRawText() + "`",
        JsonValueKind.True => "boolean `true`",
        JsonValueKind.False => "boolean `false`",
        JsonValueKind.Array => "a sequence",
        JsonValueKind.Object => "a map",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    [DoesNotReturn]
    public static void InvalidType(JsonElement e, string path, string expected) =>
        ThrowHelper.ThrowFormat(path, "invalid type: " + Describe(e) + ", expected " + expected);

    [DoesNotReturn]
    public static void Missing(string path, string field) => ThrowHelper.ThrowFormat(path, "missing field `" + field + "`");

    public static JsonElement Object(JsonElement e, string path, string expected = "a map")
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            InvalidType(e, path, expected);
        }

        return e;
    }

    public static JsonElement Array(JsonElement e, string path, string expected = "a sequence")
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            InvalidType(e, path, expected);
        }

        return e;
    }

    public static string String(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.String)
        {
            InvalidType(e, path, "a string");
        }

        return e.GetString()!;
    }

    public static bool Bool(JsonElement e, string path)
    {
        if (e.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            InvalidType(e, path, "a boolean");
        }

        return e.ValueKind == JsonValueKind.True;
    }

    public static ulong UInt64(JsonElement e, string path)
    {
        ulong value = 0;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetUInt64(out value))
        {
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var negative))
            {
                ThrowHelper.ThrowFormat(path, "invalid value: integer `" + negative.ToString(CultureInfo.InvariantCulture) + "`, expected u64");
            }

            InvalidType(e, path, "u64");
        }

        return value;
    }

    public static uint UInt32(JsonElement e, string path)
    {
        var value = UInt64(e, path);
        if (value > uint.MaxValue)
        {
            ThrowHelper.ThrowFormat(path, "invalid value: integer `" + value.ToString(CultureInfo.InvariantCulture) + "`, expected u32");
        }

        return (uint)value;
    }

    public static double Double(JsonElement e, string path)
    {
        double value = 0;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out value) || !double.IsFinite(value))
        {
            InvalidType(e, path, "f64");
        }

        return value;
    }

    public static float Single(JsonElement e, string path)
    {
        float value = 0;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetSingle(out value) || !float.IsFinite(value))
        {
            InvalidType(e, path, "f32");
        }

        return value;
    }

    public static string? OptionalString(JsonElement e, string path) => IsAbsent(e) ? null : String(e, path);

    public static bool? OptionalBool(JsonElement e, string path) => IsAbsent(e) ? null : Bool(e, path);

    public static ulong? OptionalUInt64(JsonElement e, string path) => IsAbsent(e) ? null : UInt64(e, path);

    public static uint? OptionalUInt32(JsonElement e, string path) => IsAbsent(e) ? null : UInt32(e, path);

    public static double? OptionalDouble(JsonElement e, string path) => IsAbsent(e) ? null : Double(e, path);

    public static float? OptionalSingle(JsonElement e, string path) => IsAbsent(e) ? null : Single(e, path);

    public static List<string> StringList(JsonElement e, string path)
    {
        Array(e, path);
        var list = new List<string>(e.GetArrayLength());
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            list.Add(String(item, BodyPath.Index(path, i++)));
        }

        return list;
    }

    /// <summary>A payload key path ("a.b", "a[].b", "a[0]", "\"quoted\""), checked with the engine's own parser.</summary>
    public static string KeyPath(JsonElement e, string path)
    {
        var text = String(e, path);
        if (!Common.Model.JsonPath.TryParse(text, out _, out var problem))
        {
            ThrowHelper.ThrowFormat(path, problem);
        }

        return text;
    }

    public static List<string> KeyPathList(JsonElement e, string path)
    {
        Array(e, path);
        var list = new List<string>(e.GetArrayLength());
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            list.Add(KeyPath(item, BodyPath.Index(path, i++)));
        }

        return list;
    }

    /// <summary>The serde message for a field a strict object does not know.</summary>
    [DoesNotReturn]
    public static void UnknownField(string path, string name, string expected) =>
        ThrowHelper.ThrowFormat(path, "unknown field `" + name + "`, expected " + expected);

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "...";
}
