using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Engine.Ports;

/// <summary>
/// A discovery search (with a <see cref="Target"/>) or a context search (without one) over a dense or multi vector:
/// <see cref="Positives"/>[i] and <see cref="Negatives"/>[i] are the i-th context pair. Every vector is preprocessed
/// for the vector's metric as stored vectors are. Scores are the reference's discovery and context scores.
/// </summary>
public sealed record ShardContextSearch(
    string VectorName,
    float[]? Target,
    IReadOnlyList<float[]> Positives,
    IReadOnlyList<float[]> Negatives,
    Filter? Filter,
    int Limit);

/// <summary>As <see cref="ShardContextSearch"/> over a sparse vector (dot product as the similarity; weights final).</summary>
public sealed record ShardSparseContextSearch(
    string VectorName,
    SparseVector? Target,
    IReadOnlyList<SparseVector> Positives,
    IReadOnlyList<SparseVector> Negatives,
    Filter? Filter,
    int Limit);
