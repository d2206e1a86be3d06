using System.Globalization;
using System.Text;
using AotVector.Common.FullText;
using AotVector.Segment.FullText.Snowball;

namespace AotVector.Segment.FullText;

/// <summary>
/// Turns text into tokens the way the reference's full-text index does: split by the tokenizer, then per token
/// ASCII folding, lower-casing, stop-word removal, stemming and the length bounds, in that order. Documents and
/// queries differ only for the prefix tokenizer (documents index every prefix, a query keeps its whole word).
/// </summary>
/// <remarks>
/// The multilingual tokenizer splits on Unicode word boundaries as <c>word</c> does and makes each Han, Hiragana
/// and Katakana character a token of its own; the reference segments Chinese and Japanese with dictionaries and
/// normalizes further, so its CJK tokens can be longer. Latin, Cyrillic, Greek and other spaced scripts tokenize alike.
/// </remarks>
public sealed class TextAnalyzer
{
    private readonly TokenizerKind _tokenizer;
    private readonly bool _lowercase;
    private readonly bool _asciiFolding;
    private readonly HashSet<string> _stopwords;
    private readonly Func<string, string>? _stem;
    private readonly int? _minLen;
    private readonly int? _maxLen;

    public TextAnalyzer(TokenizerKind tokenizer, bool lowercase, bool asciiFolding, HashSet<string> stopwords, Func<string, string>? stem, int? minLen, int? maxLen)
    {
        _tokenizer = tokenizer;
        _lowercase = lowercase;
        _asciiFolding = asciiFolding;
        _stopwords = stopwords;
        _stem = stem;
        _minLen = minLen;
        _maxLen = maxLen;
    }

    /// <summary>The analyzer of a text index (the reference's defaults: lower-case on, nothing else).</summary>
    public static TextAnalyzer ForIndex(TextIndexParams p) => new(
        p.Tokenizer,
        p.Lowercase ?? true,
        p.AsciiFolding ?? false,
        StopwordSet(p.Stopwords, p.Lowercase ?? true),
        p.Stemmer is { Language: { } language } ? SnowballStemmers.For(language) : null,
        Clamp(p.MinTokenLen),
        Clamp(p.MaxTokenLen));

    /// <summary>The stop words a spec names: each language's list plus the custom words, lower-cased when the analyzer lower-cases.</summary>
    public static HashSet<string> StopwordSet(StopwordsSpec? spec, bool lowercase)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (spec is null)
        {
            return set;
        }

        foreach (var language in spec.Languages)
        {
            foreach (var word in Stopwords.For(language) ?? [])
            {
                set.Add(lowercase ? word.ToLowerInvariant() : word);
            }
        }

        foreach (var word in spec.Custom)
        {
            set.Add(lowercase ? word.ToLowerInvariant() : word);
        }

        return set;
    }

    public bool Lowercase => _lowercase;

    public void TokenizeDocument(string text, List<string> tokens)
    {
        switch (_tokenizer)
        {
            case TokenizerKind.Whitespace:
                foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                {
                    AddProcessed(word, tokens, checkMax: true);
                }

                break;
            case TokenizerKind.Prefix:
                foreach (var word in Words(text, splitIdeographs: false))
                {
                    AddPrefixes(word, tokens);
                }

                break;
            case TokenizerKind.Multilingual:
                foreach (var word in Words(text, splitIdeographs: true))
                {
                    if (HasLetter(word))
                    {
                        AddProcessed(word, tokens, checkMax: true);
                    }
                }

                break;
            default:
                foreach (var word in Words(text, splitIdeographs: false))
                {
                    AddProcessed(word, tokens, checkMax: true);
                }

                break;
        }
    }

    public void TokenizeQuery(string text, List<string> tokens)
    {
        if (_tokenizer != TokenizerKind.Prefix)
        {
            TokenizeDocument(text, tokens);
            return;
        }

        // A query word is matched as the longest prefix the documents index; stop words stay, so "the" still
        // finds "theory" while it is being typed.
        foreach (var word in Words(text, splitIdeographs: false))
        {
            var token = _asciiFolding ? AsciiFolding.Fold(word) : word;
            token = _lowercase ? token.ToLowerInvariant() : token;
            token = _stem is null ? token : _stem(token);
            var length = CharCount(token);
            if (_minLen is { } min && length < min)
            {
                continue;
            }

            tokens.Add(_maxLen is { } max && length > max ? Prefix(token, max) : token);
        }
    }

    private void AddPrefixes(string word, List<string> tokens)
    {
        if (Process(word, checkMax: false) is not { } token)
        {
            return;
        }

        var length = CharCount(token);
        var from = _minLen ?? 1;
        var to = _maxLen ?? int.MaxValue;
        for (var n = from; n <= to; n++)
        {
            if (n >= length)
            {
                tokens.Add(token);
                break;
            }

            tokens.Add(Prefix(token, n));
        }
    }

    private void AddProcessed(string word, List<string> tokens, bool checkMax)
    {
        if (Process(word, checkMax) is { } token)
        {
            tokens.Add(token);
        }
    }

    private string? Process(string token, bool checkMax)
    {
        if (token.Length == 0)
        {
            return null;
        }

        if (_asciiFolding)
        {
            token = AsciiFolding.Fold(token);
        }

        if (_lowercase)
        {
            token = token.ToLowerInvariant();
        }

        if (_stopwords.Contains(token))
        {
            return null;
        }

        if (_stem is not null)
        {
            token = _stem(token);
        }

        var length = CharCount(token);
        if ((_minLen is { } min && length < min) || (checkMax && _maxLen is { } max && length > max))
        {
            return null;
        }

        return token;
    }

    // Runs of letters and digits (Unicode), optionally with each Han / kana character as a run of its own.
    private static IEnumerable<string> Words(string text, bool splitIdeographs)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used);
            i += used;
            if (!IsWordRune(rune))
            {
                if (sb.Length > 0)
                {
                    yield return sb.ToString();
                    sb.Clear();
                }

                continue;
            }

            if (splitIdeographs && IsIdeographic(rune.Value))
            {
                if (sb.Length > 0)
                {
                    yield return sb.ToString();
                    sb.Clear();
                }

                yield return rune.ToString();
                continue;
            }

            sb.Append(rune.ToString());
        }

        if (sb.Length > 0)
        {
            yield return sb.ToString();
        }
    }

    private static bool IsWordRune(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        // Vowel signs of Indic and other abugida scripts are part of their words.
        UnicodeCategory.SpacingCombiningMark or UnicodeCategory.NonSpacingMark => rune.Value >= 0x0900,
        _ => false,
    };

    private static bool IsIdeographic(int c) =>
        c is >= 0x3040 and <= 0x30FF or >= 0x3400 and <= 0x4DBF or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x2FA1F;

    private static bool HasLetter(string word)
    {
        foreach (var rune in word.EnumerateRunes())
        {
            if (Rune.IsLetter(rune))
            {
                return true;
            }
        }

        return false;
    }

    private static int CharCount(string s)
    {
        var n = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            n++;
        }

        return n;
    }

    private static string Prefix(string s, int runes)
    {
        var i = 0;
        var n = 0;
        while (i < s.Length && n < runes)
        {
            i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? 2 : 1;
            n++;
        }

        return s[..i];
    }

    private static int? Clamp(ulong? value) => value is { } v ? (int)Math.Min(v, int.MaxValue) : null;
}
