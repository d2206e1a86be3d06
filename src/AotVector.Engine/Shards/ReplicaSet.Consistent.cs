using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Shards;

public sealed partial class ReplicaSet
{
    /// <summary>
    /// This set as an <see cref="IShard"/> whose reads ask replicas as <paramref name="consistency"/> says, so the
    /// collection's read code passes a request's <c>consistency</c> without knowing about replicas.
    /// </summary>
    public IShard Reading(ReadConsistency consistency) =>
        consistency is { Kind: ReadConsistencyKind.Factor, Factor: <= 1 } ? this : new ConsistentView(this, consistency);

    /// <summary>A view of the set with a read consistency; it owns nothing, and writes go to the set as they are.</summary>
    private sealed class ConsistentView(ReplicaSet set, ReadConsistency consistency) : IShard
    {
        public uint ShardId => set.ShardId;

        public ulong PointsCount => set.PointsCount;

        public ulong IndexedVectorsCount => set.IndexedVectorsCount;

        public ulong SegmentsCount => set.SegmentsCount;

        public IReadOnlyDictionary<string, PayloadSchemaInfo> PayloadSchema => set.PayloadSchema;

        public Result<UpdateResult> Update(UpdateOperation operation, bool wait) => set.Update(operation, wait);

        public IReadOnlyList<PointRecord> Retrieve(IReadOnlyList<PointId> ids, WithPayload withPayload, WithVector withVector) =>
            set.Retrieve(ids, withPayload, withVector, consistency);

        public IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit, CancellationToken ct) =>
            set.ScrollIds(filter, offset, limit, consistency, ct);

        public ulong Count(Filter? filter, CancellationToken ct) => set.Count(filter, consistency, ct);

        public IReadOnlyList<OrderedPoint>? ScrollOrdered(Filter? filter, OrderBy orderBy, int limit, CancellationToken ct) =>
            set.ScrollOrdered(filter, orderBy, limit, ct);

        public ShardSample Sample(Filter? filter, int limit, CancellationToken ct) => set.Sample(filter, limit, ct);

        public IReadOnlyList<SearchHit> Search(ShardSearch search, CancellationToken ct) => set.Search(search, consistency, ct);

        public IReadOnlyList<SearchHit> SearchByExamples(ShardExampleSearch search, CancellationToken ct) => set.SearchByExamples(search, consistency, ct);

        public IReadOnlyList<SearchHit> SearchSparse(ShardSparseSearch search, CancellationToken ct) => set.SearchSparse(search, consistency, ct);

        public IReadOnlyList<SearchHit> SearchSparseByExamples(ShardSparseExampleSearch search, CancellationToken ct) =>
            set.SearchSparseByExamples(search, consistency, ct);

        public IReadOnlyList<SearchHit> SearchByContext(ShardContextSearch search, CancellationToken ct) => set.SearchByContext(search, consistency, ct);

        public IReadOnlyList<SearchHit> SearchSparseByContext(ShardSparseContextSearch search, CancellationToken ct) =>
            set.SearchSparseByContext(search, consistency, ct);

        public SparseStatistics SparseStatistics(string vectorName, IReadOnlyList<uint> dimensions) => set.SparseStatistics(vectorName, dimensions);

        public VectorData? GetVector(PointId id, string vectorName) => set.GetVector(id, vectorName);

        public void Dispose()
        {
        }
    }
}
