using AotVector.Common.Errors;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Api;

/// <summary>Point reads and writes, the one path both front ends call. Collection names may be aliases.</summary>
public interface IPointsApi
{
    ValueTask<Result<UpdateResult>> UpdateAsync(AccessContext access, string collection, UpdateOperation operation, WriteOptions options, CancellationToken ct);

    /// <summary>Applies the operations in order; stops at the first failing one (earlier ones stay applied, as in Qdrant).</summary>
    ValueTask<Result<IReadOnlyList<UpdateResult>>> UpdateBatchAsync(AccessContext access, string collection, IReadOnlyList<UpdateOperation> operations, WriteOptions options, CancellationToken ct);

    /// <summary>
    /// Adds a named vector, dense or sparse, to the collection; existing points have no value for it. Goes through the
    /// WAL like a point update and answers like one. Needs collection write access beyond points (not a prw grant).
    /// Adding a name again with the same shape changes nothing; with another shape it is refused.
    /// </summary>
    ValueTask<Result<UpdateResult>> CreateVectorNameAsync(AccessContext access, string collection, CreateVectorNameRequest request, WriteOptions options, CancellationToken ct);

    /// <summary>
    /// Removes a named vector (dense or sparse; "" is the unnamed one) with every point's value of it. Removing a name
    /// the collection does not have changes nothing, as in the reference. Access as for <see cref="CreateVectorNameAsync"/>.
    /// </summary>
    ValueTask<Result<UpdateResult>> DeleteVectorNameAsync(AccessContext access, string collection, string vectorName, WriteOptions options, CancellationToken ct);

    /// <summary>Points in request order; unknown ids are left out.</summary>
    ValueTask<Result<IReadOnlyList<PointRecord>>> RetrieveAsync(AccessContext access, string collection, RetrieveRequest request, CancellationToken ct);

    /// <summary>A cancelled <paramref name="ct"/> stops the scan and answers <see cref="ErrorKind.Cancelled"/>, as for queries.</summary>
    ValueTask<Result<ScrollResult>> ScrollAsync(AccessContext access, string collection, ScrollRequest request, CancellationToken ct);

    /// <summary>A cancelled <paramref name="ct"/> stops the count and answers <see cref="ErrorKind.Cancelled"/>, as for queries.</summary>
    ValueTask<Result<ulong>> CountAsync(AccessContext access, string collection, CountRequest request, CancellationToken ct);

    /// <summary>
    /// Runs a query. A cancelled <paramref name="ct"/> (the client went away, a gRPC deadline passed) stops the search
    /// and answers <see cref="ErrorKind.Cancelled"/>; running past <see cref="ReadOptions.Timeout"/> answers Timeout.
    /// </summary>
    ValueTask<Result<IReadOnlyList<ScoredPoint>>> QueryAsync(AccessContext access, string collection, QueryRequest request, ReadOptions options, CancellationToken ct);

    /// <summary>Runs the queries in order, under one <see cref="ReadOptions.Timeout"/> for the whole batch.</summary>
    ValueTask<Result<IReadOnlyList<IReadOnlyList<ScoredPoint>>>> QueryBatchAsync(AccessContext access, string collection, IReadOnlyList<QueryRequest> requests, ReadOptions options, CancellationToken ct);

    /// <summary>
    /// Runs a grouped query: the best groups by their best hit, each with its best hits. <c>with_lookup</c> reads another
    /// collection, which needs read access too. Cancellation and timeout as for <see cref="QueryAsync"/>.
    /// </summary>
    ValueTask<Result<IReadOnlyList<PointGroup>>> QueryGroupsAsync(AccessContext access, string collection, GroupsRequest request, ReadOptions options, CancellationToken ct);

    /// <summary>Counts points per value of a payload field: most frequent first, ties by value.</summary>
    ValueTask<Result<IReadOnlyList<FacetHit>>> FacetAsync(AccessContext access, string collection, FacetRequest request, ReadOptions options, CancellationToken ct);

    /// <summary>Samples points and finds each one's nearest neighbours among the sample.</summary>
    ValueTask<Result<DistanceMatrix>> SearchMatrixAsync(AccessContext access, string collection, MatrixRequest request, ReadOptions options, CancellationToken ct);
}
