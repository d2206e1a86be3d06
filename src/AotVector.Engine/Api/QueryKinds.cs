using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>One context pair: the space closer to <see cref="Positive"/> than to <see cref="Negative"/> is preferred.</summary>
public sealed record ContextPair(VectorInput Positive, VectorInput Negative);

/// <summary>
/// Discovery: points ranked first by how many context pairs they are on the positive side of (minus those they are on
/// the negative side of), then by their similarity to <see cref="Target"/>. No pairs is a nearest search with squashed scores.
/// </summary>
public sealed record DiscoverQuery(VectorInput Target, IReadOnlyList<ContextPair> Context) : QueryInput;

/// <summary>Context search: points scored by how far they are from the positive side of every pair (0 inside all of them).</summary>
public sealed record ContextQuery(IReadOnlyList<ContextPair> Pairs) : QueryInput;

/// <summary>Points matching the filter in random order (the reference's only sample kind, <c>random</c>).</summary>
public sealed record SampleQuery : QueryInput;

/// <summary>Points ordered by a payload field's values, as scroll's <c>order_by</c>.</summary>
public sealed record OrderByQuery(OrderBy OrderBy) : QueryInput;

public enum OrderDirection : byte
{
    Asc,
    Desc,
}

/// <summary>
/// Order by the values of <see cref="Key"/> (which needs an integer, float or datetime index), from
/// <see cref="StartFrom"/> on (inclusive; null = from the smallest for asc, the largest for desc). A point with several
/// values comes once per distinct value.
/// </summary>
public sealed record OrderBy(string Key, OrderDirection Direction = OrderDirection.Asc, OrderValue? StartFrom = null);
