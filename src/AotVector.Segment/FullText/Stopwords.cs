using System.Collections.Concurrent;

namespace AotVector.Segment.FullText;

/// <summary>
/// Built-in stop-word lists by language name (the reference's names and aliases). The lists are the NLTK stop-word
/// corpus the reference ships (its lists for Snowball's languages come from Snowball's own, BSD-licensed), kept as
/// one word per line in <c>StopwordLists/*.txt</c> and embedded in the assembly.
/// </summary>
public static class Stopwords
{
    private static readonly Dictionary<string, string> s_aliases = new(StringComparer.Ordinal)
    {
        ["ar"] = "arabic", ["az"] = "azerbaijani", ["eu"] = "basque", ["bn"] = "bengali", ["ca"] = "catalan",
        ["zh"] = "chinese", ["da"] = "danish", ["nl"] = "dutch", ["en"] = "english", ["fi"] = "finnish",
        ["fr"] = "french", ["de"] = "german", ["el"] = "greek", ["he"] = "hebrew", ["hi-en"] = "hinglish",
        ["hu"] = "hungarian", ["id"] = "indonesian", ["it"] = "italian", ["jp"] = "japanese", ["kk"] = "kazakh",
        ["ne"] = "nepali", ["no"] = "norwegian", ["pt"] = "portuguese", ["ro"] = "romanian", ["ru"] = "russian",
        ["sl"] = "slovene", ["es"] = "spanish", ["sv"] = "swedish", ["tg"] = "tajik", ["tr"] = "turkish",
    };

    private static readonly ConcurrentDictionary<string, string[]> s_lists = new(StringComparer.Ordinal);

    /// <summary>The reference's stop-word language names (with aliases).</summary>
    public static IReadOnlySet<string> ReferenceLanguages { get; } =
        new HashSet<string>(s_aliases.Keys.Concat(s_aliases.Values), StringComparer.Ordinal);

    /// <summary>The built-in list for <paramref name="language"/>, or null when the name is not a reference language.</summary>
    public static IReadOnlyList<string>? For(string language)
    {
        var name = s_aliases.GetValueOrDefault(language, language);
        return s_aliases.ContainsValue(name) ? s_lists.GetOrAdd(name, Load) : null;
    }

    private static string[] Load(string name)
    {
        using var stream = typeof(Stopwords).Assembly.GetManifestResourceStream("stopwords." + name)
            ?? throw new InvalidOperationException($"the stop-word list `{name}` is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
