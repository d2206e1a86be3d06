using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Shards;

public sealed partial class ReplicaSet
{
    public ulong PointsCount => ReadOne(static s => s.PointsCount, CancellationToken.None);

    public ulong IndexedVectorsCount => ReadOne(static s => s.IndexedVectorsCount, CancellationToken.None);

    public ulong SegmentsCount => ReadOne(static s => s.SegmentsCount, CancellationToken.None);

    public IReadOnlyDictionary<string, PayloadSchemaInfo> PayloadSchema => ReadOne(static s => s.PayloadSchema, CancellationToken.None);

    public IReadOnlyList<PointRecord> Retrieve(IReadOnlyList<PointId> ids, WithPayload withPayload, WithVector withVector) =>
        Retrieve(ids, withPayload, withVector, ReadConsistency.One);

    public IReadOnlyList<PointRecord> Retrieve(IReadOnlyList<PointId> ids, WithPayload withPayload, WithVector withVector, ReadConsistency consistency) =>
        Read(s => s.Retrieve(ids, withPayload, withVector), consistency, CancellationToken.None, (answers, agreement) => ReadResolution.Records(answers, agreement, ids));

    public IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit, CancellationToken ct) =>
        ScrollIds(filter, offset, limit, ReadConsistency.One, ct);

    public IReadOnlyList<PointId> ScrollIds(Filter? filter, PointId? offset, int limit, ReadConsistency consistency, CancellationToken ct) =>
        Read(s => s.ScrollIds(filter, offset, limit, ct), consistency, ct, (answers, agreement) => ReadResolution.Ids(answers, agreement, limit));

    public ulong Count(Filter? filter, CancellationToken ct) => Count(filter, ReadConsistency.One, ct);

    public ulong Count(Filter? filter, ReadConsistency consistency, CancellationToken ct) =>
        Read(s => s.Count(filter, ct), consistency, ct, ReadResolution.Count);

    public IReadOnlyList<SearchHit> Search(ShardSearch search, CancellationToken ct) => Search(search, ReadConsistency.One, ct);

    public IReadOnlyList<SearchHit> Search(ShardSearch search, ReadConsistency consistency, CancellationToken ct) =>
        Read(s => s.Search(search, ct), consistency, ct, (answers, agreement) => ReadResolution.Hits(answers, agreement, search.Limit));

    public IReadOnlyList<SearchHit> SearchByExamples(ShardExampleSearch search, CancellationToken ct) => SearchByExamples(search, ReadConsistency.One, ct);

    public IReadOnlyList<SearchHit> SearchByExamples(ShardExampleSearch search, ReadConsistency consistency, CancellationToken ct) =>
        Read(s => s.SearchByExamples(search, ct), consistency, ct, (answers, agreement) => ReadResolution.Hits(answers, agreement, search.Limit));

    public IReadOnlyList<SearchHit> SearchSparse(ShardSparseSearch search, CancellationToken ct) => SearchSparse(search, ReadConsistency.One, ct);

    public IReadOnlyList<SearchHit> SearchSparse(ShardSparseSearch search, ReadConsistency consistency, CancellationToken ct) =>
        Read(s => s.SearchSparse(search, ct), consistency, ct, (answers, agreement) => ReadResolution.Hits(answers, agreement, search.Limit));

    public IReadOnlyList<SearchHit> SearchByContext(ShardContextSearch search, CancellationToken ct) => SearchByContext(search, ReadConsistency.One, ct);

    public IReadOnlyList<SearchHit> SearchByContext(ShardContextSearch search, ReadConsistency consistency, CancellationToken ct) =>
        Read(s => s.SearchByContext(search, ct), consistency, ct, (answers, agreement) => ReadResolution.Hits(answers, agreement, search.Limit));

    public IReadOnlyList<SearchHit> SearchSparseByContext(ShardSparseContextSearch search, CancellationToken ct) =>
        SearchSparseByContext(search, ReadConsistency.One, ct);

    public IReadOnlyList<SearchHit> SearchSparseByContext(ShardSparseContextSearch search, ReadConsistency consistency, CancellationToken ct) =>
        Read(s => s.SearchSparseByContext(search, ct), consistency, ct, (answers, agreement) => ReadResolution.Hits(answers, agreement, search.Limit));

    // One replica's answer: an ordered page and a random sample are not answers several replicas can agree on.
    public IReadOnlyList<OrderedPoint>? ScrollOrdered(Filter? filter, OrderBy orderBy, int limit, CancellationToken ct) =>
        Read(s => s.ScrollOrdered(filter, orderBy, limit, ct), ReadConsistency.One, ct, (answers, _) => answers[0]);

    public ShardSample Sample(Filter? filter, int limit, CancellationToken ct) =>
        Read(s => s.Sample(filter, limit, ct), ReadConsistency.One, ct, (answers, _) => answers[0]);

    public IReadOnlyList<SearchHit> SearchSparseByExamples(ShardSparseExampleSearch search, CancellationToken ct) =>
        SearchSparseByExamples(search, ReadConsistency.One, ct);

    public IReadOnlyList<SearchHit> SearchSparseByExamples(ShardSparseExampleSearch search, ReadConsistency consistency, CancellationToken ct) =>
        Read(s => s.SearchSparseByExamples(search, ct), consistency, ct, (answers, agreement) => ReadResolution.Hits(answers, agreement, search.Limit));

    public SparseStatistics SparseStatistics(string vectorName, IReadOnlyList<uint> dimensions) =>
        ReadOne(s => s.SparseStatistics(vectorName, dimensions), CancellationToken.None);

    public VectorData? GetVector(PointId id, string vectorName) => ReadOne(s => s.GetVector(id, vectorName), CancellationToken.None);

    private T ReadOne<T>(Func<IShard, T> read, CancellationToken ct) =>
        Read(read, ReadConsistency.One, ct, static (answers, _) => answers[0]);

    /// <summary>
    /// Asks as many readable replicas as <paramref name="consistency"/> requires, this peer's first and the others
    /// in random order, replacing each that fails by the next; then resolves the answers into one. Read failures are
    /// not reported to consensus (a write will find a broken replica). Throws
    /// <see cref="ShardUnavailableException"/> when too few replicas are readable or too few answered.
    /// </summary>
    private T Read<T>(Func<IShard, T> read, ReadConsistency consistency, CancellationToken ct, Func<List<T>, int, T> resolve)
    {
        var replicas = Volatile.Read(ref _replicas);
        var required = consistency.RequiredAnswers(replicas.Length);
        var candidates = ReadOrder(replicas);
        if (candidates.Count < required)
        {
            throw new ShardUnavailableException(new AvError(ErrorKind.Unavailable, $"Service unavailable: The replica set for shard {ShardId} on peer {_thisPeer} does not have enough active replicas"));
        }

        var answers = new List<T>(required);
        AvError? lastError = null;
        var next = 0;
        while (answers.Count < required && next < candidates.Count)
        {
            var batch = candidates.Skip(next).Take(required - answers.Count).ToArray();
            next += batch.Length;
            foreach (var outcome in RunOnAll(batch, replica => Result<T>.Ok(read(replica.Shard!))))
            {
                if (outcome.TryGet(out var answer, out var error))
                {
                    answers.Add(answer);
                }
                else
                {
                    lastError = error;
                }
            }

            ct.ThrowIfCancellationRequested();
        }

        if (answers.Count < required)
        {
            // Named, so a read over many shards says which one it could not reach.
            throw new ShardUnavailableException(lastError is { } failed
                ? failed with { Message = $"No replica of shard {ShardId} answered: {failed.Message}" }
                : AvError.Internal($"No replica of shard {ShardId} answered"));
        }

        return answers.Count == 1 ? answers[0] : resolve(answers, consistency.Agreement(answers.Count));
    }

    // This peer's readable replica first, then the other readable ones shuffled, so reads spread over the replicas.
    private List<Replica> ReadOrder(Replica[] replicas)
    {
        var order = new List<Replica>(replicas.Length);
        var remote = new List<Replica>(replicas.Length);
        foreach (var replica in replicas)
        {
            if (replica.Shard is null || !replica.State.IsReadable())
            {
                continue;
            }

            (replica.PeerId == _thisPeer ? order : remote).Add(replica);
        }

        var shuffled = remote.ToArray();
        Random.Shared.Shuffle(shuffled);
        order.AddRange(shuffled);
        return order;
    }
}
