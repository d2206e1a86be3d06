using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>Point ids on the wire: a JSON unsigned integer or a UUID string (any form the uuid crate parses).</summary>
internal static class PointIdJson
{
    public static PointId Read(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number when e.TryGetUInt64(out var num):
                return PointId.FromNum(num);
            case JsonValueKind.String when PointId.TryParseUuid(e.GetString(), out var id):
                return id;
            default:
                // Negative, fractional, numeric strings and other types are all refused, as Qdrant does.
                return ThrowHelper.ThrowFormat<PointId>(path, "value " + e.GetRawText() + " " + RequestErrors.InvalidPointId);
        }
    }

    public static PointId? ReadOptional(JsonElement e, string path) => JsonRead.IsAbsent(e) ? null : Read(e, path);

    public static List<PointId> ReadList(JsonElement e, string path)
    {
        JsonRead.Array(e, path);
        var ids = new List<PointId>(e.GetArrayLength());
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            ids.Add(Read(item, BodyPath.Index(path, i++)));
        }

        return ids;
    }

    /// <summary>A number as a JSON integer (never a string: the JS client reads big ids as BigInt), a UUID lower-case hyphenated.</summary>
    public static void Write(Utf8JsonWriter writer, PointId id)
    {
        if (id.IsUuid)
        {
            writer.WriteStringValue(id.Uuid.ToString("D"));
        }
        else
        {
            writer.WriteNumberValue(id.Num);
        }
    }
}
