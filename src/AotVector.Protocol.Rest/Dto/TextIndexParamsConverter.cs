using System.Text.Json;
using System.Text.Json.Serialization;
using AotVector.Common.FullText;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>A text index's <c>params</c> in collection info, as the reference shows them: the type and tokenizer, then only what was set.</summary>
internal sealed class TextIndexParamsConverter : JsonConverter<TextIndexParams>
{
    public override TextIndexParams Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("text index params are only written here");

    public override void Write(Utf8JsonWriter writer, TextIndexParams value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "text"u8);
        writer.WriteString("tokenizer"u8, Name(value.Tokenizer));
        Number(writer, "min_token_len", value.MinTokenLen);
        Number(writer, "max_token_len", value.MaxTokenLen);
        Flag(writer, "lowercase", value.Lowercase);
        Flag(writer, "ascii_folding", value.AsciiFolding);
        Flag(writer, "phrase_matching", value.PhraseMatching);
        if (value.Stopwords is { } stopwords)
        {
            writer.WritePropertyName("stopwords"u8);
            if (stopwords.Custom.Count == 0 && stopwords.Languages.Count == 1)
            {
                writer.WriteStringValue(stopwords.Languages[0]);
            }
            else
            {
                writer.WriteStartObject();
                Strings(writer, "languages", stopwords.Languages);
                Strings(writer, "custom", stopwords.Custom);
                writer.WriteEndObject();
            }
        }

        Flag(writer, "on_disk", value.OnDisk);
        if (value.Stemmer is { } stemmer)
        {
            writer.WriteStartObject("stemmer"u8);
            if (stemmer.Language is { } language)
            {
                writer.WriteString("type"u8, "snowball"u8);
                writer.WriteString("language"u8, language);
            }
            else
            {
                writer.WriteString("type"u8, "none"u8);
            }

            writer.WriteEndObject();
        }

        Flag(writer, "enable_hnsw", value.EnableHnsw);
        writer.WriteEndObject();
    }

    public static string Name(TokenizerKind kind) => kind switch
    {
        TokenizerKind.Word => "word",
        TokenizerKind.Whitespace => "whitespace",
        TokenizerKind.Prefix => "prefix",
        TokenizerKind.Multilingual => "multilingual",
    };

    private static void Number(Utf8JsonWriter writer, string name, ulong? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void Flag(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
    }

    private static void Strings(Utf8JsonWriter writer, string name, IReadOnlyList<string> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
