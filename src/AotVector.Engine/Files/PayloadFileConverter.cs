using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AotVector.Common.Model;

namespace AotVector.Engine.Files;

/// <summary>
/// A <see cref="Payload"/> in the engine's JSON files (a collection's <c>metadata</c>): integers that fit in i64 stay
/// integers, other numbers are doubles written with a fraction so they read back as doubles, keys keep their order.
/// </summary>
internal sealed class PayloadFileConverter : JsonConverter<Payload>
{
    public override Payload Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("expected a JSON object");
        }

        return ReadObject(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, Payload value, JsonSerializerOptions options) => WriteObject(writer, value);

    private static Payload ReadObject(JsonElement e)
    {
        var payload = new Payload();
        foreach (var property in e.EnumerateObject())
        {
            payload[property.Name] = ReadValue(property.Value);
        }

        return payload;
    }

    private static PayloadValue ReadValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True => PayloadValue.True,
        JsonValueKind.False => PayloadValue.False,
        JsonValueKind.String => PayloadValue.FromString(e.GetString()!),
        JsonValueKind.Number => e.TryGetInt64(out var i) ? PayloadValue.FromInteger(i) : PayloadValue.FromDouble(e.GetDouble()),
        JsonValueKind.Array => PayloadValue.FromArray(e.EnumerateArray().Select(ReadValue).ToList()),
        JsonValueKind.Object => PayloadValue.FromObject(ReadObject(e)),
        _ => PayloadValue.Null,
    };

    private static void WriteObject(Utf8JsonWriter writer, Payload payload)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in payload.Fields)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, PayloadValue value)
    {
        switch (value.Kind)
        {
            case PayloadKind.Bool:
                writer.WriteBooleanValue(value.AsBool);
                break;
            case PayloadKind.Integer:
                writer.WriteNumberValue(value.AsInteger);
                break;
            case PayloadKind.Double when double.IsFinite(value.AsDouble):
                var text = value.AsDouble.ToString("R", CultureInfo.InvariantCulture);
                writer.WriteRawValue(text.AsSpan().IndexOfAny(".Ee") < 0 ? text + ".0" : text, skipInputValidation: true);
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
                writer.WriteNullValue();
                break;
        }
    }
}
