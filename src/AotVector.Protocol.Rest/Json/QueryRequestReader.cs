using System.Text.Json;
using AotVector.Common.Filtering;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Bodies of /points/query and the legacy /points/search and /points/recommend, all mapped onto the engine's
/// <see cref="QueryRequest"/>. What they leave out comes from <see cref="RequestDefaults"/>; search and recommend
/// require a limit.
/// </summary>
internal static class QueryRequestReader
{
    /// <summary>The fields every query-like request shares.</summary>
    private sealed class SharedFields
    {
        public Filter? Filter;
        public uint? Limit;
        public uint Offset = RequestDefaults.Offset;
        public float? ScoreThreshold;
        public SearchParams? Params;
        public WithPayload WithPayload = RequestDefaults.QueryPayload;
        public WithVector WithVector = RequestDefaults.Vectors;
        public LookupLocation? LookupFrom;
        public string? Using;

        /// <summary>Reads the property if it is a shared one; false for the caller's own fields.</summary>
        public bool TryRead(JsonProperty p, string path)
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "filter":
                    Filter = FilterReader.ReadOptional(p.Value, at);
                    return true;
                case "limit":
                    Limit = ReadRequestReader.ReadLimit(p.Value, at) ?? Limit;
                    return true;
                case "offset":
                    Offset = JsonRead.OptionalUInt32(p.Value, at) ?? RequestDefaults.Offset;
                    return true;
                case "score_threshold":
                    ScoreThreshold = JsonRead.OptionalSingle(p.Value, at);
                    return true;
                case "params":
                    Params = ReadParams(p.Value, at);
                    return true;
                case "with_payload":
                    WithPayload = SelectorJson.ReadWithPayload(p.Value, at, RequestDefaults.QueryPayload);
                    return true;
                case "with_vector" or "with_vectors":
                    WithVector = SelectorJson.ReadWithVector(p.Value, at, RequestDefaults.Vectors);
                    return true;
                case "lookup_from":
                    LookupFrom = ReadLookup(p.Value, at);
                    return true;
                case "using":
                    Using = JsonRead.OptionalString(p.Value, at);
                    return true;
                default:
                    return false;
            }
        }

        public QueryRequest ToRequest(QueryInput? query, string path, bool limitRequired)
        {
            if (Limit is null && limitRequired)
            {
                JsonRead.Missing(path, "limit");
            }

            return new QueryRequest(query, Using, Filter, Limit ?? RequestDefaults.Limit, Offset, ScoreThreshold, Params, WithPayload, WithVector, LookupFrom);
        }
    }

    public static QueryRequest ReadQuery(JsonElement root, string path)
    {
        JsonRead.Object(root, path, "a query request object");
        var common = new SharedFields();
        QueryInput? query = null;
        List<Prefetch> prefetch = [];
        foreach (var p in root.EnumerateObject())
        {
            if (common.TryRead(p, path))
            {
                continue;
            }

            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "query":
                    query = ReadQueryInput(p.Value, at);
                    break;
                case "prefetch":
                    prefetch = PrefetchReader.ReadPrefetches(p.Value, at);
                    break;
                default:
                    // shard_key, consistency-like extras: ignored.
                    break;
            }
        }

        return common.ToRequest(query, path, limitRequired: false) with { Prefetch = prefetch };
    }

    /// <summary>Legacy search: "vector" is an array or {"name","vector"}; "top" is an alias of "limit"; the result is a bare list.</summary>
    public static QueryRequest ReadSearch(JsonElement root, string path)
    {
        JsonRead.Object(root, path, "a search request object");
        var common = new SharedFields();
        VectorInput? vector = null;
        string? name = null;
        foreach (var p in root.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            if (p.Name == "top")
            {
                common.Limit = ReadRequestReader.ReadLimit(p.Value, at) ?? common.Limit;
                continue;
            }

            if (p.Name == "vector")
            {
                (name, vector) = ReadNamedVector(p.Value, at);
                continue;
            }

            // "using" and "lookup_from" are not search fields; they are ignored like any unknown key.
            if (p.Name is not ("using" or "lookup_from"))
            {
                common.TryRead(p, path);
            }
        }

        if (vector is null)
        {
            JsonRead.Missing(path, "vector");
        }

        common.Using = name;
        return common.ToRequest(new NearestQuery(vector), path, limitRequired: true);
    }

    /// <summary>Legacy recommend: positive/negative ids or vectors, strategy, using, lookup_from; the result is a bare list.</summary>
    public static QueryRequest ReadRecommend(JsonElement root, string path)
    {
        JsonRead.Object(root, path, "a recommend request object");
        var common = new SharedFields();
        List<VectorInput> positive = [], negative = [];
        var strategy = RequestDefaults.Strategy;
        foreach (var p in root.EnumerateObject())
        {
            if (common.TryRead(p, path))
            {
                continue;
            }

            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "positive":
                    positive = ReadExamples(p.Value, at);
                    break;
                case "negative":
                    negative = ReadExamples(p.Value, at);
                    break;
                case "strategy":
                    strategy = ReadStrategy(p.Value, at);
                    break;
                default:
                    break;
            }
        }

        CheckExamples(positive, negative, strategy);
        return common.ToRequest(new RecommendQuery(positive, negative, strategy), path, limitRequired: true);
    }

    /// <summary>
    /// Legacy discover: "target" and "context" pairs (ids or vectors), using, lookup_from; the result is a bare list.
    /// It has no score_threshold in the reference, so one given is ignored like any unknown key.
    /// </summary>
    public static QueryRequest ReadDiscover(JsonElement root, string path)
    {
        JsonRead.Object(root, path, "a discover request object");
        var common = new SharedFields();
        VectorInput? target = null;
        List<ContextPair> context = [];
        foreach (var p in root.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "score_threshold":
                    continue;
                case "target":
                    target = JsonRead.IsAbsent(p.Value) ? null : ReadVectorInput(p.Value, at);
                    continue;
                case "context":
                    context = QueryKindReader.ReadPairs(p.Value, at);
                    continue;
                default:
                    common.TryRead(p, path);
                    break;
            }
        }

        var query = QueryKindReader.LegacyDiscover(target, context);
        return common.ToRequest(query, path, limitRequired: true);
    }

    /// <summary>{"searches":[...]} of the batch endpoints, each read by <paramref name="readOne"/>.</summary>
    public static List<QueryRequest> ReadBatch(JsonElement root, Func<JsonElement, string, QueryRequest> readOne)
    {
        JsonRead.Object(root, "", "an object with `searches`");
        if (!root.TryGetProperty("searches", out var searches))
        {
            JsonRead.Missing("", "searches");
        }

        JsonRead.Array(searches, "searches");
        var list = new List<QueryRequest>(searches.GetArrayLength());
        var i = 0;
        foreach (var item in searches.EnumerateArray())
        {
            list.Add(readOne(item, BodyPath.Index("searches", i++)));
        }

        return list;
    }

    /// <summary>
    /// The "query" of /points/query: a dense vector, a point id, {"nearest"}, {"recommend"}, {"discover"}, {"context"},
    /// {"order_by"}, {"sample"}, {"fusion"}, {"rrf"} or {"formula"}, and {"nearest"} with {"mmr"}. Relevance feedback is refused with a clear 400.
    /// </summary>
    public static QueryInput? ReadQueryInput(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.Array or JsonValueKind.Number or JsonValueKind.String:
                return new NearestQuery(ReadVectorInput(e, path));
            case JsonValueKind.Object:
                break;
            default:
                JsonRead.InvalidType(e, path, "a vector, a point id or a query object");
                return null;
        }

        if (VectorJson.IsSparse(e))
        {
            return new NearestQuery(new SparseVectorInput(VectorJson.ReadSparse(e, path)));
        }

        if (VectorJson.IsDocument(e))
        {
            return new NearestQuery(new DocumentInput(VectorJson.ReadDocument(e, path)));
        }

        QueryInput? query = null;
        MmrParams? mmr = null;
        FormulaExpression? formula = null;
        Dictionary<string, Common.Model.PayloadValue>? defaults = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "nearest":
                    query = new NearestQuery(ReadVectorInput(p.Value, at));
                    break;
                case "mmr":
                    mmr = ReadMmr(p.Value, at);
                    break;
                case "recommend":
                    query = ReadRecommendInput(p.Value, at);
                    break;
                case "discover":
                    query = QueryKindReader.ReadDiscover(p.Value, at);
                    break;
                case "context":
                    query = QueryKindReader.ReadContext(p.Value, at);
                    break;
                case "order_by":
                    query = new OrderByQuery(QueryKindReader.ReadOrderBy(p.Value, at));
                    break;
                case "fusion":
                    query = PrefetchReader.ReadFusion(p.Value, at);
                    break;
                case "rrf":
                    query = PrefetchReader.ReadRrf(p.Value, at);
                    break;
                case "formula":
                    formula = FormulaReader.Read(p.Value, at);
                    break;
                case "defaults":
                    defaults = FormulaReader.ReadDefaults(p.Value, at);
                    break;
                case "sample":
                    query = QueryKindReader.ReadSample(p.Value, at);
                    break;
                case "relevance_feedback":
                    query = QueryKindReader.ReadRelevanceFeedback(p.Value, at);
                    break;
                case "image" or "object":
                    ThrowHelper.ThrowError(Unsupported.InferenceInputs);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `nearest`, `mmr`, `recommend`, `discover`, `context`, `order_by`, `fusion`, `rrf`, `formula`, `defaults`, `sample`, `relevance_feedback`");
                    break;
            }
        }

        if (formula is not null)
        {
            query = new FormulaQuery(formula, defaults ?? []);
        }
        else if (defaults is not null)
        {
            JsonRead.Missing(path, "formula");
        }

        if (mmr is not null)
        {
            query = query is NearestQuery nearest
                ? nearest with { Mmr = mmr }
                : ThrowHelper.ThrowFormat<QueryInput>(path, "`mmr` goes with `nearest`");
        }

        return query ?? ThrowHelper.ThrowFormat<QueryInput>(path, "a query object needs one of `nearest`, `recommend`, `discover`, `context`, `order_by`, `sample`, `fusion`, `rrf` or `formula`");
    }

    /// <summary>MMR params of a nearest query; an absent or null value is a plain nearest query.</summary>
    private static MmrParams? ReadMmr(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "an object with `diversity` and `candidates_limit`");
        float? diversity = null;
        uint? candidates = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "diversity":
                    diversity = JsonRead.OptionalSingle(p.Value, at);
                    break;
                case "candidates_limit":
                    candidates = JsonRead.OptionalUInt32(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `diversity`, `candidates_limit`");
                    break;
            }
        }

        return new MmrParams(diversity, candidates);
    }

    /// <summary>A vector given inline (dense array, multivector or sparse object) or a point id whose stored vector is used.</summary>
    public static VectorInput ReadVectorInput(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.String => new PointIdInput(PointIdJson.Read(e, path)),
        _ when VectorJson.IsSparse(e) => new SparseVectorInput(VectorJson.ReadSparse(e, path)),
        _ when VectorJson.IsDocument(e) => new DocumentInput(VectorJson.ReadDocument(e, path)),
        _ when VectorJson.IsMulti(e) => new MultiDenseVectorInput(VectorJson.ReadMulti(e, path)),
        _ => new DenseVectorInput(VectorJson.ReadDense(e, path)),
    };

    private static RecommendQuery ReadRecommendInput(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a recommend object");
        List<VectorInput> positive = [], negative = [];
        var strategy = RequestDefaults.Strategy;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "positive":
                    positive = ReadExamples(p.Value, at);
                    break;
                case "negative":
                    negative = ReadExamples(p.Value, at);
                    break;
                case "strategy":
                    strategy = ReadStrategy(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `positive`, `negative`, `strategy`");
                    break;
            }
        }

        CheckExamples(positive, negative, strategy);
        return new RecommendQuery(positive, negative, strategy);
    }

    private static void CheckExamples(List<VectorInput> positive, List<VectorInput> negative, RecommendStrategy strategy)
    {
        if (RequestRules.RecommendExamples(positive.Count, negative.Count, strategy) is { } refused)
        {
            ThrowHelper.ThrowError(refused);
        }
    }

    private static List<VectorInput> ReadExamples(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return [];
        }

        JsonRead.Array(e, path, "a list of point ids or vectors");
        var list = new List<VectorInput>(e.GetArrayLength());
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            list.Add(ReadVectorInput(item, BodyPath.Index(path, i++)));
        }

        return list;
    }

    private static RecommendStrategy ReadStrategy(JsonElement e, string path) => JsonRead.OptionalString(e, path) switch
    {
        null => RequestDefaults.Strategy,
        "average_vector" => RecommendStrategy.AverageVector,
        "best_score" => RecommendStrategy.BestScore,
        "sum_scores" => RecommendStrategy.SumScores,
        var other => ThrowHelper.ThrowFormat<RecommendStrategy>(path, "unknown variant `" + other + "`, expected one of `average_vector`, `best_score`, `sum_scores`"),
    };

    /// <summary>The legacy search vector: [..] for the unnamed vector, or {"name","vector":[..] | {"indices","values"}}.</summary>
    private static (string? Name, VectorInput Vector) ReadNamedVector(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return (null, new DenseVectorInput(VectorJson.ReadDense(e, path)));
        }

        if (!e.TryGetProperty("name", out var name) || JsonRead.IsAbsent(name))
        {
            JsonRead.Missing(path, "name");
        }

        if (!e.TryGetProperty("vector", out var vector) || JsonRead.IsAbsent(vector))
        {
            JsonRead.Missing(path, "vector");
        }

        var vectorAt = BodyPath.Field(path, "vector");
        return (JsonRead.String(name, BodyPath.Field(path, "name")), VectorJson.IsSparse(vector)
            ? new SparseVectorInput(VectorJson.ReadSparse(vector, vectorAt))
            : new DenseVectorInput(VectorJson.ReadDense(vector, vectorAt)));
    }

    internal static SearchParams? ReadParams(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "search params");
        ulong? hnswEf = null;
        var exact = RequestDefaults.ExactSearch;
        QuantizationSearchParams? quantization = null;
        AcornSearchParams? acorn = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "hnsw_ef":
                    hnswEf = JsonRead.OptionalUInt64(p.Value, at);
                    break;
                case "exact":
                    exact = JsonRead.OptionalBool(p.Value, at) ?? RequestDefaults.ExactSearch;
                    break;
                case "quantization":
                    quantization = ReadQuantizationParams(p.Value, at);
                    break;
                case "acorn":
                    acorn = ReadAcornParams(p.Value, at);
                    break;
                default:
                    // indexed_only: accepted and ignored.
                    break;
            }
        }

        return new SearchParams(hnswEf, exact, quantization, acorn);
    }

    // {"enable", "max_selectivity"}; a selectivity outside [0, 1] is refused as the reference refuses it.
    private static AcornSearchParams? ReadAcornParams(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "acorn search params");
        var enable = false;
        double? maxSelectivity = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "enable":
                    enable = JsonRead.OptionalBool(p.Value, at) ?? false;
                    break;
                case "max_selectivity":
                    maxSelectivity = JsonRead.OptionalDouble(p.Value, at);
                    if (maxSelectivity is { } s && RequestRules.AcornMaxSelectivity(s) is { } problem)
                    {
                        ThrowHelper.ThrowValidation(at, problem);
                    }

                    break;
                default:
                    break;
            }
        }

        return new AcornSearchParams(enable, maxSelectivity);
    }

    // {"ignore", "rescore", "oversampling"}; oversampling below 1 is refused as the reference refuses it.
    private static QuantizationSearchParams? ReadQuantizationParams(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "quantization search params");
        var ignore = false;
        bool? rescore = null;
        double? oversampling = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "ignore":
                    ignore = JsonRead.OptionalBool(p.Value, at) ?? false;
                    break;
                case "rescore":
                    rescore = JsonRead.OptionalBool(p.Value, at);
                    break;
                case "oversampling":
                    oversampling = JsonRead.OptionalDouble(p.Value, at);
                    if (oversampling is { } o && RequestRules.Oversampling(o) is { } problem)
                    {
                        ThrowHelper.ThrowValidation(at, problem);
                    }

                    break;
                default:
                    break;
            }
        }

        return new QuantizationSearchParams(ignore, rescore, oversampling);
    }

    internal static LookupLocation? ReadLookup(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Object(e, path, "a lookup location {\"collection\",\"vector\"}");
        if (!e.TryGetProperty("collection", out var collection) || JsonRead.IsAbsent(collection))
        {
            JsonRead.Missing(path, "collection");
        }

        var vector = e.TryGetProperty("vector", out var v) ? JsonRead.OptionalString(v, BodyPath.Field(path, "vector")) : null;
        return new LookupLocation(JsonRead.String(collection, BodyPath.Field(path, "collection")), vector);
    }
}
