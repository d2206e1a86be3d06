using AotVector.Common.Errors;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;

namespace AotVector.Server.Cluster;

/// <summary>
/// Collection management in cluster mode: creating, updating and deleting collections and changing aliases go
/// through consensus, so every peer's metadata agrees, and answer once applied here (the local engine included). Reads, and
/// changes the reference keeps per peer, go to the local engine.
/// </summary>
internal sealed partial class ClusteredCollectionsApi(VectorEngine engine, ConsensusNode node) : ICollectionsApi
{
    private static readonly AvError s_manageRequired = AvError.Forbidden("Global manage access is required");

    public async ValueTask<Result<bool>> CreateAsync(AccessContext access, CreateCollectionRequest request, CancellationToken ct)
    {
        var metadata = node.Metadata;
        var load = metadata.ReplicaCountByPeer();
        if (load.Count == 0)
        {
            return new AvError(ErrorKind.Unavailable, "this peer has not joined the cluster yet");
        }

        // As the reference: one shard per peer unless the request says otherwise.
        var sized = request with { ShardNumber = request.ShardNumber ?? (uint)load.Count };
        if (!engine.PrepareCollection(access, sized).TryGet(out var config, out var error))
        {
            return error;
        }

        if (metadata.Collection(request.Name) is not null)
        {
            return AvError.AlreadyExists($"Collection `{request.Name}` already exists!");
        }

        var placement = ShardPlacementPlanner.Propose(sized.ShardNumber!.Value, sized.ReplicationFactor ?? 1, load, Random.Shared);
        var created = await ProposeAndApplyAsync(MetaOp.CreateCollection(request.Name, config, placement), ct).ConfigureAwait(false);
        if (created.IsOk)
        {
            await WaitForActivationAsync(request.Name, ct).ConfigureAwait(false);
        }

        return created;
    }

    /// <summary>
    /// Waits, as the reference's creator does, until every replica of the new collection has left Initializing (its
    /// peer created it and proposed it Active), then until this peer's replica sets have the states. A peer that is
    /// down keeps its replica Initializing: the wait then ends at the meta-operation timeout and the collection
    /// serves from the replicas that are up.
    /// </summary>
    private async Task WaitForActivationAsync(string name, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + MetaProposer.DefaultTimeout;
        while (DateTime.UtcNow < deadline && node.Metadata.Collection(name) is { } agreed
               && agreed.Shards.Values.Any(r => r.Values.Any(s => s == ReplicaState.Initializing)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct).ConfigureAwait(false);
        }

        await node.Applier.DrainedAsync().WaitAsync(MetaProposer.DefaultTimeout, ct).ConfigureAwait(false);
    }

    public async ValueTask<Result<bool>> DeleteAsync(AccessContext access, string name, CancellationToken ct)
    {
        if (!access.CanManage)
        {
            return s_manageRequired;
        }

        return await ProposeAndApplyAsync(MetaOp.DeleteCollection(name), ct).ConfigureAwait(false);
    }

    public async ValueTask<Result<bool>> UpdateAliasesAsync(AccessContext access, IReadOnlyList<AliasOperation> operations, CancellationToken ct)
    {
        if (!access.CanManage)
        {
            return s_manageRequired;
        }

        var changes = operations.Select(o => o switch
        {
            CreateAlias c => new AliasChange(AliasChange.Create, c.AliasName, c.CollectionName),
            DeleteAlias d => new AliasChange(AliasChange.Delete, d.AliasName),
            RenameAlias r => new AliasChange(AliasChange.Rename, r.OldAliasName, NewAlias: r.NewAliasName),
            _ => throw new ArgumentOutOfRangeException(nameof(operations), o.GetType().Name, "unknown alias operation"),
        }).ToList();
        return await ProposeAndApplyAsync(MetaOp.ChangeAliases(changes), ct).ConfigureAwait(false);
    }

    private async Task<Result<bool>> ProposeAndApplyAsync(MetaOp op, CancellationToken ct)
    {
        var result = await node.Proposer.ProposeAsync(op, MetaProposer.DefaultTimeout, ct).ConfigureAwait(false);
        if (result.IsOk)
        {
            // Answer once the local engine has it too, so the caller's next request here sees the change.
            await node.Applier.DrainedAsync().WaitAsync(MetaProposer.DefaultTimeout, ct).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// The change is computed from the agreed configuration and proposed with it; should another change be applied
    /// first, the proposal is refused and computed again, so no change is lost.
    /// </summary>
    public async ValueTask<Result<bool>> UpdateAsync(AccessContext access, UpdateCollectionRequest request, CancellationToken ct)
    {
        if (!access.CanManage)
        {
            return s_manageRequired;
        }

        for (var attempt = 0; ; attempt++)
        {
            var metadata = node.Metadata;
            var name = metadata.Aliases.GetValueOrDefault(request.Name) ?? request.Name;
            if (metadata.Collection(name) is not { } agreed)
            {
                return AvError.CollectionNotFound(request.Name);
            }

            if (!engine.PrepareUpdate(access, request with { Name = name }, name, agreed.Config).TryGet(out var config, out var error))
            {
                return error;
            }

            var updated = await ProposeAndApplyAsync(MetaOp.UpdateCollection(name, config, agreed.Config), ct).ConfigureAwait(false);
            if (updated.IsOk || updated.Error.Kind != ErrorKind.PreconditionFailed || attempt == 4)
            {
                return updated;
            }
        }
    }

    public Result<CollectionInfo> GetInfo(AccessContext access, string name) => engine.GetInfo(access, name);

    public Result<IReadOnlyList<string>> List(AccessContext access) => engine.List(access);

    public Result<bool> Exists(AccessContext access, string name) => engine.Exists(access, name);

    public Result<IReadOnlyList<AliasDescription>> ListAliases(AccessContext access) => engine.ListAliases(access);

    public Result<IReadOnlyList<AliasDescription>> ListCollectionAliases(AccessContext access, string collection) =>
        engine.ListCollectionAliases(access, collection);

    public Result<CollectionClusterInfo> ClusterInfo(AccessContext access, string name) => engine.ClusterInfo(access, name);
}
