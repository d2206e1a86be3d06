using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Tests.Cluster;

/// <summary>
/// A replica whose answers the test sets: writes answer <see cref="UpdateAnswer"/>; reads answer the given hits,
/// ids, records and count, or throw <see cref="ShardUnavailableException"/> when <see cref="Down"/>. Counts calls.
/// </summary>
internal sealed class FakeReplica(uint shardId = 0) : IShard
{
    private int _updates;
    private int _reads;

    public Func<UpdateOperation, bool, Result<UpdateResult>> UpdateAnswer { get; set; } =
        (_, wait) => new UpdateResult(1, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged);

    public bool Down { get; set; }

    public IReadOnlyList<SearchHit> Hits { get; set; } = [];

    public IReadOnlyList<PointId> Ids { get; set; } = [];

    public IReadOnlyList<PointRecord> Records { get; set; } = [];

    public ulong Points { get; set; }

    public bool? LastWait { get; private set; }

    public int Updates => Volatile.Read(ref _updates);

    public int Reads => Volatile.Read(ref _reads);

    public bool Disposed { get; private set; }

    public uint ShardId => shardId;

    public ulong PointsCount => Read(() => Points);

    public ulong IndexedVectorsCount => Read(() => 0UL);

    public ulong SegmentsCount => Read(() => 1UL);

    public IReadOnlyDictionary<string, PayloadSchemaInfo> PayloadSchema => Read(() => new Dictionary<string, PayloadSchemaInfo>());

    public Result<UpdateResult> Update(UpdateOperation operation, bool wait)
    {
        Interlocked.Increment(ref _updates);
        LastWait = wait;
        return Down ? new AvError(ErrorKind.Unavailable, "Service unavailable: replica down") : UpdateAnswer(operation, wait);
    }

    public IReadOnlyList<PointRecord> Retrieve(IReadOnlyList<PointId> ids, WithPayload withPayload, WithVector withVector) =>
        Read(() => Records.Where(r => ids.Contains(r.Id)).ToList());

    public IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit, CancellationToken ct) => Read(() => Ids);

    public ulong Count(Filter? filter, CancellationToken ct) => Read(() => Points);

    public IReadOnlyList<SearchHit> Search(ShardSearch search, CancellationToken ct) => Read(() => Hits);

    public IReadOnlyList<SearchHit> SearchByExamples(ShardExampleSearch search, CancellationToken ct) => Read(() => Hits);

    public IReadOnlyList<SearchHit> SearchSparse(ShardSparseSearch search, CancellationToken ct) => Read(() => Hits);

    public IReadOnlyList<SearchHit> SearchSparseByExamples(ShardSparseExampleSearch search, CancellationToken ct) => Read(() => Hits);

    public SparseStatistics SparseStatistics(string vectorName, IReadOnlyList<uint> dimensions) => Read(() => new SparseStatistics(Points, new ulong[dimensions.Count]));

    public VectorData? GetVector(PointId id, string vectorName) => Read(() => (VectorData?)null);

    public IReadOnlyList<SearchHit> SearchByContext(ShardContextSearch search, CancellationToken ct) => Read(() => Hits);

    public IReadOnlyList<SearchHit> SearchSparseByContext(ShardSparseContextSearch search, CancellationToken ct) => Read(() => Hits);

    public IReadOnlyList<OrderedPoint>? ScrollOrdered(Filter? filter, OrderBy orderBy, int limit, CancellationToken ct) =>
        Read(() => (IReadOnlyList<OrderedPoint>?)[.. Ids.Select((id, i) => new OrderedPoint(OrderValue.Of((long)i), id))]);

    public ShardSample Sample(Filter? filter, int limit, CancellationToken ct) => Read(() => new ShardSample(Ids, (ulong)Ids.Count));

    public void Dispose() => Disposed = true;

    private T Read<T>(Func<T> answer)
    {
        Interlocked.Increment(ref _reads);
        return Down ? throw new ShardUnavailableException(new AvError(ErrorKind.Unavailable, "Service unavailable: replica down")) : answer();
    }
}

/// <summary>Remote replicas by peer id, handed out as the replica set connects to them.</summary>
internal sealed class FakeRemotes : IRemoteShards
{
    public Dictionary<ulong, FakeReplica> Peers { get; } = [];

    public IShard Connect(ulong peerId, string collection, uint shardId)
    {
        if (!Peers.TryGetValue(peerId, out var replica))
        {
            Peers[peerId] = replica = new FakeReplica(shardId);
        }

        return replica;
    }

    /// <summary>Writes forwarded for another peer to coordinate, by peer id.</summary>
    public List<ulong> Coordinated { get; } = [];

    public Result<UpdateResult> Coordinate(ulong peerId, string collection, uint shardId, UpdateOperation operation, bool wait)
    {
        Coordinated.Add(peerId);
        return ((FakeReplica)Connect(peerId, collection, shardId)).Update(operation, wait);
    }
}

/// <summary>Records the replicas reported failed; each report's task is <see cref="Answer"/> (completed by default).</summary>
internal sealed class FakeFailures : IReplicaFailures
{
    public List<(ulong PeerId, ReplicaState? From, AvError Error)> Reported { get; } = [];

    public Func<Task> Answer { get; set; } = () => Task.CompletedTask;

    public Task ReplicaFailed(string collection, uint shardId, ulong peerId, ReplicaState? from, AvError error)
    {
        lock (Reported)
        {
            Reported.Add((peerId, from, error));
        }

        return Answer();
    }
}
