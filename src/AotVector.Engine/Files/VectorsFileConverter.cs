using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AotVector.Engine.Files;

/// <summary>
/// The one union in the file: "vectors" is a vector's parameters (an object with "size") or a map of named vectors.
/// Each side is read and written by its generated contract; this only chooses between them.
/// </summary>
internal sealed class VectorsFileConverter : JsonConverter<VectorsFile>
{
    public override VectorsFile Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("\"vectors\" must be an object");
        }

        return HasSize(reader)
            ? new VectorsFile(JsonSerializer.Deserialize(ref reader, Contract<VectorParamsFile>(options)), null)
            : new VectorsFile(null, JsonSerializer.Deserialize(ref reader, Contract<Dictionary<string, VectorParamsFile>>(options)));
    }

    public override void Write(Utf8JsonWriter writer, VectorsFile value, JsonSerializerOptions options)
    {
        if (value.Single is { } single)
        {
            JsonSerializer.Serialize(writer, single, Contract<VectorParamsFile>(options));
        }
        else
        {
            JsonSerializer.Serialize(writer, value.Named ?? [], Contract<Dictionary<string, VectorParamsFile>>(options));
        }
    }

    /// <summary>Looks ahead on a copy of the reader (a struct), so the caller's position does not move.</summary>
    private static bool HasSize(Utf8JsonReader probe)
    {
        while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
        {
            if (probe.ValueTextEquals("size"u8))
            {
                return true;
            }

            probe.Read();
            probe.Skip();
        }

        return false;
    }

    private static JsonTypeInfo<T> Contract<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
