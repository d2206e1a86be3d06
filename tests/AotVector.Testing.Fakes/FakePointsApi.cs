using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Testing.Fakes;

/// <summary>
/// Records what a front end passed to <see cref="IPointsApi"/> and answers with canned values: retrieve gives the
/// <see cref="Records"/> asked for, scroll all of them and <see cref="NextPageOffset"/>, count <see cref="Count"/>,
/// every query <see cref="Hits"/>, an update operation 7 (completed when waited for, else acknowledged). When
/// <see cref="Error"/> is set every call fails with it; when <see cref="Throw"/> is set every call throws it (a bug
/// inside the engine).
/// </summary>
public sealed class FakePointsApi : IPointsApi
{
    public AccessContext? LastAccess { get; private set; }

    public string? LastCollection { get; private set; }

    /// <summary>The last call's request: the operation(s), or the read or query request(s).</summary>
    public object? LastRequest { get; private set; }

    public UpdateOperation? LastOperation => LastRequest as UpdateOperation;

    public IReadOnlyList<UpdateOperation>? LastOperations => LastRequest as IReadOnlyList<UpdateOperation>;

    public RetrieveRequest? LastRetrieve => LastRequest as RetrieveRequest;

    public ScrollRequest? LastScroll => LastRequest as ScrollRequest;

    public CountRequest? LastCount => LastRequest as CountRequest;

    public QueryRequest? LastQuery => LastRequest as QueryRequest;

    public IReadOnlyList<QueryRequest>? LastQueryBatch => LastRequest as IReadOnlyList<QueryRequest>;

    public WriteOptions? LastOptions { get; private set; }

    public ReadOptions? LastReadOptions { get; private set; }

    /// <summary>Calls that reached the engine.</summary>
    public int Calls { get; private set; }

    public AvError? Error { get; set; }

    public Exception? Throw { get; set; }

    public List<PointRecord> Records { get; } = [];

    public PointId? NextPageOffset { get; set; }

    public ulong Count { get; set; } = 42;

    /// <summary>When set, single updates answer with this status instead of completed/acknowledged.</summary>
    public UpdateStatus? UpdateStatus { get; set; }

    public List<ScoredPoint> Hits { get; } = [];

    public ValueTask<Result<UpdateResult>> UpdateAsync(AccessContext access, string collection, UpdateOperation operation, WriteOptions options, CancellationToken ct)
    {
        LastOptions = options;
        return Answer(access, collection, operation, () => new UpdateResult(7, UpdateStatus ?? (options.Wait ? Engine.Api.UpdateStatus.Completed : Engine.Api.UpdateStatus.Acknowledged)));
    }

    public ValueTask<Result<IReadOnlyList<UpdateResult>>> UpdateBatchAsync(AccessContext access, string collection, IReadOnlyList<UpdateOperation> operations, WriteOptions options, CancellationToken ct)
    {
        LastOptions = options;
        return Answer<IReadOnlyList<UpdateResult>>(access, collection, operations, () => [.. operations.Select((_, i) => new UpdateResult((ulong)i + 1, Engine.Api.UpdateStatus.Completed))]);
    }

    public ValueTask<Result<UpdateResult>> CreateVectorNameAsync(AccessContext access, string collection, CreateVectorNameRequest request, WriteOptions options, CancellationToken ct)
    {
        LastOptions = options;
        return Answer(access, collection, request, () => new UpdateResult(1, Engine.Api.UpdateStatus.Completed));
    }

    public ValueTask<Result<UpdateResult>> DeleteVectorNameAsync(AccessContext access, string collection, string vectorName, WriteOptions options, CancellationToken ct)
    {
        LastOptions = options;
        return Answer(access, collection, vectorName, () => new UpdateResult(1, Engine.Api.UpdateStatus.Completed));
    }

    public ValueTask<Result<IReadOnlyList<PointRecord>>> RetrieveAsync(AccessContext access, string collection, RetrieveRequest request, CancellationToken ct) =>
        Answer<IReadOnlyList<PointRecord>>(access, collection, request, () => [.. Records.Where(r => request.Ids.Contains(r.Id))]);

    public ValueTask<Result<ScrollResult>> ScrollAsync(AccessContext access, string collection, ScrollRequest request, CancellationToken ct) =>
        Answer(access, collection, request, () => new ScrollResult([.. Records], NextPageOffset));

    public ValueTask<Result<ulong>> CountAsync(AccessContext access, string collection, CountRequest request, CancellationToken ct) =>
        Answer(access, collection, request, () => Count);

    public ValueTask<Result<IReadOnlyList<ScoredPoint>>> QueryAsync(AccessContext access, string collection, QueryRequest request, ReadOptions options, CancellationToken ct)
    {
        LastReadOptions = options;
        return Answer<IReadOnlyList<ScoredPoint>>(access, collection, request, () => [.. Hits]);
    }

    public ValueTask<Result<IReadOnlyList<IReadOnlyList<ScoredPoint>>>> QueryBatchAsync(AccessContext access, string collection, IReadOnlyList<QueryRequest> requests, ReadOptions options, CancellationToken ct)
    {
        LastReadOptions = options;
        return Answer<IReadOnlyList<IReadOnlyList<ScoredPoint>>>(access, collection, requests, () => [.. requests.Select(_ => (IReadOnlyList<ScoredPoint>)[.. Hits])]);
    }

    /// <summary>What every grouped query answers.</summary>
    public List<PointGroup> Groups { get; } = [];

    /// <summary>What every facet answers.</summary>
    public List<FacetHit> FacetHits { get; } = [];

    /// <summary>What every distance matrix answers.</summary>
    public DistanceMatrix Matrix { get; set; } = DistanceMatrix.Empty;

    public ValueTask<Result<IReadOnlyList<PointGroup>>> QueryGroupsAsync(AccessContext access, string collection, GroupsRequest request, ReadOptions options, CancellationToken ct)
    {
        LastReadOptions = options;
        return Answer<IReadOnlyList<PointGroup>>(access, collection, request, () => [.. Groups]);
    }

    public ValueTask<Result<IReadOnlyList<FacetHit>>> FacetAsync(AccessContext access, string collection, FacetRequest request, ReadOptions options, CancellationToken ct)
    {
        LastReadOptions = options;
        return Answer<IReadOnlyList<FacetHit>>(access, collection, request, () => [.. FacetHits]);
    }

    public ValueTask<Result<DistanceMatrix>> SearchMatrixAsync(AccessContext access, string collection, MatrixRequest request, ReadOptions options, CancellationToken ct)
    {
        LastReadOptions = options;
        return Answer(access, collection, request, () => Matrix);
    }

    private ValueTask<Result<T>> Answer<T>(AccessContext access, string collection, object request, Func<T> value)
    {
        Calls++;
        LastAccess = access;
        LastCollection = collection;
        LastRequest = request;
        if (Throw is not null)
        {
            throw Throw;
        }

        return ValueTask.FromResult(Error is { } error ? Result<T>.Fail(error) : Result<T>.Ok(value()));
    }
}
