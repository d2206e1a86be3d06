using AotVector.Common.Filtering;
using AotVector.Engine.Api;

namespace AotVector.Engine.Ports;

/// <summary>
/// A search that scores every matching point against example vectors (preprocessed for the vector's metric) by
/// <see cref="Strategy"/>: <see cref="RecommendStrategy.BestScore"/> or <see cref="RecommendStrategy.SumScores"/>.
/// </summary>
public sealed record ShardExampleSearch(
    string VectorName,
    RecommendStrategy Strategy,
    IReadOnlyList<float[]> Positives,
    IReadOnlyList<float[]> Negatives,
    Filter? Filter,
    int Limit);
