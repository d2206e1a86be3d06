namespace AotVector.Server.Cluster;

/// <summary>
/// Local replicas follow transfers and dropped replicas: this peer as a transfer's target empties its replica once
/// for that transfer; a replica the metadata no longer places here (moved away, dropped) is deleted. Only once this
/// peer has caught up with the log: a replaying peer's metadata is an older state, in which a replica received
/// later does not exist yet and must not be deleted.
/// </summary>
internal sealed partial class LocalMetadataApplier
{
    /// <summary>True once this peer has applied all the log it knows is committed (set by the host).</summary>
    public Func<bool>? CaughtUp { get; set; }

    public void TransfersChanged(string collection) => Enqueue(() => FollowTransfers(collection));

    private void FollowTransfers(string name)
    {
        if (Metadata?.Collection(name) is not { } agreed)
        {
            return;
        }

        if (CaughtUp?.Invoke() != true)
        {
            Place(name);
            return;
        }

        var self = Metadata.LocalPeerId;
        foreach (var transfer in agreed.Transfers)
        {
            if (transfer.To == self)
            {
                Report(_engine.PrepareTransferTarget(name, transfer.ShardId, transfer.Id), "prepare the transfer target of", name);
            }
        }

        // A target starts empty, so it gets the agreed payload indexes before the points arrive (replicas that have them are left alone).
        if (agreed.Transfers.Any(t => t.To == self))
        {
            foreach (var (field, index) in agreed.PayloadIndexes)
            {
                Report(_engine.SyncAgreedFieldIndex(name, field, index), $"create the payload index `{field}` of collection", name);
            }
        }

        var placed = agreed.ShardsOn(self).ToHashSet();
        foreach (var shard in _engine.LocalReplicaIds(name))
        {
            if (!placed.Contains(shard))
            {
                Report(_engine.DropLocalReplica(name, shard), "drop a replica of", name);
            }
        }

        Place(name);
    }
}
