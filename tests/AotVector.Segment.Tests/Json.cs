using System.Text.Json;
using AotVector.Common.Model;

namespace AotVector.Segment.Tests;

/// <summary>Builds payloads from JSON text so tests read like the API examples.</summary>
internal static class Json
{
    public static Payload Obj(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ToPayload(doc.RootElement);
    }

    public static PayloadValue Value(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ToValue(doc.RootElement);
    }

    private static Payload ToPayload(JsonElement element)
    {
        var payload = new Payload();
        foreach (var property in element.EnumerateObject())
        {
            payload[property.Name] = ToValue(property.Value);
        }

        return payload;
    }

    private static PayloadValue ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => PayloadValue.Null,
        JsonValueKind.True => PayloadValue.True,
        JsonValueKind.False => PayloadValue.False,
        JsonValueKind.Number => element.TryGetInt64(out var n) && !element.GetRawText().Contains('.') ? PayloadValue.FromInteger(n) : PayloadValue.FromDouble(element.GetDouble()),
        JsonValueKind.String => PayloadValue.FromString(element.GetString()!),
        JsonValueKind.Array => PayloadValue.FromArray([.. element.EnumerateArray().Select(ToValue)]),
        JsonValueKind.Object => PayloadValue.FromObject(ToPayload(element)),
        _ => throw new ArgumentException("Unsupported JSON."),
    };
}
