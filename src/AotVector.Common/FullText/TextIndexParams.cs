namespace AotVector.Common.FullText;

/// <summary>
/// The parameters of a <c>type: text</c> payload index (the reference's <c>TextIndexParams</c>). Null means "not
/// given": the reference shows only what was given, and its defaults (lowercase on, no folding, no stop words, no
/// stemmer, no phrase positions) apply.
/// </summary>
public sealed record TextIndexParams
{
    public TokenizerKind Tokenizer { get; init; } = TokenizerKind.Word;

    public ulong? MinTokenLen { get; init; }

    public ulong? MaxTokenLen { get; init; }

    public bool? Lowercase { get; init; }

    public bool? AsciiFolding { get; init; }

    public bool? PhraseMatching { get; init; }

    public StopwordsSpec? Stopwords { get; init; }

    public StemmerSpec? Stemmer { get; init; }

    /// <summary>Accepted and shown back; the index lives in memory either way (it is rebuilt from payloads at open).</summary>
    public bool? OnDisk { get; init; }

    public bool? EnableHnsw { get; init; }

    public static TextIndexParams Default { get; } = new();

    public bool Equals(TextIndexParams? other) =>
        other is not null && Tokenizer == other.Tokenizer && MinTokenLen == other.MinTokenLen && MaxTokenLen == other.MaxTokenLen
        && Lowercase == other.Lowercase && AsciiFolding == other.AsciiFolding && PhraseMatching == other.PhraseMatching
        && OnDisk == other.OnDisk && EnableHnsw == other.EnableHnsw && Stemmer == other.Stemmer
        && SameStopwords(Stopwords, other.Stopwords);

    public override int GetHashCode() => HashCode.Combine(Tokenizer, MinTokenLen, MaxTokenLen, Lowercase, AsciiFolding, PhraseMatching, Stemmer);

    private static bool SameStopwords(StopwordsSpec? a, StopwordsSpec? b) =>
        a is null ? b is null : b is not null && a.Languages.SequenceEqual(b.Languages) && a.Custom.SequenceEqual(b.Custom);
}
