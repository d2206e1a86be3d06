#pragma warning disable CS0612 // The deprecated on_disk flag is read and written on purpose: older clients still use it.
using AotVector.Common.FullText;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>Text index parameters and their pieces (tokenizer, stop words, stemmer) between the wire and the engine.</summary>
internal static class TextParamsMapping
{
    public static TextIndexParams ToEngine(Wire.TextIndexParams p) => new()
    {
        Tokenizer = ToEngine(p.Tokenizer),
        MinTokenLen = p.HasMinTokenLen ? p.MinTokenLen : null,
        MaxTokenLen = p.HasMaxTokenLen ? p.MaxTokenLen : null,
        Lowercase = p.HasLowercase ? p.Lowercase : null,
        AsciiFolding = p.HasAsciiFolding ? p.AsciiFolding : null,
        PhraseMatching = p.HasPhraseMatching ? p.PhraseMatching : null,
        OnDisk = p.HasOnDisk ? p.OnDisk : null,
        EnableHnsw = p.HasEnableHnsw ? p.EnableHnsw : null,
        Stopwords = p.Stopwords is { } s ? new StopwordsSpec([.. s.Languages], [.. s.Custom]) : null,
        Stemmer = p.Stemmer is { } st ? ToEngine(st) : null,
    };

    public static TokenizerKind ToEngine(Wire.TokenizerType type) => type switch
    {
        Wire.TokenizerType.Prefix => TokenizerKind.Prefix,
        Wire.TokenizerType.Whitespace => TokenizerKind.Whitespace,
        Wire.TokenizerType.Multilingual => TokenizerKind.Multilingual,
        _ => TokenizerKind.Word,
    };

    public static StemmerSpec? ToEngine(Wire.StemmingAlgorithm stemmer) => stemmer.StemmingParamsCase switch
    {
        Wire.StemmingAlgorithm.StemmingParamsOneofCase.Snowball => new StemmerSpec(stemmer.Snowball.Language),
        Wire.StemmingAlgorithm.StemmingParamsOneofCase.Disabled => StemmerSpec.Disabled,
        _ => null,
    };

    public static Wire.TextIndexParams ToWire(TextIndexParams p)
    {
        var wire = new Wire.TextIndexParams
        {
            Tokenizer = p.Tokenizer switch
            {
                TokenizerKind.Prefix => Wire.TokenizerType.Prefix,
                TokenizerKind.Whitespace => Wire.TokenizerType.Whitespace,
                TokenizerKind.Multilingual => Wire.TokenizerType.Multilingual,
                TokenizerKind.Word => Wire.TokenizerType.Word,
            },
        };
        if (p.MinTokenLen is { } min)
        {
            wire.MinTokenLen = min;
        }

        if (p.MaxTokenLen is { } max)
        {
            wire.MaxTokenLen = max;
        }

        if (p.Lowercase is { } lowercase)
        {
            wire.Lowercase = lowercase;
        }

        if (p.AsciiFolding is { } folding)
        {
            wire.AsciiFolding = folding;
        }

        if (p.PhraseMatching is { } phrase)
        {
            wire.PhraseMatching = phrase;
        }

        if (p.OnDisk is { } onDisk)
        {
            wire.OnDisk = onDisk;
        }

        if (p.EnableHnsw is { } hnsw)
        {
            wire.EnableHnsw = hnsw;
        }

        if (p.Stopwords is { } stopwords)
        {
            wire.Stopwords = new Wire.StopwordsSet();
            wire.Stopwords.Languages.AddRange(stopwords.Languages);
            wire.Stopwords.Custom.AddRange(stopwords.Custom);
        }

        if (p.Stemmer is { } stemmer)
        {
            wire.Stemmer = stemmer.Language is { } language
                ? new Wire.StemmingAlgorithm { Snowball = new Wire.SnowballParams { Language = language } }
                : new Wire.StemmingAlgorithm { Disabled = new Wire.DisabledStemmer() };
        }

        return wire;
    }
}
