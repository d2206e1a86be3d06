using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Protocol.Grpc.Tests.TestSupport;

/// <summary>Records the last call's arguments and answers with configured results.</summary>
internal sealed class FakePointsApi : IPointsApi
{
    public AccessContext? LastAccess { get; private set; }

    public string? LastCollection { get; private set; }

    public UpdateOperation? LastOperation { get; private set; }

    public IReadOnlyList<UpdateOperation>? LastOperations { get; private set; }

    public WriteOptions? LastOptions { get; private set; }

    public ReadOptions? LastReadOptions { get; private set; }

    public object? LastRequest { get; private set; }

    public int Calls { get; private set; }

    public Result<UpdateResult> UpdateResult { get; set; } = new UpdateResult(7, UpdateStatus.Completed);

    public Result<IReadOnlyList<PointRecord>> RetrieveResult { get; set; } = Result<IReadOnlyList<PointRecord>>.Ok([]);

    public Result<ScrollResult> ScrollResult { get; set; } = new ScrollResult([], null);

    public Result<ulong> CountResult { get; set; } = 0UL;

    public Result<IReadOnlyList<ScoredPoint>> QueryResult { get; set; } = Result<IReadOnlyList<ScoredPoint>>.Ok([]);

    public ValueTask<Result<UpdateResult>> UpdateAsync(AccessContext access, string collection, UpdateOperation operation, WriteOptions options, CancellationToken ct)
    {
        Record(access, collection, operation);
        LastOperation = operation;
        LastOptions = options;
        return ValueTask.FromResult(UpdateResult);
    }

    public ValueTask<Result<IReadOnlyList<UpdateResult>>> UpdateBatchAsync(AccessContext access, string collection, IReadOnlyList<UpdateOperation> operations, WriteOptions options, CancellationToken ct)
    {
        Record(access, collection, operations);
        LastOperations = operations;
        LastOptions = options;
        if (!UpdateResult.TryGet(out var one, out var error))
        {
            return ValueTask.FromResult(Result<IReadOnlyList<UpdateResult>>.Fail(error));
        }

        IReadOnlyList<UpdateResult> all = [.. operations.Select(_ => one)];
        return ValueTask.FromResult(Result<IReadOnlyList<UpdateResult>>.Ok(all));
    }

    public ValueTask<Result<IReadOnlyList<PointRecord>>> RetrieveAsync(AccessContext access, string collection, RetrieveRequest request, CancellationToken ct) =>
        Answer(access, collection, request, RetrieveResult);

    public ValueTask<Result<ScrollResult>> ScrollAsync(AccessContext access, string collection, ScrollRequest request, CancellationToken ct) =>
        Answer(access, collection, request, ScrollResult);

    public ValueTask<Result<ulong>> CountAsync(AccessContext access, string collection, CountRequest request, CancellationToken ct) =>
        Answer(access, collection, request, CountResult);

    public ValueTask<Result<IReadOnlyList<ScoredPoint>>> QueryAsync(AccessContext access, string collection, QueryRequest request, ReadOptions options, CancellationToken ct)
    {
        LastReadOptions = options;
        return Answer(access, collection, request, QueryResult);
    }

    public ValueTask<Result<IReadOnlyList<IReadOnlyList<ScoredPoint>>>> QueryBatchAsync(AccessContext access, string collection, IReadOnlyList<QueryRequest> requests, ReadOptions options, CancellationToken ct)
    {
        LastReadOptions = options;
        Record(access, collection, requests);
        if (!QueryResult.TryGet(out var hits, out var error))
        {
            return ValueTask.FromResult(Result<IReadOnlyList<IReadOnlyList<ScoredPoint>>>.Fail(error));
        }

        IReadOnlyList<IReadOnlyList<ScoredPoint>> all = [.. requests.Select(_ => hits)];
        return ValueTask.FromResult(Result<IReadOnlyList<IReadOnlyList<ScoredPoint>>>.Ok(all));
    }

    private ValueTask<Result<T>> Answer<T>(AccessContext access, string collection, object request, Result<T> result)
    {
        Record(access, collection, request);
        return ValueTask.FromResult(result);
    }

    private void Record(AccessContext access, string collection, object request)
    {
        Calls++;
        LastAccess = access;
        LastCollection = collection;
        LastRequest = request;
    }
}
