using AotVector.Common.Errors;

namespace AotVector.Engine.Api;

/// <summary>
/// The checks of a <see cref="ClusterOperation"/> that need no cluster state, worded as the reference's, and the
/// refusals of what is not built yet. The front ends put their envelope around a validation problem.
/// </summary>
public static class ClusterOperationRules
{
    /// <summary>The refusal when the node runs standalone (the reference's words and status: REST 405, gRPC UNIMPLEMENTED).</summary>
    public static AvError StandaloneMode { get; } = new(ErrorKind.Unimplemented, "Qdrant is running in standalone mode");

    /// <summary>A cluster change the agreed state refuses, worded as the reference's "Bad request" (400).</summary>
    public static AvError BadRequest(string detail) => new(ErrorKind.BadRequest, "Bad request: " + detail);

    /// <summary>A field's problem as (field path, problem), or null when the operation's fields are consistent.</summary>
    public static (string Field, string Problem)? Validate(ClusterOperation operation) => operation switch
    {
        MoveShard m => DifferentPeers(operation, m.FromPeerId, m.ToPeerId, m.ShardId, m.ToShardId),
        ReplicateShard r => DifferentPeers(operation, r.FromPeerId, r.ToPeerId, r.ShardId, r.ToShardId),
        AbortTransfer a => DifferentPeers(operation, a.FromPeerId, a.ToPeerId, a.ShardId, a.ToShardId),
        RestartTransfer t => DifferentPeers(operation, t.FromPeerId, t.ToPeerId, t.ShardId, t.ToShardId),
        _ => null,
    };

    /// <summary>What the operation asks that is not built yet (another method than stream_records, a different target shard), or null.</summary>
    public static AvError? Unsupported(ClusterOperation operation)
    {
        var (method, toShard, shard) = operation switch
        {
            MoveShard m => (m.Method, m.ToShardId, m.ShardId),
            ReplicateShard r => (r.Method, r.ToShardId, r.ShardId),
            RestartTransfer t => (t.Method, t.ToShardId, t.ShardId),
            AbortTransfer a => ((ShardTransferMethod?)null, a.ToShardId, a.ShardId),
            _ => ((ShardTransferMethod?)null, (uint?)null, 0u),
        };

        if (method is { } m2 && m2 != ShardTransferMethod.StreamRecords)
        {
            return AvError.BadRequest($"the shard transfer method `{MethodName(m2)}` is not supported yet, use `stream_records`");
        }

        return toShard is { } to && to != shard ? AvError.BadRequest("transfers between different shard ids (`to_shard_id`) are not supported yet") : null;
    }

    /// <summary>The method's name on the REST wire.</summary>
    public static string MethodName(ShardTransferMethod method) => method switch
    {
        ShardTransferMethod.StreamRecords => "stream_records",
        ShardTransferMethod.Snapshot => "snapshot",
        ShardTransferMethod.WalDelta => "wal_delta",
        ShardTransferMethod.ReshardingStreamRecords => "resharding_stream_records",
        _ => method.ToString(),
    };

    // The reference lets a shard go to the same peer only when the target shard id differs.
    private static (string, string)? DifferentPeers(ClusterOperation operation, ulong from, ulong to, uint shard, uint? toShard) =>
        from != to || (toShard is { } t && t != shard)
            ? null
            : ($"{operation.WireName}.to_peer_id", $"cannot transfer shard to itself, \"to_peer_id\" must be different than {from} in \"from_peer_id\"");
}
