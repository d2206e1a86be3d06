using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Engine.Ports;

/// <summary>
/// An exact dot-product search over a sparse vector as a shard runs it. <see cref="Query"/>'s weights are final:
/// the collection has applied the vector's modifier (idf) with statistics over all its shards. A filter estimated to
/// match fewer than <see cref="FullScanThreshold"/> points of a segment has them scored directly.
/// </summary>
public sealed record ShardSparseSearch(string VectorName, SparseVector Query, Filter? Filter, int Limit, ulong FullScanThreshold = Api.SparseVectorParams.DefaultFullScanThreshold);

/// <summary>
/// What the idf modifier needs from a shard: how many live points have a non-empty sparse vector, and for each asked
/// dimension how many of them have a weight there.
/// </summary>
public sealed record SparseStatistics(ulong Points, ulong[] DocumentFrequencies);

/// <summary>A best_score or sum_scores recommendation over a sparse vector (dot product against each example).</summary>
public sealed record ShardSparseExampleSearch(
    string VectorName,
    Api.RecommendStrategy Strategy,
    IReadOnlyList<SparseVector> Positives,
    IReadOnlyList<SparseVector> Negatives,
    Filter? Filter,
    int Limit);
