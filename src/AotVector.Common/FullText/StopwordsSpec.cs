namespace AotVector.Common.FullText;

/// <summary>
/// Stop words: the built-in lists of <see cref="Languages"/> plus <see cref="Custom"/> words. The reference's
/// <c>"stopwords": "english"</c> is one language and no custom words.
/// </summary>
public sealed record StopwordsSpec(IReadOnlyList<string> Languages, IReadOnlyList<string> Custom);
