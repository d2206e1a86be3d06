using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Protocol.Rest.Tests.Fakes;

/// <summary>Records what the handlers pass to the engine and answers with canned results.</summary>
internal sealed class FakePointsApi : IPointsApi
{
    public string? LastCollection { get; private set; }
    public AccessContext? LastAccess { get; private set; }
    public UpdateOperation? LastOperation { get; private set; }
    public IReadOnlyList<UpdateOperation>? LastBatch { get; private set; }
    public WriteOptions LastOptions { get; private set; }
    public RetrieveRequest? LastRetrieve { get; private set; }
    public ScrollRequest? LastScroll { get; private set; }
    public CountRequest? LastCount { get; private set; }
    public QueryRequest? LastQuery { get; private set; }
    public IReadOnlyList<QueryRequest>? LastQueryBatch { get; private set; }
    public ReadOptions LastReadOptions { get; private set; }

    /// <summary>When set, every call fails with this error.</summary>
    public AvError? Error { get; set; }

    /// <summary>When set, every call throws it (a bug inside the engine).</summary>
    public Exception? Throw { get; set; }

    public List<PointRecord> Records { get; } = [];
    public List<ScoredPoint> Hits { get; } = [];
    public PointId? NextPageOffset { get; set; }
    public ulong Count { get; set; } = 42;

    public ValueTask<Result<UpdateResult>> UpdateAsync(AccessContext access, string collection, UpdateOperation operation, WriteOptions options, CancellationToken ct)
    {
        Record(access, collection);
        LastOperation = operation;
        LastOptions = options;
        return Answer(() => new UpdateResult(7, options.Wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged));
    }

    public ValueTask<Result<IReadOnlyList<UpdateResult>>> UpdateBatchAsync(AccessContext access, string collection, IReadOnlyList<UpdateOperation> operations, WriteOptions options, CancellationToken ct)
    {
        Record(access, collection);
        LastBatch = operations;
        LastOptions = options;
        return Answer<IReadOnlyList<UpdateResult>>(() => operations.Select((_, i) => new UpdateResult((ulong)i + 1, UpdateStatus.Completed)).ToList());
    }

    public ValueTask<Result<IReadOnlyList<PointRecord>>> RetrieveAsync(AccessContext access, string collection, RetrieveRequest request, CancellationToken ct)
    {
        Record(access, collection);
        LastRetrieve = request;
        return Answer<IReadOnlyList<PointRecord>>(() => Records.Where(r => request.Ids.Contains(r.Id)).ToList());
    }

    public ValueTask<Result<ScrollResult>> ScrollAsync(AccessContext access, string collection, ScrollRequest request, CancellationToken ct)
    {
        Record(access, collection);
        LastScroll = request;
        return Answer(() => new ScrollResult(Records, NextPageOffset));
    }

    public ValueTask<Result<ulong>> CountAsync(AccessContext access, string collection, CountRequest request, CancellationToken ct)
    {
        Record(access, collection);
        LastCount = request;
        return Answer(() => Count);
    }

    public ValueTask<Result<IReadOnlyList<ScoredPoint>>> QueryAsync(AccessContext access, string collection, QueryRequest request, ReadOptions options, CancellationToken ct)
    {
        Record(access, collection);
        LastQuery = request;
        LastReadOptions = options;
        return Answer<IReadOnlyList<ScoredPoint>>(() => Hits);
    }

    public ValueTask<Result<IReadOnlyList<IReadOnlyList<ScoredPoint>>>> QueryBatchAsync(AccessContext access, string collection, IReadOnlyList<QueryRequest> requests, ReadOptions options, CancellationToken ct)
    {
        Record(access, collection);
        LastQueryBatch = requests;
        LastReadOptions = options;
        return Answer<IReadOnlyList<IReadOnlyList<ScoredPoint>>>(() => requests.Select(_ => (IReadOnlyList<ScoredPoint>)Hits).ToList());
    }

    private void Record(AccessContext access, string collection)
    {
        LastAccess = access;
        LastCollection = collection;
    }

    private ValueTask<Result<T>> Answer<T>(Func<T> value)
    {
        if (Throw is not null)
        {
            throw Throw;
        }

        return ValueTask.FromResult(Error is { } e ? Result<T>.Fail(e) : Result<T>.Ok(value()));
    }
}
