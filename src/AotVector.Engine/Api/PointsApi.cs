using AotVector.Common.Errors;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Api;

/// <summary>Point reads and writes, the one path both front ends call. Collection names may be aliases.</summary>
public interface IPointsApi
{
    ValueTask<Result<UpdateResult>> UpdateAsync(AccessContext access, string collection, UpdateOperation operation, WriteOptions options, CancellationToken ct);

    /// <summary>Applies the operations in order; stops at the first failing one (earlier ones stay applied, as in Qdrant).</summary>
    ValueTask<Result<IReadOnlyList<UpdateResult>>> UpdateBatchAsync(AccessContext access, string collection, IReadOnlyList<UpdateOperation> operations, WriteOptions options, CancellationToken ct);

    /// <summary>Points in request order; unknown ids are left out.</summary>
    ValueTask<Result<IReadOnlyList<PointRecord>>> RetrieveAsync(AccessContext access, string collection, RetrieveRequest request, CancellationToken ct);

    ValueTask<Result<ScrollResult>> ScrollAsync(AccessContext access, string collection, ScrollRequest request, CancellationToken ct);

    ValueTask<Result<ulong>> CountAsync(AccessContext access, string collection, CountRequest request, CancellationToken ct);

    ValueTask<Result<IReadOnlyList<ScoredPoint>>> QueryAsync(AccessContext access, string collection, QueryRequest request, CancellationToken ct);

    ValueTask<Result<IReadOnlyList<IReadOnlyList<ScoredPoint>>>> QueryBatchAsync(AccessContext access, string collection, IReadOnlyList<QueryRequest> requests, CancellationToken ct);
}
