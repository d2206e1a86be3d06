using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Shards;

/// <summary>
/// A shard of a cluster collection whose replicas this peer does not know yet (it was opened from disk before the
/// agreed metadata reached the engine): every call answers Unavailable, so nothing is read from or written to a
/// partial view of the collection.
/// </summary>
internal sealed class UnplacedShard(string collection, uint shardId) : IShard
{
    private AvError Error => new(ErrorKind.Unavailable, $"Service unavailable: shard {shardId} of collection `{collection}` is not placed on this peer yet; try again shortly");

    private T Fail<T>() => throw new ShardUnavailableException(Error);

    public uint ShardId => shardId;

    public ulong PointsCount => Fail<ulong>();

    public ulong IndexedVectorsCount => Fail<ulong>();

    public ulong SegmentsCount => Fail<ulong>();

    public IReadOnlyDictionary<string, PayloadSchemaInfo> PayloadSchema => Fail<IReadOnlyDictionary<string, PayloadSchemaInfo>>();

    public Result<UpdateResult> Update(UpdateOperation operation, bool wait) => Error;

    public IReadOnlyList<PointRecord> Retrieve(IReadOnlyList<PointId> ids, WithPayload withPayload, WithVector withVector) => Fail<IReadOnlyList<PointRecord>>();

    public IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit, CancellationToken ct) => Fail<IReadOnlyList<PointId>>();

    public ulong Count(Filter? filter, CancellationToken ct) => Fail<ulong>();

    public IReadOnlyList<OrderedPoint>? ScrollOrdered(Filter? filter, OrderBy orderBy, int limit, CancellationToken ct) => Fail<IReadOnlyList<OrderedPoint>?>();

    public ShardSample Sample(Filter? filter, int limit, CancellationToken ct) => Fail<ShardSample>();

    public IReadOnlyList<SearchHit> Search(ShardSearch search, CancellationToken ct) => Fail<IReadOnlyList<SearchHit>>();

    public IReadOnlyList<SearchHit> SearchByExamples(ShardExampleSearch search, CancellationToken ct) => Fail<IReadOnlyList<SearchHit>>();

    public IReadOnlyList<SearchHit> SearchSparse(ShardSparseSearch search, CancellationToken ct) => Fail<IReadOnlyList<SearchHit>>();

    public IReadOnlyList<SearchHit> SearchSparseByExamples(ShardSparseExampleSearch search, CancellationToken ct) => Fail<IReadOnlyList<SearchHit>>();

    public IReadOnlyList<SearchHit> SearchByContext(ShardContextSearch search, CancellationToken ct) => Fail<IReadOnlyList<SearchHit>>();

    public IReadOnlyList<SearchHit> SearchSparseByContext(ShardSparseContextSearch search, CancellationToken ct) => Fail<IReadOnlyList<SearchHit>>();

    public SparseStatistics SparseStatistics(string vectorName, IReadOnlyList<uint> dimensions) => Fail<SparseStatistics>();

    public VectorData? GetVector(PointId id, string vectorName) => Fail<VectorData?>();

    public void Dispose()
    {
    }
}
