namespace AotVector.Segment.FullText;

/// <summary>
/// Built-in stop-word lists by language name (the reference's names and two-letter aliases). Only English is built
/// in so far: the engine refuses the reference's other languages rather than silently dropping no words.
/// </summary>
public static class Stopwords
{
    // The common English list of pronouns, auxiliaries, determiners, prepositions and contraction stems.
    private static readonly string[] s_english =
    [
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "you're", "you've", "you'll", "you'd",
        "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "she's", "her", "hers",
        "herself", "it", "it's", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
        "who", "whom", "this", "that", "that'll", "these", "those", "am", "is", "are", "was", "were", "be", "been",
        "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if",
        "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about", "against", "between",
        "into", "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out",
        "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
        "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not",
        "only", "own", "same", "so", "than", "too", "very", "s", "t", "can", "will", "just", "don", "don't",
        "should", "should've", "now", "d", "ll", "m", "o", "re", "ve", "y", "ain", "aren", "aren't", "couldn",
        "couldn't", "didn", "didn't", "doesn", "doesn't", "hadn", "hadn't", "hasn", "hasn't", "haven", "haven't",
        "isn", "isn't", "ma", "mightn", "mightn't", "mustn", "mustn't", "needn", "needn't", "shan", "shan't",
        "shouldn", "shouldn't", "wasn", "wasn't", "weren", "weren't", "won", "won't", "wouldn", "wouldn't",
    ];

    /// <summary>The reference's stop-word language names (with aliases), for telling "unknown" from "not built in yet".</summary>
    public static IReadOnlySet<string> ReferenceLanguages { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "arabic", "ar", "azerbaijani", "az", "basque", "eu", "bengali", "bn", "catalan", "ca", "chinese", "zh",
        "danish", "da", "dutch", "nl", "english", "en", "finnish", "fi", "french", "fr", "german", "de", "greek", "el",
        "hebrew", "he", "hinglish", "hungarian", "hu", "indonesian", "id", "italian", "it", "japanese", "jp",
        "kazakh", "kk", "nepali", "ne", "norwegian", "no", "portuguese", "pt", "romanian", "ro", "russian", "ru",
        "slovene", "sl", "spanish", "es", "swedish", "sv", "tajik", "tg", "turkish", "tr",
    };

    /// <summary>The built-in list for <paramref name="language"/>, or null when none is built in.</summary>
    public static IReadOnlyList<string>? For(string language) => language is "english" or "en" ? s_english : null;
}
