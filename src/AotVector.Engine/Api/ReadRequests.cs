using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Engine.Api;

public sealed record RetrieveRequest(IReadOnlyList<PointId> Ids, WithPayload WithPayload, WithVector WithVector)
{
    /// <summary>How many replicas of each shard answer, and must agree (cluster mode).</summary>
    public ReadConsistency Consistency { get; init; }
}

/// <summary>A page of points by id from <see cref="Offset"/>, or by a payload field's values when <see cref="OrderBy"/> is set.</summary>
public sealed record ScrollRequest(Filter? Filter, uint Limit, PointId? Offset, WithPayload WithPayload, WithVector WithVector, OrderBy? OrderBy = null)
{
    /// <summary>How many replicas of each shard answer, and must agree (cluster mode).</summary>
    public ReadConsistency Consistency { get; init; }
}

public sealed record ScrollResult(IReadOnlyList<PointRecord> Points, PointId? NextPageOffset);

public sealed record CountRequest(Filter? Filter, bool Exact)
{
    /// <summary>How many replicas of each shard answer, and must agree (cluster mode).</summary>
    public ReadConsistency Consistency { get; init; }
}

public sealed record SearchParams(ulong? HnswEf = null, bool Exact = false, QuantizationSearchParams? Quantization = null, AcornSearchParams? Acorn = null);

/// <summary>
/// The search params' <c>acorn</c>: when <see cref="Enable"/>, a graph search whose filter is estimated to match at
/// most <see cref="MaxSelectivity"/> of the points (null: the reference's 0.4) uses ACORN-1's two-hop expansion.
/// </summary>
public sealed record AcornSearchParams(bool Enable = false, double? MaxSelectivity = null);

/// <summary>
/// The search params' <c>quantization</c>: <see cref="Ignore"/> searches the float32 vectors; otherwise quantized
/// vectors pick <c>limit × Oversampling</c> candidates, rescored with the float32 vectors when <see cref="Rescore"/>
/// (null: the reference's default for the kind, no rescoring for scalar codes).
/// </summary>
public sealed record QuantizationSearchParams(bool Ignore = false, bool? Rescore = null, double? Oversampling = null);

/// <summary>Where referenced point ids are looked up (another collection, optionally another vector).</summary>
public sealed record LookupLocation(string Collection, string? Vector);

/// <summary>
/// The universal query (POST /points/query, gRPC Points/Query); the legacy search and recommend
/// requests map onto it too. A null <see cref="Query"/> is a filtered scroll ordered by id. With
/// <see cref="Prefetch"/> branches, the query ranks (or fuses) their results instead of the whole collection.
/// </summary>
public sealed record QueryRequest(
    QueryInput? Query,
    string? Using,
    Filter? Filter,
    uint Limit,
    uint Offset,
    float? ScoreThreshold,
    SearchParams? Params,
    WithPayload WithPayload,
    WithVector WithVector,
    LookupLocation? LookupFrom = null,
    IReadOnlyList<Prefetch>? Prefetch = null);

/// <summary>What to rank by.</summary>
public abstract record QueryInput;

/// <summary>
/// Nearest neighbours of a vector or of a stored point's vector; with <see cref="Mmr"/>, the nearest candidates
/// re-ranked by maximal marginal relevance.
/// </summary>
public sealed record NearestQuery(VectorInput Target, MmrParams? Mmr = null) : QueryInput;

/// <summary>
/// Maximal marginal relevance: from the <see cref="CandidatesLimit"/> nearest points (null: the query's limit), points
/// are picked one by one, each the best trade of similarity to the query against similarity to those already picked.
/// <see cref="Diversity"/> (0..1, null: <see cref="RequestDefaults.MmrDiversity"/>) weighs the second.
/// </summary>
public sealed record MmrParams(float? Diversity = null, uint? CandidatesLimit = null);

public enum RecommendStrategy : byte
{
    AverageVector,
    BestScore,
    SumScores,
}

/// <summary>Recommend by positive and negative examples (ids or vectors).</summary>
public sealed record RecommendQuery(IReadOnlyList<VectorInput> Positive, IReadOnlyList<VectorInput> Negative, RecommendStrategy Strategy) : QueryInput;

/// <summary>A vector given inline, or the id of a point whose vector is used.</summary>
public abstract record VectorInput;

public sealed record DenseVectorInput(float[] Vector) : VectorInput;

public sealed record SparseVectorInput(SparseVector Vector) : VectorInput;

public sealed record MultiDenseVectorInput(MultiDenseVector Vector) : VectorInput;

public sealed record PointIdInput(PointId Id) : VectorInput;

/// <summary>Text for a model the server runs; the engine embeds it as a query (see DocumentInference).</summary>
public sealed record DocumentInput(DocumentVector Document) : VectorInput;
