using AotVector.Common.Filtering;

namespace AotVector.Engine.Api;

/// <summary>
/// One branch of a query tree (<c>prefetch</c>): its own query over the collection, or over the results of its own
/// branches when it has some. Its <see cref="Filter"/> holds for every leaf below it, together with the filters above.
/// </summary>
public sealed record Prefetch(
    IReadOnlyList<Prefetch> Prefetches,
    QueryInput? Query,
    string? Using,
    Filter? Filter,
    SearchParams? Params,
    float? ScoreThreshold,
    uint Limit,
    LookupLocation? LookupFrom);

public enum FusionMethod : byte
{
    /// <summary>Reciprocal rank fusion: a point's score is the sum over the branches of a function of its rank there.</summary>
    Rrf,

    /// <summary>Distribution-based score fusion: each branch's scores normalised by their mean and spread, then summed.</summary>
    Dbsf,
}

/// <summary>
/// Fuses the results of the branches. <see cref="K"/> and <see cref="Weights"/> (one per branch, null = all 1) only
/// mean something for <see cref="FusionMethod.Rrf"/>.
/// </summary>
public sealed record FusionQuery(FusionMethod Method, uint K = RequestDefaults.RrfK, IReadOnlyList<float>? Weights = null) : QueryInput;
