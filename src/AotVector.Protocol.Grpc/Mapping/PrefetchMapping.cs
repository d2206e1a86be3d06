using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using Google.Protobuf.Collections;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// The query tree of Query / QueryBatch: <c>PrefetchQuery</c> branches and the fusion queries, mapped as the REST reader
/// maps them. Unset fields are <see cref="RequestDefaults"/>; the tree's rules are the engine's.
/// </summary>
internal static class PrefetchMapping
{
    public static Result<List<Prefetch>> ToEngine(RepeatedField<Wire.PrefetchQuery> prefetches, string path)
    {
        var result = new List<Prefetch>(prefetches.Count);
        for (var i = 0; i < prefetches.Count; i++)
        {
            if (!ToEngine(prefetches[i], path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]").TryGet(out var prefetch, out var error))
            {
                return error;
            }

            result.Add(prefetch);
        }

        return result;
    }

    /// <summary>Query.fusion: an enum value this server does not know is refused in the reference's words.</summary>
    public static Result<QueryInput> ToEngine(Wire.Fusion fusion) => fusion switch
    {
        Wire.Fusion.Rrf => new FusionQuery(FusionMethod.Rrf),
        Wire.Fusion.Dbsf => new FusionQuery(FusionMethod.Dbsf),
        _ => AvError.BadRequest("invalid fusion type value " + ((int)fusion).ToString(System.Globalization.CultureInfo.InvariantCulture)),
    };

    /// <summary>Query.rrf: an unset k is the default, 0 is refused; no weights means all 1.</summary>
    public static Result<QueryInput> ToEngine(Wire.Rrf rrf, string path)
    {
        if (rrf.HasK && rrf.K == 0)
        {
            return GrpcErrors.InvalidField(path + ".k", RequestRules.ZeroLimit);
        }

        return new FusionQuery(FusionMethod.Rrf, rrf.HasK ? rrf.K : RequestDefaults.RrfK, rrf.Weights.Count == 0 ? null : [.. rrf.Weights]);
    }

    private static Result<Prefetch> ToEngine(Wire.PrefetchQuery prefetch, string path)
    {
        if (!RequestValidation.Limit(prefetch.HasLimit, prefetch.Limit, path + ".limit").TryGet(out var limit, out var error)
            || !FilterMapping.ToEngine(prefetch.Filter).TryGet(out var filter, out error)
            || !ToEngine(prefetch.Prefetch, path + ".prefetch").TryGet(out var nested, out error))
        {
            return error;
        }

        QueryInput? query = null;
        if (prefetch.Query is { } wireQuery && !QueryMapping.ToEngine(wireQuery, path + ".query").TryGet(out query, out error))
        {
            return error;
        }

        return new Prefetch(
            nested,
            query,
            prefetch.HasUsing ? prefetch.Using : null,
            filter,
            QueryMapping.ToEngine(prefetch.Params),
            prefetch.HasScoreThreshold ? prefetch.ScoreThreshold : null,
            limit,
            QueryMapping.ToEngine(prefetch.LookupFrom));
    }
}
