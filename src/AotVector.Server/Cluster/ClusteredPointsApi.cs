using AotVector.Common.Errors;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;
using AotVector.Engine.Operations;

namespace AotVector.Server.Cluster;

/// <summary>
/// Point reads and writes in cluster mode: the engine's, except payload index changes, which are part of the
/// collection's schema the cluster agrees on (as the reference keeps it in consensus). Such a change is proposed
/// first, so every peer's replicas get the index, a peer that is down included once it replays the log; then it is
/// written to the replicas as any write, which gives the caller the usual answer and its <c>wait</c>.
/// </summary>
internal sealed class ClusteredPointsApi(VectorEngine engine, ConsensusNode node) : IPointsApi
{
    private static bool ChangesSchema(UpdateOperation operation) => operation is CreateFieldIndex or DeleteFieldIndex;

    public async ValueTask<Result<UpdateResult>> UpdateAsync(AccessContext access, string collection, UpdateOperation operation, WriteOptions options, CancellationToken ct)
    {
        if (!ChangesSchema(operation))
        {
            return await engine.UpdateAsync(access, collection, operation, options, ct).ConfigureAwait(false);
        }

        if (!engine.PrepareFieldIndex(access, collection, operation).TryGet(out var prepared, out var error))
        {
            return error;
        }

        var (name, encoded) = prepared;
        var op = operation is CreateFieldIndex create
            ? MetaOp.CreatePayloadIndex(name, create.FieldName, encoded)
            : MetaOp.DropPayloadIndex(name, ((DeleteFieldIndex)operation).FieldName);
        var agreed = await node.Proposer.ProposeAsync(op, options.Timeout ?? MetaProposer.DefaultTimeout, ct).ConfigureAwait(false);
        if (!agreed.TryGet(out _, out error))
        {
            return error;
        }

        return await engine.WriteAgreedFieldIndexAsync(access, name, operation, options).ConfigureAwait(false);
    }

    /// <summary>A batch with a payload index change runs one operation at a time, each as <see cref="UpdateAsync"/> would.</summary>
    public async ValueTask<Result<IReadOnlyList<UpdateResult>>> UpdateBatchAsync(AccessContext access, string collection, IReadOnlyList<UpdateOperation> operations, WriteOptions options, CancellationToken ct)
    {
        if (!operations.Any(ChangesSchema))
        {
            return await engine.UpdateBatchAsync(access, collection, operations, options, ct).ConfigureAwait(false);
        }

        var results = new List<UpdateResult>(operations.Count);
        foreach (var operation in operations)
        {
            var result = await UpdateAsync(access, collection, operation, options, ct).ConfigureAwait(false);
            if (!result.TryGet(out var ok, out var error))
            {
                return error;
            }

            results.Add(ok);
        }

        return results;
    }

    public ValueTask<Result<UpdateResult>> CreateVectorNameAsync(AccessContext access, string collection, CreateVectorNameRequest request, WriteOptions options, CancellationToken ct) =>
        engine.CreateVectorNameAsync(access, collection, request, options, ct);

    public ValueTask<Result<UpdateResult>> DeleteVectorNameAsync(AccessContext access, string collection, string vectorName, WriteOptions options, CancellationToken ct) =>
        engine.DeleteVectorNameAsync(access, collection, vectorName, options, ct);

    public ValueTask<Result<IReadOnlyList<PointRecord>>> RetrieveAsync(AccessContext access, string collection, RetrieveRequest request, CancellationToken ct) =>
        engine.RetrieveAsync(access, collection, request, ct);

    public ValueTask<Result<ScrollResult>> ScrollAsync(AccessContext access, string collection, ScrollRequest request, CancellationToken ct) =>
        engine.ScrollAsync(access, collection, request, ct);

    public ValueTask<Result<ulong>> CountAsync(AccessContext access, string collection, CountRequest request, CancellationToken ct) =>
        engine.CountAsync(access, collection, request, ct);

    public ValueTask<Result<IReadOnlyList<ScoredPoint>>> QueryAsync(AccessContext access, string collection, QueryRequest request, ReadOptions options, CancellationToken ct) =>
        engine.QueryAsync(access, collection, request, options, ct);

    public ValueTask<Result<IReadOnlyList<IReadOnlyList<ScoredPoint>>>> QueryBatchAsync(AccessContext access, string collection, IReadOnlyList<QueryRequest> requests, ReadOptions options, CancellationToken ct) =>
        engine.QueryBatchAsync(access, collection, requests, options, ct);

    public ValueTask<Result<IReadOnlyList<PointGroup>>> QueryGroupsAsync(AccessContext access, string collection, GroupsRequest request, ReadOptions options, CancellationToken ct) =>
        engine.QueryGroupsAsync(access, collection, request, options, ct);

    public ValueTask<Result<IReadOnlyList<FacetHit>>> FacetAsync(AccessContext access, string collection, FacetRequest request, ReadOptions options, CancellationToken ct) =>
        engine.FacetAsync(access, collection, request, options, ct);

    public ValueTask<Result<DistanceMatrix>> SearchMatrixAsync(AccessContext access, string collection, MatrixRequest request, ReadOptions options, CancellationToken ct) =>
        engine.SearchMatrixAsync(access, collection, request, options, ct);
}
