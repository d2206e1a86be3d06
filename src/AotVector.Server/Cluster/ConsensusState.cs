using System.Collections.Concurrent;
using AotVector.Common.Errors;
using AotVector.Engine.Cluster;

namespace AotVector.Server.Cluster;

/// <summary>
/// What the consensus state machine shares with the rest of the peer: the metadata it applies to, where it keeps
/// its snapshots, when it compacts, and the proposals waiting here for their answer (by operation id, completed when
/// the operation is applied on this peer, whichever peer proposed it to the leader).
/// </summary>
internal sealed class ConsensusState(ClusterMetadata metadata, string snapshotDirectory, int compactWalEntries)
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<Result<bool>>> _waiting = new();

    public ClusterMetadata Metadata { get; } = metadata;

    public DirectoryInfo SnapshotDirectory { get; } = new(snapshotDirectory);

    /// <summary><c>compact_wal_entries</c>: a snapshot after this many applied entries; 0 never.</summary>
    public int CompactWalEntries { get; } = compactWalEntries;

    /// <summary>The task completes with the operation's answer once it is applied on this peer.</summary>
    public Task<Result<bool>> Expect(Guid opId) =>
        _waiting.GetOrAdd(opId, static _ => new TaskCompletionSource<Result<bool>>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Forget(Guid opId) => _waiting.TryRemove(opId, out _);

    public void Applied(Guid opId, Result<bool> result)
    {
        if (_waiting.TryRemove(opId, out var waiter))
        {
            waiter.TrySetResult(result);
        }
    }
}
