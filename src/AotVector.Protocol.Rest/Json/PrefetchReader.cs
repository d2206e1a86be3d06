using System.Text.Json;
using AotVector.Common.Filtering;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// The query tree of /points/query: <c>prefetch</c> (one branch object or a list of them, nested to any depth) and the
/// fusion queries. What a branch leaves out comes from <see cref="RequestDefaults"/>; the tree's own rules (a query to
/// merge branches, fusion only over branches, bounds) are the engine's, checked there for both front ends.
/// </summary>
internal static class PrefetchReader
{
    public static List<Prefetch> ReadPrefetches(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return [];
            case JsonValueKind.Object:
                // Named as the list of one it stands for, as the reference's validation names it.
                return [ReadPrefetch(e, BodyPath.Index(path, 0))];
            case JsonValueKind.Array:
                var list = new List<Prefetch>(e.GetArrayLength());
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    list.Add(ReadPrefetch(item, BodyPath.Index(path, i++)));
                }

                return list;
            default:
                JsonRead.InvalidType(e, path, "a prefetch object or a list of them");
                return [];
        }
    }

    /// <summary>{"fusion": "rrf" | "dbsf"}.</summary>
    public static FusionQuery ReadFusion(JsonElement e, string path) => JsonRead.String(e, path) switch
    {
        "rrf" => new FusionQuery(FusionMethod.Rrf),
        "dbsf" => new FusionQuery(FusionMethod.Dbsf),
        var other => ThrowHelper.ThrowFormat<FusionQuery>(path, "unknown variant `" + other + "`, expected `rrf` or `dbsf`"),
    };

    /// <summary>{"rrf": {"k": ..., "weights": [...]}}, both optional.</summary>
    public static FusionQuery ReadRrf(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "rrf parameters {\"k\", \"weights\"}");
        var k = RequestDefaults.RrfK;
        List<float>? weights = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "k":
                    k = JsonRead.OptionalUInt32(p.Value, at) ?? RequestDefaults.RrfK;
                    if (k == 0)
                    {
                        ThrowHelper.ThrowValidation(at, RequestRules.ZeroLimit);
                    }

                    break;
                case "weights":
                    weights = ReadWeights(p.Value, at);
                    break;
                default:
                    break;
            }
        }

        return new FusionQuery(FusionMethod.Rrf, k, weights);
    }

    private static Prefetch ReadPrefetch(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a prefetch object");
        List<Prefetch> prefetches = [];
        QueryInput? query = null;
        string? usingName = null;
        Filter? filter = null;
        SearchParams? parameters = null;
        float? scoreThreshold = null;
        var limit = RequestDefaults.PrefetchLimit;
        LookupLocation? lookupFrom = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "prefetch":
                    prefetches = ReadPrefetches(p.Value, at);
                    break;
                case "query":
                    query = QueryRequestReader.ReadQueryInput(p.Value, at);
                    break;
                case "using":
                    usingName = JsonRead.OptionalString(p.Value, at);
                    break;
                case "filter":
                    filter = FilterReader.ReadOptional(p.Value, at);
                    break;
                case "params":
                    parameters = QueryRequestReader.ReadParams(p.Value, at);
                    break;
                case "score_threshold":
                    scoreThreshold = JsonRead.OptionalSingle(p.Value, at);
                    break;
                case "limit":
                    limit = ReadRequestReader.ReadLimit(p.Value, at) ?? RequestDefaults.PrefetchLimit;
                    break;
                case "lookup_from":
                    lookupFrom = QueryRequestReader.ReadLookup(p.Value, at);
                    break;
                default:
                    // As the reference, a branch ignores keys it does not know.
                    break;
            }
        }

        return new Prefetch(prefetches, query, usingName, filter, parameters, scoreThreshold, limit, lookupFrom);
    }

    private static List<float>? ReadWeights(JsonElement e, string path)
    {
        if (JsonRead.IsAbsent(e))
        {
            return null;
        }

        JsonRead.Array(e, path, "a list of weights");
        var weights = new List<float>(e.GetArrayLength());
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            weights.Add(JsonRead.Single(item, BodyPath.Index(path, i++)));
        }

        return weights;
    }
}
