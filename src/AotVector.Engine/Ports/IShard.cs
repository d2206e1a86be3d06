using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Ports;

/// <summary>
/// One shard of a collection as the collection reads and writes it: points in, points and hits out, nothing of how
/// they are stored. Today every shard is a local one; cluster mode adds a remote implementation (p2p gRPC) and a
/// replica set behind this same interface, so the collection's query and update code does not change. Background
/// work (flushes, the optimizer) belongs to the local implementation, not to this surface.
/// </summary>
/// <remarks>
/// Reads take the caller's cancellation token. A read that finds it cancelled stops early and returns what it has;
/// the caller, seeing its token cancelled, discards that partial answer.
/// </remarks>
public interface IShard : IDisposable
{
    uint ShardId { get; }

    ulong PointsCount { get; }

    /// <summary>Vectors covered by an HNSW graph.</summary>
    ulong IndexedVectorsCount { get; }

    /// <summary>Segments holding this shard's points.</summary>
    ulong SegmentsCount { get; }

    /// <summary>Payload index info: field → (type, points with a value).</summary>
    IReadOnlyDictionary<string, PayloadSchemaInfo> PayloadSchema { get; }

    /// <summary>Validates, logs to the WAL, applies; answers per <paramref name="wait"/>.</summary>
    Result<UpdateResult> Update(UpdateOperation operation, bool wait);

    /// <summary>The live points among <paramref name="ids"/>, in their order; unknown ids are left out.</summary>
    IReadOnlyList<PointRecord> Retrieve(IReadOnlyList<PointId> ids, WithPayload withPayload, WithVector withVector);

    /// <summary>Up to <paramref name="limit"/> ids from <paramref name="offset"/> (inclusive), ascending.</summary>
    IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit, CancellationToken ct);

    ulong Count(Filter? filter, CancellationToken ct);

    /// <summary>
    /// Up to <paramref name="limit"/> points matching <paramref name="filter"/> in the order of <paramref name="orderBy"/>
    /// (by value, ties by id, both in its direction); null when its key has no integer, float or datetime index.
    /// </summary>
    IReadOnlyList<OrderedPoint>? ScrollOrdered(Filter? filter, OrderBy orderBy, int limit, CancellationToken ct);

    /// <summary>A uniform random sample of up to <paramref name="limit"/> points matching <paramref name="filter"/>.</summary>
    ShardSample Sample(Filter? filter, int limit, CancellationToken ct);

    /// <summary>Top hits by raw similarity (greater is closer) for one vector name.</summary>
    IReadOnlyList<SearchHit> Search(ShardSearch search, CancellationToken ct);

    /// <summary>Top hits by a score against example vectors (the best_score and sum_scores recommend strategies).</summary>
    IReadOnlyList<SearchHit> SearchByExamples(ShardExampleSearch search, CancellationToken ct);

    /// <summary>Top hits by dot product over a sparse vector's inverted index.</summary>
    IReadOnlyList<SearchHit> SearchSparse(ShardSparseSearch search, CancellationToken ct);

    /// <summary>Top hits by a score against sparse example vectors (best_score and sum_scores).</summary>
    IReadOnlyList<SearchHit> SearchSparseByExamples(ShardSparseExampleSearch search, CancellationToken ct);

    /// <summary>Top hits by the discovery score (with a target) or the context score (pairs only).</summary>
    IReadOnlyList<SearchHit> SearchByContext(ShardContextSearch search, CancellationToken ct);

    /// <summary>As <see cref="SearchByContext"/> over a sparse vector.</summary>
    IReadOnlyList<SearchHit> SearchSparseByContext(ShardSparseContextSearch search, CancellationToken ct);

    /// <summary>Document frequencies of <paramref name="dimensions"/> in the sparse vector <paramref name="vectorName"/>.</summary>
    SparseStatistics SparseStatistics(string vectorName, IReadOnlyList<uint> dimensions);

    /// <summary>The stored (preprocessed) vector of a point, or null if the point or the vector is missing.</summary>
    VectorData? GetVector(PointId id, string vectorName);
}
