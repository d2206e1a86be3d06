using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>
/// <c>facet</c>: how many points (matching <see cref="Filter"/>) hold each value of the payload field <see cref="Key"/>,
/// the most frequent first. The field needs a payload index that can match values (keyword, integer, bool or uuid).
/// Counts are always exact here; <see cref="Exact"/> is kept for the wire (the reference may estimate without it).
/// </summary>
public sealed record FacetRequest(string Key, Filter? Filter, uint Limit, bool Exact);

/// <summary>A value of the faceted field (a String, Integer or Bool payload value) and the points holding it.</summary>
public sealed record FacetHit(PayloadValue Value, ulong Count);
