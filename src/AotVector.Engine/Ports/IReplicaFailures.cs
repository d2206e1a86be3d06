using AotVector.Common.Errors;
using AotVector.Engine.Api;

namespace AotVector.Engine.Ports;

/// <summary>
/// Where a replica set reports a replica that failed a write the others took. Consensus turns the report into a
/// <see cref="ReplicaState.Dead"/> state, only if the replica is still in state <paramref name="from"/> (null: in
/// whatever state, for the targets of a transfer), so a stale report changes nothing. The returned task completes
/// once the replica is no longer active on this peer, and faults if that could not be agreed.
/// </summary>
public interface IReplicaFailures
{
    Task ReplicaFailed(string collection, uint shardId, ulong peerId, ReplicaState? from, AvError error);
}
