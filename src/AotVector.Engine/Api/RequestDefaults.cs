using AotVector.Engine.Operations;

namespace AotVector.Engine.Api;

/// <summary>
/// What a request gets for a field it leaves out: Qdrant's defaults, the same whichever front end read it. A front
/// end maps its wire's "absent" (a missing JSON key, an unset proto field) to these values and spells none of its own.
/// </summary>
public static class RequestDefaults
{
    /// <summary>Hits of a query, search or recommendation, and points of a scroll page.</summary>
    public const uint Limit = 10;

    /// <summary>Leading hits a query skips.</summary>
    public const uint Offset = 0;

    /// <summary>Queries return no payload unless asked: they rank points, and payloads can be large.</summary>
    public static WithPayload QueryPayload => WithPayload.None;

    /// <summary>Retrieve and scroll return the payload unless told not to: they read points.</summary>
    public static WithPayload ReadPayload => WithPayload.All;

    /// <summary>No request returns vectors unless asked.</summary>
    public static WithVector Vectors => WithVector.None;

    /// <summary>A count is exact unless the client accepts an estimate.</summary>
    public const bool ExactCount = true;

    /// <summary>A search uses the index unless asked for an exact scan.</summary>
    public const bool ExactSearch = false;

    /// <summary>Points a prefetch branch passes up.</summary>
    public const uint PrefetchLimit = Limit;

    /// <summary>The k of reciprocal rank fusion: a branch's first hit scores 1/k.</summary>
    public const uint RrfK = 2;

    /// <summary>How much maximal marginal relevance weighs diversity against relevance (0..1).</summary>
    public const float MmrDiversity = 0.5f;

    public const RecommendStrategy Strategy = RecommendStrategy.AverageVector;

    /// <summary>Hits per group of a grouped query.</summary>
    public const uint GroupSize = 3;

    /// <summary>Values a facet lists.</summary>
    public const uint FacetLimit = 10;

    /// <summary>A facet may estimate its counts unless asked for exact ones (here they are always exact).</summary>
    public const bool FacetExact = false;

    /// <summary>Points a distance matrix samples.</summary>
    public const uint MatrixSample = 10;

    /// <summary>Neighbours per sampled point in a distance matrix.</summary>
    public const uint MatrixLimit = 3;

    /// <summary>A write answers once it is in the WAL; waiting until it is applied is asked for.</summary>
    public const bool Wait = false;

    /// <summary>An upsert inserts new points and replaces existing ones.</summary>
    public const UpdateMode UpsertMode = UpdateMode.Upsert;
}
