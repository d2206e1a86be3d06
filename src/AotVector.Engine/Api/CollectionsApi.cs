using AotVector.Common.Errors;

namespace AotVector.Engine.Api;

/// <summary>
/// Collection management, the one path both front ends call. Shape of every method:
/// access first, then the request; expected failures come back as <see cref="AvError"/>.
/// </summary>
public interface ICollectionsApi
{
    ValueTask<Result<bool>> CreateAsync(AccessContext access, CreateCollectionRequest request, CancellationToken ct);

    ValueTask<Result<bool>> UpdateAsync(AccessContext access, UpdateCollectionRequest request, CancellationToken ct);

    /// <summary>True if it existed; deleting a missing collection is not an error.</summary>
    ValueTask<Result<bool>> DeleteAsync(AccessContext access, string name, CancellationToken ct);

    Result<CollectionInfo> GetInfo(AccessContext access, string name);

    /// <summary>Names of the collections the caller may see, sorted.</summary>
    Result<IReadOnlyList<string>> List(AccessContext access);

    Result<bool> Exists(AccessContext access, string name);

    ValueTask<Result<bool>> UpdateAliasesAsync(AccessContext access, IReadOnlyList<AliasOperation> operations, CancellationToken ct);

    Result<IReadOnlyList<AliasDescription>> ListAliases(AccessContext access);

    Result<IReadOnlyList<AliasDescription>> ListCollectionAliases(AccessContext access, string collection);

    /// <summary>The collection's shards and replicas as this peer sees them (GET /collections/{name}/cluster).</summary>
    Result<CollectionClusterInfo> ClusterInfo(AccessContext access, string name);

    /// <summary>
    /// Changes the collection's replicas (POST /collections/{name}/cluster): start, abort or restart a shard transfer,
    /// drop a replica. Answers once the cluster agreed; standalone it is refused.
    /// </summary>
    ValueTask<Result<bool>> UpdateClusterAsync(AccessContext access, string name, ClusterOperation operation, TimeSpan? timeout, CancellationToken ct) =>
        ValueTask.FromResult<Result<bool>>(ClusterOperationRules.StandaloneMode);
}
