using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>
/// A grouped query (<c>points/query/groups</c>, and the legacy <c>search/groups</c> and <c>recommend/groups</c> mapped
/// onto it): the hits of <see cref="Source"/> grouped by the payload value at <see cref="GroupBy"/>. The source's
/// <see cref="QueryRequest.Limit"/> is the number of groups; its offset is not used. A point whose value there is an
/// array joins the group of each distinct element; a point without a string or integer there joins none.
/// </summary>
public sealed record GroupsRequest(QueryRequest Source, string GroupBy, uint GroupSize, GroupLookup? WithLookup = null);

/// <summary>
/// <c>with_lookup</c>: each group's id read as a point id in <see cref="Collection"/>, and that point returned with the
/// group. Given as a bare collection name, it returns the payload and no vectors.
/// </summary>
public sealed record GroupLookup(string Collection, WithPayload WithPayload, WithVector WithVector)
{
    public static GroupLookup Named(string collection) => new(collection, WithPayload.All, WithVector.None);
}

/// <summary>
/// The value points share in a group: a string or an integer (a payload value of kind String or Integer).
/// </summary>
public sealed record PointGroup(PayloadValue Id, IReadOnlyList<ScoredPoint> Hits, PointRecord? Lookup);
