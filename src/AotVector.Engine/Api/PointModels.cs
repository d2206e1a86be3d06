using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>A point as written: id, vectors by name ("" for the unnamed vector) and optional payload.</summary>
public sealed record PointStruct(PointId Id, IReadOnlyDictionary<string, VectorData> Vectors, Payload? Payload);

/// <summary>Vectors to set on an existing point (only the names given change).</summary>
public sealed record PointVectors(PointId Id, IReadOnlyDictionary<string, VectorData> Vectors);

/// <summary>Which points an operation touches: a list of ids, or a filter. Exactly one is set.</summary>
public sealed record PointsSelector(IReadOnlyList<PointId>? Ids, Filter? Filter)
{
    public static PointsSelector ByIds(IReadOnlyList<PointId> ids) => new(ids, null);

    public static PointsSelector ByFilter(Filter filter) => new(null, filter);
}

/// <summary>Which payload keys come back: none, all, only <see cref="Include"/>, or all but <see cref="Exclude"/>.</summary>
public sealed record WithPayload(bool Enable, IReadOnlyList<string>? Include = null, IReadOnlyList<string>? Exclude = null)
{
    public static readonly WithPayload None = new(false);
    public static readonly WithPayload All = new(true);
}

/// <summary>Which vectors come back: none, all, or only the named ones.</summary>
public sealed record WithVector(bool Enable, IReadOnlyList<string>? Names = null)
{
    public static readonly WithVector None = new(false);
    public static readonly WithVector All = new(true);
}

/// <summary>
/// A point as read. <see cref="Vectors"/> is keyed by name; a collection with one unnamed
/// vector has the single key "" (front ends print that as a bare array).
/// </summary>
public sealed record PointRecord(PointId Id, Payload? Payload, IReadOnlyDictionary<string, VectorData>? Vectors)
{
    /// <summary>The value the point was ordered by (a scroll with <c>order_by</c>), else null.</summary>
    public OrderValue? OrderValue { get; init; }

    /// <summary>The WAL sequence number of the point's last write, as a search hit carries it (0 when the shard does not tell).</summary>
    public ulong Version { get; init; }
}

/// <summary>A search hit. <see cref="Version"/> is the WAL sequence number of the last write to the point.</summary>
public sealed record ScoredPoint(PointId Id, ulong Version, float Score, Payload? Payload, IReadOnlyDictionary<string, VectorData>? Vectors)
{
    /// <summary>The value the point was ordered by (an <c>order_by</c> query), else null.</summary>
    public OrderValue? OrderValue { get; init; }
}

public enum UpdateStatus : byte
{
    Acknowledged = 1,
    Completed = 2,
    WaitTimeout = 4,
}

public readonly record struct UpdateResult(ulong OperationId, UpdateStatus Status);

/// <summary>
/// Write options from the query string or gRPC message: <see cref="Wait"/> true answers once the
/// change is durable and visible; false answers after the WAL append.
/// </summary>
public readonly record struct WriteOptions(bool Wait, TimeSpan? Timeout = null)
{
    /// <summary>Which replica coordinates the write of each shard (cluster mode; this peer by default).</summary>
    public WriteOrdering Ordering { get; init; }
}

/// <summary>
/// Options of a search or query from the query string or gRPC message: <see cref="Timeout"/>, when set, bounds how
/// long the engine works on it; past it the answer is a Timeout error, as in Qdrant.
/// </summary>
public readonly record struct ReadOptions(TimeSpan? Timeout = null)
{
    /// <summary>How many replicas of each shard answer, and must agree (cluster mode; one replica by default).</summary>
    public ReadConsistency Consistency { get; init; }
}
