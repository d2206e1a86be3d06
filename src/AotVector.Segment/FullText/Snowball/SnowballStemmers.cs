namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball stemmers built in, by the reference's language names and aliases.</summary>
public static class SnowballStemmers
{
    /// <summary>The stemmer for <paramref name="language"/>, or null when none is built in.</summary>
    public static Func<string, string>? For(string language) => language switch
    {
        "english" or "en" => EnglishStemmer.Stem,
        "german" or "de" => GermanStemmer.Stem,
        "french" or "fr" => FrenchStemmer.Stem,
        "spanish" or "es" => SpanishStemmer.Stem,
        "italian" or "it" => ItalianStemmer.Stem,
        "portuguese" or "pt" => PortugueseStemmer.Stem,
        "swedish" or "sv" => SwedishStemmer.Stem,
        "norwegian" or "no" => NorwegianStemmer.Stem,
        "danish" or "da" => DanishStemmer.Stem,
        "dutch" or "nl" => DutchStemmer.Stem,
        "russian" or "ru" => RussianStemmer.Stem,
        "finnish" or "fi" => FinnishStemmer.Stem,
        _ => null,
    };
}
