using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// The bodies of the query kinds beyond nearest, recommend and fusion: <c>discover</c>, <c>context</c>,
/// <c>order_by</c> (also scroll's) and <c>sample</c>, and the legacy /points/discover request. Context pairs are one
/// pair object or a list of them, as the reference accepts; an explicit null is no pairs.
/// </summary>
internal static class QueryKindReader
{
    /// <summary>{"target": vector|id, "context": pair | [pairs] | null}: context is required, null allowed.</summary>
    public static DiscoverQuery ReadDiscover(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a discover object {\"target\", \"context\"}");
        VectorInput? target = null;
        List<ContextPair>? context = null;
        var contextSeen = false;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "target":
                    target = JsonRead.IsAbsent(p.Value) ? null : QueryRequestReader.ReadVectorInput(p.Value, at);
                    break;
                case "context":
                    contextSeen = true;
                    context = ReadPairs(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`target` or `context`");
                    break;
            }
        }

        if (target is null)
        {
            JsonRead.Missing(path, "target");
        }

        if (!contextSeen)
        {
            JsonRead.Missing(path, "context");
        }

        return new DiscoverQuery(target, context ?? []);
    }

    /// <summary>
    /// {"target": vector|id, "feedback": [{"example", "score"}], "strategy": {"naive": {"a", "b", "c"}}}: all required;
    /// an empty feedback list is refused as the REST schema of the reference refuses it.
    /// </summary>
    public static RelevanceFeedbackQuery ReadRelevanceFeedback(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a relevance feedback object {\"target\", \"feedback\", \"strategy\"}");
        VectorInput? target = null;
        List<FeedbackItem>? feedback = null;
        NaiveFeedbackStrategy? strategy = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "target":
                    target = QueryRequestReader.ReadVectorInput(p.Value, at);
                    break;
                case "feedback":
                    JsonRead.Array(p.Value, at);
                    feedback = [.. p.Value.EnumerateArray().Select((item, i) => ReadFeedbackItem(item, at + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]"))];
                    break;
                case "strategy":
                    strategy = ReadFeedbackStrategy(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`target`, `feedback` or `strategy`");
                    break;
            }
        }

        if (target is null)
        {
            JsonRead.Missing(path, "target");
        }

        if (feedback is null)
        {
            JsonRead.Missing(path, "feedback");
        }

        if (strategy is null)
        {
            JsonRead.Missing(path, "strategy");
        }

        if (feedback!.Count == 0)
        {
            ThrowHelper.ThrowError(RelevanceFeedbackQuery.EmptyFeedback(PrefetchPath(path)));
        }

        return new RelevanceFeedbackQuery(target!, feedback, strategy!);
    }

    // "prefetch[0].query.relevance_feedback" → "prefetch[0]": where the query sits, for the validation message.
    private static string PrefetchPath(string path)
    {
        var end = path.LastIndexOf("query", StringComparison.Ordinal);
        return end <= 0 ? "" : path[..(end - 1)];
    }

    private static FeedbackItem ReadFeedbackItem(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a feedback item {\"example\", \"score\"}");
        VectorInput? example = null;
        float? score = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "example":
                    example = QueryRequestReader.ReadVectorInput(p.Value, at);
                    break;
                case "score":
                    score = JsonRead.Single(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`example` or `score`");
                    break;
            }
        }

        if (example is null)
        {
            JsonRead.Missing(path, "example");
        }

        if (score is null)
        {
            JsonRead.Missing(path, "score");
        }

        return new FeedbackItem(example!, score!.Value);
    }

    private static NaiveFeedbackStrategy ReadFeedbackStrategy(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a feedback strategy {\"naive\": {\"a\", \"b\", \"c\"}}");
        if (!e.TryGetProperty("naive", out var naive) || JsonRead.IsAbsent(naive))
        {
            return ThrowHelper.ThrowFormat<NaiveFeedbackStrategy>(path, "data did not match any variant of untagged enum FeedbackStrategy");
        }

        var at = BodyPath.Field(path, "naive");
        JsonRead.Object(naive, at, "the naive strategy's coefficients {\"a\", \"b\", \"c\"}");
        float? a = null, b = null, c = null;
        foreach (var p in naive.EnumerateObject())
        {
            var field = BodyPath.Field(at, p.Name);
            switch (p.Name)
            {
                case "a":
                    a = JsonRead.Single(p.Value, field);
                    break;
                case "b":
                    b = JsonRead.Single(p.Value, field);
                    break;
                case "c":
                    c = JsonRead.Single(p.Value, field);
                    break;
                default:
                    JsonRead.UnknownField(at, p.Name, "`a`, `b` or `c`");
                    break;
            }
        }

        foreach (var (name, value) in new[] { ("a", a), ("b", b), ("c", c) })
        {
            if (value is null)
            {
                JsonRead.Missing(at, name);
            }
        }

        return new NaiveFeedbackStrategy(a!.Value, b!.Value, c!.Value);
    }

    /// <summary>{"context": pair | [pairs] | null}.</summary>
    public static ContextQuery ReadContext(JsonElement e, string path) => new(ReadPairs(e, path));

    /// <summary>"random", the one sample kind.</summary>
    public static SampleQuery ReadSample(JsonElement e, string path) => JsonRead.String(e, path) switch
    {
        "random" => new SampleQuery(),
        var other => ThrowHelper.ThrowFormat<SampleQuery>(path, "unknown variant `" + other + "`, expected `random`"),
    };

    /// <summary>"key", or {"key", "direction": "asc"|"desc", "start_from": integer | float | datetime string}.</summary>
    public static OrderBy ReadOrderBy(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.String)
        {
            return new OrderBy(JsonRead.KeyPath(e, path));
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            ThrowHelper.ThrowFormat(path, "Expected a string, or an object with a key, direction and/or start_from");
        }

        string? key = null;
        var direction = OrderDirection.Asc;
        OrderValue? startFrom = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "key":
                    key = JsonRead.KeyPath(p.Value, at);
                    break;
                case "direction":
                    direction = JsonRead.OptionalString(p.Value, at) switch
                    {
                        null or "asc" => OrderDirection.Asc,
                        "desc" => OrderDirection.Desc,
                        var other => ThrowHelper.ThrowFormat<OrderDirection>(at, "unknown variant `" + other + "`, expected `asc` or `desc`"),
                    };
                    break;
                case "start_from":
                    startFrom = ReadStartFrom(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`key`, `direction` or `start_from`");
                    break;
            }
        }

        if (key is null)
        {
            JsonRead.Missing(path, "key");
        }

        return new OrderBy(key, direction, startFrom);
    }

    /// <summary>
    /// The query of a legacy /points/discover: a discovery with a target, a context search without one; neither is
    /// the reference's "Bad request".
    /// </summary>
    public static QueryInput LegacyDiscover(VectorInput? target, List<ContextPair> context)
    {
        if (target is null && context.Count == 0)
        {
            ThrowHelper.ThrowError(new Common.Errors.AvError(Common.Errors.ErrorKind.BadRequest, "Bad request: target and/or context_pairs must be specified"));
        }

        return target is null ? new ContextQuery(context) : new DiscoverQuery(target, context);
    }

    public static List<ContextPair> ReadPairs(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return [];
            case JsonValueKind.Object:
                return [ReadPair(e, path)];
            case JsonValueKind.Array:
                var list = new List<ContextPair>(e.GetArrayLength());
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    list.Add(ReadPair(item, BodyPath.Index(path, i++)));
                }

                return list;
            default:
                JsonRead.InvalidType(e, path, "a context pair {\"positive\", \"negative\"} or a list of them");
                return [];
        }
    }

    private static ContextPair ReadPair(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a context pair {\"positive\", \"negative\"}");
        VectorInput? positive = null, negative = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "positive":
                    positive = JsonRead.IsAbsent(p.Value) ? null : QueryRequestReader.ReadVectorInput(p.Value, at);
                    break;
                case "negative":
                    negative = JsonRead.IsAbsent(p.Value) ? null : QueryRequestReader.ReadVectorInput(p.Value, at);
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "`positive` or `negative`");
                    break;
            }
        }

        if (positive is null)
        {
            JsonRead.Missing(path, "positive");
        }

        if (negative is null)
        {
            JsonRead.Missing(path, "negative");
        }

        return new ContextPair(positive, negative);
    }

    // An integer, a float, or an RFC 3339 / ISO datetime (ordered as microseconds since the Unix epoch, as the reference).
    private static OrderValue ReadStartFrom(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                return e.TryGetInt64(out var integer) ? OrderValue.Of(integer) : OrderValue.Of(e.GetDouble());
            case JsonValueKind.String when DatetimeParser.TryParse(e.GetString(), out var instant):
                return OrderValue.Of((instant.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond);
            default:
                return ThrowHelper.ThrowFormat<OrderValue>(path, "data did not match any variant of untagged enum StartFrom");
        }
    }
}
