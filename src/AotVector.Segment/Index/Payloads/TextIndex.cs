using AotVector.Common.Filtering;
using AotVector.Common.FullText;
using AotVector.Common.Model;
using AotVector.Segment.FullText;

namespace AotVector.Segment.Index.Payloads;

/// <summary>
/// Full-text index: token → offsets over the strings at one path, tokenized by the index's <see cref="TextAnalyzer"/>.
/// It also decides what <c>match.text</c>, <c>text_any</c> and <c>phrase</c> mean on its field (<see cref="Matches"/>):
/// tokens, not substrings, as the reference answers them once the field has a text index.
/// </summary>
/// <remarks>
/// A point's strings (an array's elements too) form one token set, as the reference's index holds them; a phrase
/// never runs from one string into the next. Without <c>phrase_matching</c> the reference keeps no positions and a
/// phrase condition matches nothing; so does this one.
/// </remarks>
internal sealed class TextIndex : FieldIndex
{
    private readonly Dictionary<string, HashSet<uint>> _postings = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, string[]> _tokens = [];

    public TextIndex(string field, JsonPath path, TextIndexParams parameters)
        : base(field, path)
    {
        Params = parameters;
        Analyzer = TextAnalyzer.ForIndex(parameters);
    }

    public TextIndexParams Params { get; }

    public TextAnalyzer Analyzer { get; }

    public override FieldIndexType Type => FieldIndexType.Text;

    public override int Points => _tokens.Count;

    public override void Remove(uint offset)
    {
        if (!_tokens.Remove(offset, out var tokens))
        {
            return;
        }

        foreach (var token in tokens)
        {
            if (_postings.TryGetValue(token, out var set) && set.Remove(offset) && set.Count == 0)
            {
                _postings.Remove(token);
            }
        }
    }

    public override bool Collect(FieldCondition condition, Candidates candidates)
    {
        var tokens = new List<string>();
        switch (condition.Match)
        {
            case MatchText text:
                Analyzer.TokenizeQuery(text.Text, tokens);
                AddSmallestPosting(tokens, candidates);
                return true;
            case MatchPhrase phrase:
                if (Params.PhraseMatching == true)
                {
                    Analyzer.TokenizeDocument(phrase.Text, tokens);
                    AddSmallestPosting(tokens, candidates);
                }

                return true;
            case MatchTextAny any:
                Analyzer.TokenizeQuery(any.Text, tokens);
                foreach (var token in tokens)
                {
                    if (_postings.TryGetValue(token, out var set))
                    {
                        candidates.AddAll(set);
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether the strings among <paramref name="values"/> (one point's values at the path) satisfy a text match.</summary>
    public bool Matches(Match match, List<PayloadValue> values)
    {
        var query = new List<string>();
        switch (match)
        {
            case MatchText text:
                Analyzer.TokenizeQuery(text.Text, query);
                return query.Count > 0 && DocumentTokens(values).IsSupersetOf(query);
            case MatchTextAny any:
                Analyzer.TokenizeQuery(any.Text, query);
                return query.Count > 0 && DocumentTokens(values).Overlaps(query);
            case MatchPhrase phrase:
                if (Params.PhraseMatching != true)
                {
                    return false;
                }

                Analyzer.TokenizeDocument(phrase.Text, query);
                if (query.Count == 0)
                {
                    return false;
                }

                foreach (var text in Strings(values))
                {
                    var document = new List<string>();
                    Analyzer.TokenizeDocument(text, document);
                    if (ContainsRun(document, query))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    protected override void Add(uint offset, List<PayloadValue> values)
    {
        var tokens = DocumentTokens(values);
        if (tokens.Count == 0)
        {
            return;
        }

        var array = tokens.ToArray();
        _tokens[offset] = array;
        foreach (var token in array)
        {
            if (!_postings.TryGetValue(token, out var set))
            {
                set = [];
                _postings[token] = set;
            }

            set.Add(offset);
        }
    }

    private void AddSmallestPosting(List<string> tokens, Candidates candidates)
    {
        HashSet<uint>? smallest = null;
        foreach (var token in tokens)
        {
            if (!_postings.TryGetValue(token, out var set))
            {
                return;
            }

            if (smallest is null || set.Count < smallest.Count)
            {
                smallest = set;
            }
        }

        if (smallest is not null)
        {
            candidates.AddAll(smallest);
        }
    }

    private HashSet<string> DocumentTokens(List<PayloadValue> values)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var tokens = new List<string>();
        foreach (var text in Strings(values))
        {
            tokens.Clear();
            Analyzer.TokenizeDocument(text, tokens);
            set.UnionWith(tokens);
        }

        return set;
    }

    // The strings among the values, one level of arrays flattened (as conditions flatten them).
    private static IEnumerable<string> Strings(List<PayloadValue> values)
    {
        foreach (var value in values)
        {
            if (value.Kind == PayloadKind.String)
            {
                yield return value.AsString;
            }
            else if (value.Kind == PayloadKind.Array)
            {
                foreach (var item in value.AsArray)
                {
                    if (item.Kind == PayloadKind.String)
                    {
                        yield return item.AsString;
                    }
                }
            }
        }
    }

    private static bool ContainsRun(List<string> document, List<string> phrase)
    {
        for (var start = 0; start + phrase.Count <= document.Count; start++)
        {
            var all = true;
            for (var i = 0; i < phrase.Count && all; i++)
            {
                all = string.Equals(document[start + i], phrase[i], StringComparison.Ordinal);
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }
}
