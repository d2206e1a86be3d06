using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Segment;

namespace AotVector.Engine.Ports;

/// <summary>
/// One shard of a collection as the collection sees it. Today every shard is a local one; cluster
/// mode adds a remote implementation (p2p gRPC) and a replica set behind this same interface, so
/// the collection's query and update code does not change.
/// </summary>
public interface IShard : IDisposable
{
    uint ShardId { get; }

    ulong PointsCount { get; }

    /// <summary>Validates, logs to the WAL, applies; answers per <paramref name="wait"/>.</summary>
    Result<UpdateResult> Update(UpdateOperation operation, bool wait);

    IReadOnlyList<PointRecord> Retrieve(IReadOnlyList<PointId> ids, WithPayload withPayload, WithVector withVector);

    /// <summary>Up to <paramref name="limit"/> ids from <paramref name="offset"/> (inclusive), ascending.</summary>
    IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit);

    ulong Count(Filter? filter);

    /// <summary>Top hits by raw similarity (greater is closer) for one vector name.</summary>
    IReadOnlyList<SearchHit> Search(string vectorName, float[] query, Filter? filter, int limit, SegmentSearchOptions options);

    /// <summary>Vectors covered by an HNSW graph.</summary>
    ulong IndexedVectorsCount { get; }

    /// <summary>Segments holding this shard's points.</summary>
    ulong SegmentsCount { get; }

    /// <summary>True while a background optimization (seal, graph build, merge, vacuum) runs on this shard.</summary>
    bool IsOptimizing { get; }

    /// <summary>The last optimization failure, or null when the last one succeeded.</summary>
    string? OptimizerError { get; }

    /// <summary>Whether the policy calls for an optimization that has not run yet.</summary>
    bool HasPendingOptimization(OptimizerPolicy policy);

    /// <summary>Runs the next optimization the policy calls for; returns whether it did any work.</summary>
    bool Optimize(OptimizerPolicy policy, int threads, CancellationToken ct);

    /// <summary>Scores every matching point with a custom function of its vector (recommend strategies).</summary>
    IReadOnlyList<SearchHit> ScoreAll(string vectorName, Filter? filter, Func<float[], float> score, int limit);

    /// <summary>The stored (preprocessed) vector of a point, or null if the point or the vector is missing.</summary>
    float[]? GetVector(PointId id, string vectorName);

    /// <summary>Payload index info: field → (type, points with a value).</summary>
    IReadOnlyDictionary<string, PayloadSchemaInfo> PayloadSchema { get; }

    /// <summary>Persists segment state and trims the WAL.</summary>
    void Flush();
}

