using AotVector.Common.Errors;
using AotVector.Engine.Api;

namespace AotVector.Engine.Cluster;

/// <summary>
/// Shard transfers and replica removal, checked and applied as the reference's consensus does: a transfer starts
/// from an Active replica to a peer that becomes Partial, at most one transfer per shard touches a peer, finishing
/// makes the target Active (and drops the source of a move), aborting leaves a replicated target Dead and removes a
/// moved one. The caller holds the gate.
/// </summary>
public sealed partial class ClusterMetadata
{
    /// <summary>The transfers running in <paramref name="collection"/> (empty when it does not exist).</summary>
    public IReadOnlyList<ShardTransferInfo> Transfers(string collection)
    {
        lock (_gate)
        {
            return _collections.TryGetValue(collection, out var c) ? [.. c.Transfers] : [];
        }
    }

    private Result<bool> StartTransfer(MetaOp op)
    {
        if (op.Transfer is not { } transfer)
        {
            return ClusterOperationRules.BadRequest("a transfer operation needs its transfer");
        }

        if (!_collections.TryGetValue(op.Collection!, out var collection))
        {
            return AvError.CollectionNotFound(op.Collection!);
        }

        if (!collection.Shards.TryGetValue(transfer.ShardId, out var replicas))
        {
            return ClusterOperationRules.BadRequest($"Shard {transfer.ShardId} does not exist");
        }

        foreach (var peer in (ReadOnlySpan<ulong>)[transfer.From, transfer.To])
        {
            if (!_peers.ContainsKey(peer))
            {
                return ClusterOperationRules.BadRequest($"Peer {peer} does not exist");
            }
        }

        if (!replicas.TryGetValue(transfer.From, out var source) || source is not (ReplicaState.Active or ReplicaState.ReshardingScaleDown))
        {
            return ClusterOperationRules.BadRequest($"Shard {transfer.ShardId} is not active on peer {transfer.From}");
        }

        foreach (var running in collection.Transfers)
        {
            if (running.ShardId == transfer.ShardId
                && (running.From == transfer.From || running.To == transfer.From || running.From == transfer.To || running.To == transfer.To))
            {
                return ClusterOperationRules.BadRequest($"Shard {transfer.ShardId} is already involved in transfer {running.From} -> {running.To}");
            }
        }

        collection.Transfers.Add(transfer);
        replicas[transfer.To] = ReplicaState.Partial;
        return true;
    }

    private Result<bool> FinishTransfer(MetaOp op)
    {
        if (!FindTransfer(op, out var collection, out var transfer, out var missing))
        {
            return missing;
        }

        // A target that failed a write meanwhile (marked Dead) missed it: the transfer is aborted instead.
        if (collection.Shards.TryGetValue(transfer.ShardId, out var target) && target.TryGetValue(transfer.To, out var state) && state != ReplicaState.Partial)
        {
            return ClusterOperationRules.BadRequest($"Shard {transfer.ShardId} on peer {transfer.To} is {state}, not Partial: the transfer cannot finish");
        }

        collection.Transfers.Remove(transfer);
        if (collection.Shards.TryGetValue(transfer.ShardId, out var replicas))
        {
            if (replicas.ContainsKey(transfer.To))
            {
                replicas[transfer.To] = ReplicaState.Active;
            }

            if (!transfer.Sync)
            {
                replicas.Remove(transfer.From);
            }
        }

        return true;
    }

    private Result<bool> AbortTransfer(MetaOp op)
    {
        if (!FindTransfer(op, out var collection, out var transfer, out var missing))
        {
            return missing;
        }

        EndAborted(collection, transfer);
        return true;
    }

    /// <summary>Removes an aborted transfer: its target, missing points, is left Dead (replicate) or removed (move).</summary>
    private static void EndAborted(CollectionMetadata collection, ShardTransferInfo transfer)
    {
        collection.Transfers.Remove(transfer);
        if (collection.Shards.TryGetValue(transfer.ShardId, out var replicas) && replicas.ContainsKey(transfer.To))
        {
            if (transfer.Sync)
            {
                replicas[transfer.To] = ReplicaState.Dead;
            }
            else
            {
                replicas.Remove(transfer.To);
            }
        }
    }

    /// <summary>
    /// A replica marked Dead cannot take part in a transfer of its shard: the transfers from or to it are aborted,
    /// as the reference does, so its recovery (or the target's) can start a new one.
    /// </summary>
    private static void AbortTransfersOf(CollectionMetadata collection, uint shardId, ulong peerId)
    {
        foreach (var related in collection.Transfers.Where(t => t.ShardId == shardId && (t.From == peerId || t.To == peerId)).ToList())
        {
            EndAborted(collection, related);
        }
    }

    private Result<bool> RestartTransfer(MetaOp op)
    {
        if (!FindTransfer(op, out var collection, out var transfer, out var missing))
        {
            return missing;
        }

        var index = collection.Transfers.IndexOf(transfer);
        collection.Transfers[index] = transfer with { Id = op.Transfer!.Id, Method = op.Transfer.Method };
        if (collection.Shards.TryGetValue(transfer.ShardId, out var replicas) && replicas.ContainsKey(transfer.To))
        {
            replicas[transfer.To] = ReplicaState.Partial;
        }

        return true;
    }

    private Result<bool> DropReplica(MetaOp op)
    {
        if (!_collections.TryGetValue(op.Collection!, out var collection))
        {
            return AvError.CollectionNotFound(op.Collection!);
        }

        if (!collection.Shards.TryGetValue(op.ShardId, out var replicas))
        {
            return ClusterOperationRules.BadRequest($"Shard {op.ShardId} of {op.Collection} not found");
        }

        if (!replicas.ContainsKey(op.PeerId))
        {
            return ClusterOperationRules.BadRequest($"Peer {op.PeerId} has no replica of shard {op.ShardId}");
        }

        var othersActive = replicas.Any(r => r.Key != op.PeerId && r.Value is ReplicaState.Active or ReplicaState.ReshardingScaleDown);
        if (replicas.Count == 1 || !othersActive)
        {
            return ClusterOperationRules.BadRequest($"Shard {op.ShardId} must have at least one active replica after removing {op.PeerId}");
        }

        // Transfers of this shard from or to the peer cannot go on without the replica.
        foreach (var related in collection.Transfers.Where(t => t.ShardId == op.ShardId && (t.From == op.PeerId || t.To == op.PeerId)).ToList())
        {
            collection.Transfers.Remove(related);
            if (related.Sync && related.To != op.PeerId && replicas.ContainsKey(related.To))
            {
                replicas[related.To] = ReplicaState.Dead;
            }
            else if (!related.Sync && related.To != op.PeerId)
            {
                replicas.Remove(related.To);
            }
        }

        replicas.Remove(op.PeerId);
        return true;
    }

    private bool FindTransfer(MetaOp op, out CollectionMetadata collection, out ShardTransferInfo transfer, out AvError missing)
    {
        transfer = null!;
        missing = default!;
        if (!_collections.TryGetValue(op.Collection!, out collection!))
        {
            missing = AvError.CollectionNotFound(op.Collection!);
            return false;
        }

        var key = op.Transfer;
        var found = key is null ? null : collection.Transfers.Find(t => t.ShardId == key.ShardId && t.From == key.From && t.To == key.To);
        if (found is null)
        {
            missing = ClusterOperationRules.BadRequest($"There is no transfer for shard {key?.ShardId ?? op.ShardId} from {key?.From} to {key?.To}");
            return false;
        }

        // A finish names the transfer it completes; a later start between the same peers is another transfer.
        if (op.Kind == MetaOpKind.FinishTransfer && key!.Id != Guid.Empty && key.Id != found.Id)
        {
            missing = ClusterOperationRules.BadRequest($"There is no transfer for shard {key.ShardId} from {key.From} to {key.To}");
            return false;
        }

        transfer = found;
        return true;
    }
}
