using AotVector.Common.Errors;
using AotVector.Common.FullText;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Segment.FullText;
using AotVector.Segment.FullText.Snowball;

namespace AotVector.Engine.Inference;

/// <summary>
/// Server-side inference, as far as this server runs it: <c>qdrant/bm25</c> (also <c>bm25</c>, any case) turns a
/// document's text into a sparse vector, term-frequency weights when written and unit weights when searched, with
/// the reference's options and defaults (k 1.2, b 0.75, avg_len 256, word tokenizer, English stop words and stemmer,
/// lower-case). Any other model needs the reference's external inference service, which is not configured here.
/// </summary>
public static class DocumentInference
{
    /// <summary>The reference's answer when a document names a model it would send to an inference service it lacks.</summary>
    public static AvError NoInferenceService { get; } = AvError.BadRequest(
        "InferenceService is not initialized. Please check if it was properly configured and initialized during startup.");

    private const string DefaultLanguage = "english";

    /// <summary>The sparse vector a document stands for: a stored document (<paramref name="query"/> false) or a query.</summary>
    public static Result<SparseVector> Embed(DocumentVector document, bool query)
    {
        var model = document.Model.ToLowerInvariant();
        if (model is not ("qdrant/bm25" or "bm25"))
        {
            return NoInferenceService;
        }

        if (!Parse(document.Options).TryGet(out var bm25, out var error))
        {
            return error;
        }

        var (indices, values) = query ? bm25.EmbedQuery(document.Text) : bm25.EmbedDocument(document.Text);
        return new SparseVector(indices, values);
    }

    /// <summary>An update with every document replaced by its vector; the same operation when it has none.</summary>
    public static Result<UpdateOperation> Resolve(UpdateOperation operation)
    {
        switch (operation)
        {
            case UpsertPoints upsert when upsert.Points.Any(p => HasDocument(p.Vectors)):
            {
                var points = new List<PointStruct>(upsert.Points.Count);
                foreach (var p in upsert.Points)
                {
                    if (!ResolveVectors(p.Vectors).TryGet(out var vectors, out var error))
                    {
                        return error;
                    }

                    points.Add(p with { Vectors = vectors });
                }

                return upsert with { Points = points };
            }

            case UpdateVectors update when update.Points.Any(p => HasDocument(p.Vectors)):
            {
                var points = new List<PointVectors>(update.Points.Count);
                foreach (var p in update.Points)
                {
                    if (!ResolveVectors(p.Vectors).TryGet(out var vectors, out var error))
                    {
                        return error;
                    }

                    points.Add(p with { Vectors = vectors });
                }

                return update with { Points = points };
            }

            default:
                return operation;
        }
    }

    /// <summary>A query with every document input (at the top, in prefetches, examples and context pairs) embedded as a query.</summary>
    public static Result<QueryRequest> Resolve(QueryRequest request)
    {
        if (!ResolveQuery(request.Query).TryGet(out var query, out var error))
        {
            return error;
        }

        if (request.Prefetch is not { Count: > 0 } prefetches)
        {
            return ReferenceEquals(query, request.Query) ? request : request with { Query = query };
        }

        if (!ResolvePrefetches(prefetches).TryGet(out var resolved, out error))
        {
            return error;
        }

        return request with { Query = query, Prefetch = resolved };
    }

    private static Result<IReadOnlyList<Prefetch>> ResolvePrefetches(IReadOnlyList<Prefetch> prefetches)
    {
        var list = new List<Prefetch>(prefetches.Count);
        foreach (var p in prefetches)
        {
            if (!ResolveQuery(p.Query).TryGet(out var query, out var error))
            {
                return error;
            }

            if (!ResolvePrefetches(p.Prefetches).TryGet(out var inner, out error))
            {
                return error;
            }

            list.Add(p with { Query = query, Prefetches = inner });
        }

        return list;
    }

    private static Result<QueryInput?> ResolveQuery(QueryInput? query)
    {
        switch (query)
        {
            case NearestQuery nearest:
                return Input(nearest.Target).TryGet(out var target, out var error) ? nearest with { Target = target } : error;
            case RecommendQuery recommend:
            {
                if (!Inputs(recommend.Positive).TryGet(out var positive, out var error1) || !Inputs(recommend.Negative).TryGet(out var negative, out error1))
                {
                    return error1;
                }

                return recommend with { Positive = positive, Negative = negative };
            }

            case DiscoverQuery discover:
            {
                if (!Input(discover.Target).TryGet(out var t, out var error2) || !Pairs(discover.Context).TryGet(out var pairs, out error2))
                {
                    return error2;
                }

                return discover with { Target = t, Context = pairs };
            }

            case ContextQuery context:
                return Pairs(context.Pairs).TryGet(out var contextPairs, out var error3) ? context with { Pairs = contextPairs } : error3;
            case RelevanceFeedbackQuery feedback:
            {
                if (!Input(feedback.Target).TryGet(out var feedbackTarget, out var error4))
                {
                    return error4;
                }

                var items = new List<FeedbackItem>(feedback.Feedback.Count);
                foreach (var item in feedback.Feedback)
                {
                    if (!Input(item.Example).TryGet(out var example, out error4))
                    {
                        return error4;
                    }

                    items.Add(item with { Example = example });
                }

                return feedback with { Target = feedbackTarget, Feedback = items };
            }

            default:
                return query;
        }
    }

    private static Result<IReadOnlyList<ContextPair>> Pairs(IReadOnlyList<ContextPair> pairs)
    {
        var list = new List<ContextPair>(pairs.Count);
        foreach (var pair in pairs)
        {
            if (!Input(pair.Positive).TryGet(out var positive, out var error) || !Input(pair.Negative).TryGet(out var negative, out error))
            {
                return error;
            }

            list.Add(new ContextPair(positive, negative));
        }

        return list;
    }

    private static Result<IReadOnlyList<VectorInput>> Inputs(IReadOnlyList<VectorInput> inputs)
    {
        var list = new List<VectorInput>(inputs.Count);
        foreach (var input in inputs)
        {
            if (!Input(input).TryGet(out var resolved, out var error))
            {
                return error;
            }

            list.Add(resolved);
        }

        return list;
    }

    private static Result<VectorInput> Input(VectorInput input) =>
        input is DocumentInput document
            ? Embed(document.Document, query: true).TryGet(out var sparse, out var error) ? new SparseVectorInput(sparse) : error
            : input;

    private static bool HasDocument(IReadOnlyDictionary<string, VectorData> vectors) => vectors.Values.Any(v => v is DocumentVector);

    private static Result<IReadOnlyDictionary<string, VectorData>> ResolveVectors(IReadOnlyDictionary<string, VectorData> vectors)
    {
        var resolved = new Dictionary<string, VectorData>(vectors.Count, StringComparer.Ordinal);
        foreach (var (name, vector) in vectors)
        {
            if (vector is DocumentVector document)
            {
                if (!Embed(document, query: false).TryGet(out var sparse, out var error))
                {
                    return error;
                }

                resolved[name] = sparse;
            }
            else
            {
                resolved[name] = vector;
            }
        }

        return resolved;
    }

    // The reference's BM25 config: k, b, avg_len, tokenizer and the text preprocessing options, all optional.
    private static Result<Bm25> Parse(Payload? options)
    {
        double k = Bm25.DefaultK, b = Bm25.DefaultB, avgLen = Bm25.DefaultAvgLen;
        var tokenizer = TokenizerKind.Word;
        string language = DefaultLanguage;
        bool? lowercase = null, asciiFolding = null;
        StopwordsSpec? stopwords = null;
        StemmerSpec? stemmer = null;
        bool stemmerGiven = false, stopwordsGiven = false;
        ulong? minLen = null, maxLen = null;
        foreach (var (key, value) in options?.Fields ?? [])
        {
            if (value.IsNull)
            {
                continue;
            }

            AvError? bad = key switch
            {
                "k" => Number(value, key, out k),
                "b" => Number(value, key, out b),
                "avg_len" => Number(value, key, out avgLen),
                "tokenizer" => Tokenizer(value, out tokenizer),
                "language" => Text(value, key, out language),
                "lowercase" => Flag(value, key, out lowercase),
                "ascii_folding" => Flag(value, key, out asciiFolding),
                "stopwords" => StopwordsOption(value, out stopwords, out stopwordsGiven),
                "stemmer" => StemmerOption(value, out stemmer, out stemmerGiven),
                "min_token_len" => Length(value, key, out minLen),
                "max_token_len" => Length(value, key, out maxLen),
                _ => null, // the reference ignores keys it does not know
            };
            if (bad is { } e)
            {
                return e;
            }
        }

        if (!double.IsFinite(k) || k < 0)
        {
            return Invalid($"BM25 k1 must be finite and >= 0, got {k}");
        }

        if (!double.IsFinite(b) || b is < 0 or > 1)
        {
            return Invalid($"BM25 b must be finite and in [0.0, 1.0], got {b}");
        }

        if (!double.IsFinite(avgLen) || avgLen <= 0)
        {
            return Invalid($"BM25 avg_len must be finite and > 0, got {avgLen}");
        }

        // The language picks the default stemmer and stop words; a language the reference does not know disables
        // both (its deprecated "none"), one it knows and this build lacks is refused.
        if (!stemmerGiven)
        {
            stemmer = SnowballLanguages.Reference.Contains(language) ? new StemmerSpec(language) : null;
        }

        if (!stopwordsGiven)
        {
            stopwords = Stopwords.ReferenceLanguages.Contains(language) ? new StopwordsSpec([language], []) : null;
        }

        if (TextIndexRules.Check(stopwords, stemmer) is { } refused)
        {
            return refused;
        }

        var lower = lowercase ?? true;
        var analyzer = new TextAnalyzer(
            tokenizer,
            lower,
            asciiFolding ?? false,
            TextAnalyzer.StopwordSet(stopwords, lower),
            stemmer is { Language: { } l } ? SnowballStemmers.For(l) : null,
            minLen is { } min ? (int)Math.Min(min, int.MaxValue) : null,
            maxLen is { } max ? (int)Math.Min(max, int.MaxValue) : null);
        return new Bm25(analyzer, k, b, avgLen);
    }

    private static AvError Invalid(string problem) => AvError.BadRequest("Invalid BM25 config: " + problem);

    private static AvError? Number(PayloadValue value, string key, out double number) =>
        value.TryGetNumber(out number) ? null : Invalid($"`{key}` must be a number");

    private static AvError? Text(PayloadValue value, string key, out string text)
    {
        text = value.Kind == PayloadKind.String ? value.AsString : DefaultLanguage;
        return value.Kind == PayloadKind.String ? null : Invalid($"`{key}` must be a string");
    }

    private static AvError? Flag(PayloadValue value, string key, out bool? flag)
    {
        flag = value.Kind == PayloadKind.Bool ? value.AsBool : null;
        return value.Kind == PayloadKind.Bool ? null : Invalid($"`{key}` must be a boolean");
    }

    private static AvError? Length(PayloadValue value, string key, out ulong? length)
    {
        length = value.Kind == PayloadKind.Integer && value.AsInteger >= 0 ? (ulong)value.AsInteger : null;
        return length is null ? Invalid($"`{key}` must be a non-negative integer") : null;
    }

    private static AvError? Tokenizer(PayloadValue value, out TokenizerKind tokenizer)
    {
        tokenizer = TokenizerKind.Word;
        var name = value.Kind == PayloadKind.String ? value.AsString : null;
        switch (name)
        {
            case "word":
                return null;
            case "whitespace":
                tokenizer = TokenizerKind.Whitespace;
                return null;
            case "prefix":
                tokenizer = TokenizerKind.Prefix;
                return null;
            case "multilingual":
                tokenizer = TokenizerKind.Multilingual;
                return null;
            default:
                return Invalid("`tokenizer` must be one of `prefix`, `whitespace`, `word`, `multilingual`");
        }
    }

    private static AvError? StopwordsOption(PayloadValue value, out StopwordsSpec? spec, out bool given)
    {
        given = true;
        spec = null;
        if (value.Kind == PayloadKind.String)
        {
            spec = new StopwordsSpec([value.AsString], []);
            return null;
        }

        if (value.Kind != PayloadKind.Object)
        {
            return Invalid("`stopwords` must be a language or an object with `languages` and `custom`");
        }

        var o = value.AsObject;
        var languages = o.TryGetValue("languages", out var l) ? Strings(l) : [];
        var custom = o.TryGetValue("custom", out var c) ? Strings(c) : [];
        if (languages is null || custom is null)
        {
            return Invalid("`stopwords.languages` and `stopwords.custom` must be lists of strings");
        }

        spec = new StopwordsSpec(languages, custom);
        return null;
    }

    private static AvError? StemmerOption(PayloadValue value, out StemmerSpec? spec, out bool given)
    {
        given = true;
        spec = null;
        if (value.Kind != PayloadKind.Object || !value.AsObject.TryGetValue("type", out var type) || type.Kind != PayloadKind.String)
        {
            return Invalid("`stemmer` must be {\"type\": \"snowball\", \"language\": ...} or {\"type\": \"none\"}");
        }

        if (type.AsString == "none")
        {
            spec = StemmerSpec.Disabled;
            return null;
        }

        if (type.AsString == "snowball" && value.AsObject.TryGetValue("language", out var language) && language.Kind == PayloadKind.String)
        {
            spec = new StemmerSpec(language.AsString);
            return null;
        }

        return Invalid("`stemmer` must be {\"type\": \"snowball\", \"language\": ...} or {\"type\": \"none\"}");
    }

    private static List<string>? Strings(PayloadValue value)
    {
        if (value.IsNull)
        {
            return [];
        }

        if (value.Kind != PayloadKind.Array)
        {
            return null;
        }

        var list = new List<string>();
        foreach (var item in value.AsArray)
        {
            if (item.Kind != PayloadKind.String)
            {
                return null;
            }

            list.Add(item.AsString);
        }

        return list;
    }
}
