namespace AotVector.Segment.FullText;

/// <summary>The stemmer languages the reference names (Snowball's), and the ones built in here.</summary>
public static class SnowballLanguages
{
    public static IReadOnlySet<string> Reference { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "arabic", "ar", "armenian", "hy", "danish", "da", "dutch", "nl", "english", "en", "finnish", "fi", "french", "fr",
        "german", "de", "greek", "el", "hungarian", "hu", "italian", "it", "norwegian", "no", "portuguese", "pt",
        "romanian", "ro", "russian", "ru", "spanish", "es", "swedish", "sv", "tamil", "ta", "turkish", "tr",
    };

    public static bool IsBuiltIn(string language) => Snowball.SnowballStemmers.For(language) is not null;
}
