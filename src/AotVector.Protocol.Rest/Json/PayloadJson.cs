using System.Globalization;
using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// JSON ↔ <see cref="PayloadValue"/>. Integers that fit in i64 stay integers, every other number is a
/// double; object keys keep their order. Doubles are written with a fraction ("1.0") so they read back as doubles.
/// </summary>
internal static class PayloadJson
{
    public static Payload ReadObject(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a JSON object as payload");
        return ReadFields(e);
    }

    public static Payload? ReadOptionalObject(JsonElement e, string path) => JsonRead.IsAbsent(e) ? null : ReadObject(e, path);

    public static PayloadValue ReadValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => PayloadValue.Null,
        JsonValueKind.True => PayloadValue.True,
        JsonValueKind.False => PayloadValue.False,
        JsonValueKind.String => PayloadValue.FromString(e.GetString()!),
        JsonValueKind.Number => e.TryGetInt64(out var i) ? PayloadValue.FromInteger(i) : PayloadValue.FromDouble(e.GetDouble()),
        JsonValueKind.Array => ReadArray(e),
        JsonValueKind.Object => PayloadValue.FromObject(ReadFields(e)),
        _ => PayloadValue.Null,
    };

    public static void WriteObject(Utf8JsonWriter writer, Payload payload)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in payload.Fields)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter writer, PayloadValue value)
    {
        switch (value.Kind)
        {
            case PayloadKind.Null:
                writer.WriteNullValue();
                break;
            case PayloadKind.Bool:
                writer.WriteBooleanValue(value.AsBool);
                break;
            case PayloadKind.Integer:
                writer.WriteNumberValue(value.AsInteger);
                break;
            case PayloadKind.Double:
                WriteDouble(writer, value.AsDouble);
                break;
            case PayloadKind.String:
                writer.WriteStringValue(value.AsString);
                break;
            case PayloadKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.AsArray)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case PayloadKind.Object:
                WriteObject(writer, value.AsObject);
                break;
            default:
                ThrowHelper.ThrowUnknownPayloadKind(value.Kind);
                break;
        }
    }

    /// <summary>Shortest round-trip text, with ".0" added to integral values so the kind survives a round trip.</summary>
    public static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (!double.IsFinite(value))
        {
            writer.WriteNullValue();
            return;
        }

        Span<byte> buffer = stackalloc byte[40];
        value.TryFormat(buffer, out var written, "R", CultureInfo.InvariantCulture);
        if (buffer[..written].IndexOfAny(".Ee"u8) < 0)
        {
            ".0"u8.CopyTo(buffer[written..]);
            written += 2;
        }

        writer.WriteRawValue(buffer[..written], skipInputValidation: true);
    }

    private static PayloadValue ReadArray(JsonElement e)
    {
        var items = new List<PayloadValue>(e.GetArrayLength());
        foreach (var item in e.EnumerateArray())
        {
            items.Add(ReadValue(item));
        }

        return PayloadValue.FromArray(items);
    }

    private static Payload ReadFields(JsonElement e)
    {
        var payload = new Payload();
        foreach (var property in e.EnumerateObject())
        {
            // A repeated key keeps the last value, as serde_json does.
            payload[property.Name] = ReadValue(property.Value);
        }

        return payload;
    }
}
