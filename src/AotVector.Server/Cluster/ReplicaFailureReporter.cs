using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;
using AotVector.Engine.Ports;

namespace AotVector.Server.Cluster;

/// <summary>
/// Turns a replica that failed a write the others took into a proposal to mark it Dead, from the state the
/// coordinator saw (so a stale report changes nothing). The returned task completes once consensus has decided:
/// the replica is Dead, or it had already left that state (either way it is no longer active). It faults when the
/// cluster did not apply the proposal in time.
/// </summary>
internal sealed partial class ReplicaFailureReporter(Func<MetaProposer?> proposer, ILogger logger) : IReplicaFailures
{
    public async Task ReplicaFailed(string collection, uint shardId, ulong peerId, ReplicaState? from, AvError error)
    {
        ReplicaFailing(logger, shardId, collection, peerId, error.Message);
        if (proposer() is not { } p)
        {
            throw new InvalidOperationException("this peer is not connected to the cluster yet");
        }

        var result = await p.ProposeAsync(MetaOp.SetReplicaState(collection, shardId, peerId, ReplicaState.Dead, from), MetaProposer.DefaultTimeout, CancellationToken.None).ConfigureAwait(false);
        if (!result.IsOk && result.Error.Kind is ErrorKind.Timeout or ErrorKind.Unavailable)
        {
            throw new InvalidOperationException(result.Error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: the replica of shard {ShardId} of collection `{Collection}` on peer {PeerId} failed a write and is reported dead: {Reason}")]
    private static partial void ReplicaFailing(ILogger logger, uint shardId, string collection, ulong peerId, string reason);
}
