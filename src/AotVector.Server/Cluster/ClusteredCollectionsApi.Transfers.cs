using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;

namespace AotVector.Server.Cluster;

/// <summary>
/// POST /collections/{name}/cluster in cluster mode: the reference's checks against the agreed state (the shard and
/// the peers exist, an aborted or restarted transfer runs), then the change through consensus, answered once it is
/// applied here. Checks that depend on the order of operations (the source is active, no conflicting transfer, the
/// last active replica stays) are made by the metadata when the operation is applied.
/// </summary>
internal sealed partial class ClusteredCollectionsApi
{
    public async ValueTask<Result<bool>> UpdateClusterAsync(AccessContext access, string name, ClusterOperation operation, TimeSpan? timeout, CancellationToken ct)
    {
        if (!access.CanManage)
        {
            return s_manageRequired;
        }

        if (!engine.ClusterInfo(access, name).TryGet(out _, out var error))
        {
            return error;
        }

        if (ClusterOperationRules.Unsupported(operation) is { } unsupported)
        {
            return unsupported;
        }

        var metadata = node.Metadata;
        var collectionName = metadata.Collection(name) is not null ? name : metadata.Aliases.GetValueOrDefault(name, name);
        if (metadata.Collection(collectionName) is not { } agreed)
        {
            return AvError.CollectionNotFound(name);
        }

        if (!ToMetaOp(collectionName, agreed, metadata.Peers, operation).TryGet(out var op, out error))
        {
            return error;
        }

        var wait = timeout ?? MetaProposer.DefaultTimeout;
        var result = await node.Proposer.ProposeAsync(op, wait, ct).ConfigureAwait(false);
        if (result.IsOk)
        {
            await node.Applier.DrainedAsync().WaitAsync(wait, ct).ConfigureAwait(false);
        }

        return result;
    }

    private static Result<MetaOp> ToMetaOp(string name, CollectionMetadata agreed, IReadOnlyDictionary<ulong, string> peers, ClusterOperation operation)
    {
        AvError? ShardMissing(uint shard) =>
            agreed.Shards.ContainsKey(shard) ? null : ClusterOperationRules.BadRequest($"Shard {shard} of {name} does not exist");

        AvError? PeerMissing(ulong peer) =>
            peers.ContainsKey(peer) ? null : ClusterOperationRules.BadRequest($"Peer {peer} does not exist");

        ShardTransferInfo? Running(uint shard, ulong from, ulong to) =>
            agreed.Transfers.Find(t => t.ShardId == shard && t.From == from && t.To == to);

        AvError NoSuchTransfer(uint shard, ulong from, ulong to) =>
            AvError.NotFound($"Shard transfer {from} -> {to} for collection {name}:{shard} does not exist");

        Result<MetaOp> StartTransfer(uint shardId, ulong from, ulong to, ShardTransferMethod? method, bool sync)
        {
            if ((ShardMissing(shardId) ?? PeerMissing(to) ?? PeerMissing(from)) is { } invalid)
            {
                return invalid;
            }

            // As the reference, the proposer resolves the method so every peer applies the same one.
            return MetaOp.StartTransfer(name, new ShardTransferInfo(Guid.NewGuid(), shardId, from, to, sync, method ?? ShardTransferMethod.StreamRecords));
        }

        switch (operation)
        {
            case MoveShard m:
                return StartTransfer(m.ShardId, m.FromPeerId, m.ToPeerId, m.Method, sync: false);
            case ReplicateShard r:
                return StartTransfer(r.ShardId, r.FromPeerId, r.ToPeerId, r.Method, sync: true);
            case AbortTransfer a:
                return Running(a.ShardId, a.FromPeerId, a.ToPeerId) is null
                    ? NoSuchTransfer(a.ShardId, a.FromPeerId, a.ToPeerId)
                    : MetaOp.AbortTransfer(name, a.ShardId, a.FromPeerId, a.ToPeerId, "user request");
            case RestartTransfer t:
                return Running(t.ShardId, t.FromPeerId, t.ToPeerId) is { } running
                    ? MetaOp.RestartTransfer(name, running with { Id = Guid.NewGuid(), Method = t.Method })
                    : NoSuchTransfer(t.ShardId, t.FromPeerId, t.ToPeerId);
            case DropReplica d:
                return (ShardMissing(d.ShardId) ?? PeerMissing(d.PeerId)) is { } missing ? missing : MetaOp.DropReplica(name, d.ShardId, d.PeerId);
            default:
                return ClusterOperationRules.BadRequest($"unknown cluster operation {operation.WireName}");
        }
    }
}
