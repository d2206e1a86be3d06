using System.Text.Json;
using AotVector.Common.FullText;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// The text-analysis shapes of the REST wire: a <c>type: text</c> field schema, and the pieces a BM25 document's
/// <c>options</c> share with it (tokenizer, stop words, stemmer). Languages are read as given; the engine checks them.
/// </summary>
internal static class TextParamsReader
{
    public static TextIndexParams ReadIndexParams(JsonElement schema, string path) => new()
    {
        Tokenizer = schema.TryGetProperty("tokenizer", out var t) && !JsonRead.IsAbsent(t) ? ReadTokenizer(t, path + ".tokenizer") : TokenizerKind.Word,
        MinTokenLen = Optional(schema, "min_token_len", path, JsonRead.OptionalUInt64),
        MaxTokenLen = Optional(schema, "max_token_len", path, JsonRead.OptionalUInt64),
        Lowercase = Optional(schema, "lowercase", path, JsonRead.OptionalBool),
        AsciiFolding = Optional(schema, "ascii_folding", path, JsonRead.OptionalBool),
        PhraseMatching = Optional(schema, "phrase_matching", path, JsonRead.OptionalBool),
        OnDisk = Optional(schema, "on_disk", path, JsonRead.OptionalBool),
        EnableHnsw = Optional(schema, "enable_hnsw", path, JsonRead.OptionalBool),
        Stopwords = schema.TryGetProperty("stopwords", out var s) ? ReadStopwords(s, path + ".stopwords") : null,
        Stemmer = schema.TryGetProperty("stemmer", out var st) ? ReadStemmer(st, path + ".stemmer") : null,
    };

    public static TokenizerKind ReadTokenizer(JsonElement e, string path)
    {
        var name = JsonRead.String(e, path);
        return name switch
        {
            "word" => TokenizerKind.Word,
            "whitespace" => TokenizerKind.Whitespace,
            "prefix" => TokenizerKind.Prefix,
            "multilingual" => TokenizerKind.Multilingual,
            _ => ThrowHelper.ThrowFormat<TokenizerKind>(path, "unknown variant `" + name + "`, expected one of `prefix`, `whitespace`, `word`, `multilingual`"),
        };
    }

    /// <summary><c>"english"</c>, or <c>{"languages": [...], "custom": [...]}</c>; null when absent.</summary>
    public static StopwordsSpec? ReadStopwords(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        if (e.ValueKind == JsonValueKind.String)
        {
            return new StopwordsSpec([e.GetString()!], []);
        }

        JsonRead.Object(e, path, "a language name or an object with `languages` and `custom`");
        var languages = e.TryGetProperty("languages", out var l) && !JsonRead.IsAbsent(l) ? JsonRead.StringList(l, path + ".languages") : [];
        var custom = e.TryGetProperty("custom", out var c) && !JsonRead.IsAbsent(c) ? JsonRead.StringList(c, path + ".custom") : [];
        return new StopwordsSpec(languages, custom);
    }

    /// <summary><c>{"type": "snowball", "language": "english"}</c> or <c>{"type": "none"}</c>; null when absent.</summary>
    public static StemmerSpec? ReadStemmer(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "a stemmer object");
        var type = e.TryGetProperty("type", out var t) ? JsonRead.String(t, path + ".type") : ThrowHelper.ThrowFormat<string>(path, "missing field `type`");
        switch (type)
        {
            case "snowball":
                if (!e.TryGetProperty("language", out var language) || JsonRead.IsAbsent(language))
                {
                    JsonRead.Missing(path, "language");
                }

                return new StemmerSpec(JsonRead.String(language, path + ".language"));
            case "none":
                return StemmerSpec.Disabled;
            default:
                return ThrowHelper.ThrowFormat<StemmerSpec>(path + ".type", "unknown variant `" + type + "`, expected `snowball` or `none`");
        }
    }

    private static T? Optional<T>(JsonElement e, string name, string path, Func<JsonElement, string, T?> read)
        where T : struct =>
        e.TryGetProperty(name, out var value) ? read(value, path + "." + name) : null;
}
