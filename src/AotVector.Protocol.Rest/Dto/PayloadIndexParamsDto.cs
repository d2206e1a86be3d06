using System.Text.Json;
using System.Text.Json.Serialization;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>An index's <c>params</c> in the payload schema: a text index's tokenizer settings, or another type's parameters.</summary>
[JsonConverter(typeof(PayloadIndexParamsConverter))]
internal sealed record PayloadIndexParamsDto(PayloadSchemaType Type, Common.FullText.TextIndexParams? Text, FieldIndexOptions? Options)
{
    /// <summary>The params to show for <paramref name="info"/>, or null when it was created from a bare type.</summary>
    public static PayloadIndexParamsDto? Of(PayloadSchemaInfo info) =>
        info.Text is not null || info.Options is not null ? new(info.DataType, info.Text, info.Options) : null;
}

/// <summary>
/// Writes the params as the reference's tagged structs serialize: <c>type</c> first, then each field in its order;
/// integer's <c>lookup</c>, <c>range</c>, <c>is_principal</c> and float's and datetime's <c>is_principal</c> are written
/// even when unset (as null), the other fields only when set.
/// </summary>
internal sealed class PayloadIndexParamsConverter : JsonConverter<PayloadIndexParamsDto>
{
    private static readonly TextIndexParamsConverter TextConverter = new();

    public override PayloadIndexParamsDto Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("payload index params are only written here");

    public override void Write(Utf8JsonWriter writer, PayloadIndexParamsDto value, JsonSerializerOptions options)
    {
        if (value.Type == PayloadSchemaType.Text)
        {
            TextConverter.Write(writer, value.Text ?? Common.FullText.TextIndexParams.Default, options);
            return;
        }

        var o = value.Options ?? new FieldIndexOptions();
        writer.WriteStartObject();
        writer.WriteString("type"u8, WireNames.Of(value.Type));
        switch (value.Type)
        {
            case PayloadSchemaType.Keyword or PayloadSchemaType.Uuid:
                Flag(writer, "is_tenant", o.IsTenant);
                break;
            case PayloadSchemaType.Integer:
                Always(writer, "lookup", o.Lookup);
                Always(writer, "range", o.Range);
                Always(writer, "is_principal", o.IsPrincipal);
                break;
            case PayloadSchemaType.Float or PayloadSchemaType.Datetime:
                Always(writer, "is_principal", o.IsPrincipal);
                break;
        }

        Flag(writer, "on_disk", o.OnDisk);
        if (o.Memory is { } memory)
        {
            writer.WriteString("memory"u8, memory switch { IndexMemory.Cold => "cold", IndexMemory.Cached => "cached", _ => "pinned" });
        }

        Flag(writer, "enable_hnsw", o.EnableHnsw);
        if (value.Type == PayloadSchemaType.Keyword)
        {
            Flag(writer, "prefix", o.Prefix);
        }

        writer.WriteEndObject();
    }

    private static void Flag(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
    }

    private static void Always(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
