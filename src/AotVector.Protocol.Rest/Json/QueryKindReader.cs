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
