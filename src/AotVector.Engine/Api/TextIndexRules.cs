using AotVector.Common.Errors;
using AotVector.Common.FullText;
using AotVector.Segment.FullText;

namespace AotVector.Engine.Api;

/// <summary>
/// The checks a text index's parameters (and a BM25 document's text options) pass before use, on both wires:
/// languages the reference does not know are bad input; a stemmer language it knows and this build has no stemmer
/// for is refused as not supported yet, never accepted and ignored (every stop-word language is built in).
/// </summary>
public static class TextIndexRules
{
    public static AvError? Check(TextIndexParams p) => Check(p.Stopwords, p.Stemmer);

    public static AvError? Check(StopwordsSpec? stopwords, StemmerSpec? stemmer)
    {
        foreach (var language in stopwords?.Languages ?? [])
        {
            if (StopwordsLanguageError(language) is { } error)
            {
                return error;
            }
        }

        return stemmer is { Language: { } stem } ? StemmerLanguageError(stem) : null;
    }

    public static AvError? StopwordsLanguageError(string language) =>
        Stopwords.For(language) is not null ? null : AvError.BadRequest($"unknown stop-word language `{language}`");

    public static AvError? StemmerLanguageError(string language) =>
        SnowballLanguages.IsBuiltIn(language) ? null
        : SnowballLanguages.Reference.Contains(language) ? Unsupported.StemmerLanguage(language)
        : AvError.BadRequest($"unknown snowball stemmer language `{language}`");
}
