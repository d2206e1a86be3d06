using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Shards;

/// <summary>
/// One shard of a cluster collection over all its replicas: this peer's copy (if it holds one) and the copies on
/// other peers, each in the <see cref="ReplicaState"/> consensus gave it. A write goes to every updatable replica at
/// once and is acknowledged when <c>min(write_consistency_factor, replicas)</c> of them took it; replicas that
/// failed it are reported (<see cref="IReplicaFailures"/>) so consensus marks them dead. A read is served by this
/// peer's replica when it is readable, else by another readable one, trying the next on failure; with a read
/// consistency above one it asks several and keeps what they agree on.
/// </summary>
/// <remarks>
/// <see cref="IShard"/> is synchronous, so a remote replica's call blocks its thread; the replicas of one write or
/// one multi-replica read run in parallel on the thread pool. The set owns the remote handles it made, not the local
/// shard (its collection does).
/// </remarks>
public sealed partial class ReplicaSet : IShard
{
    /// <summary>How long a write with <c>wait</c> waits for consensus to deactivate a replica that failed it.</summary>
    public static readonly TimeSpan DefaultDeactivationTimeout = TimeSpan.FromSeconds(30);

    private readonly string _collection;
    private readonly ulong _thisPeer;
    private IShard? _local;
    private readonly IRemoteShards _remotes;
    private readonly IReplicaFailures _failures;
    private readonly TimeSpan _deactivationTimeout;
    private readonly Lock _gate = new();
    private readonly HashSet<ulong> _disabled = [];
    private Replica[] _replicas = [];
    private int _writeConsistencyFactor;

    public ReplicaSet(
        string collection,
        uint shardId,
        ulong thisPeer,
        IShard? local,
        IRemoteShards remotes,
        IReplicaFailures failures,
        int writeConsistencyFactor = 1,
        TimeSpan? deactivationTimeout = null)
    {
        _collection = collection;
        ShardId = shardId;
        _thisPeer = thisPeer;
        _local = local;
        _remotes = remotes;
        _failures = failures;
        _writeConsistencyFactor = Math.Max(1, writeConsistencyFactor);
        _deactivationTimeout = deactivationTimeout ?? DefaultDeactivationTimeout;
    }

    /// <summary>One replica: the peer holding it, its state, and the shard to call (null: this peer's copy is not open).</summary>
    private sealed record Replica(ulong PeerId, ReplicaState State, IShard? Shard);

    public uint ShardId { get; }

    public int WriteConsistencyFactor
    {
        get => Volatile.Read(ref _writeConsistencyFactor);
        set => Volatile.Write(ref _writeConsistencyFactor, Math.Max(1, value));
    }

    /// <summary>Every replica's state, by peer id, as consensus last set it.</summary>
    public IReadOnlyDictionary<ulong, ReplicaState> States =>
        Volatile.Read(ref _replicas).ToDictionary(r => r.PeerId, r => r.State);

    /// <summary>Peers this set stopped writing to after a failed write, until consensus sets their state again.</summary>
    public IReadOnlyCollection<ulong> LocallyDisabled
    {
        get
        {
            lock (_gate)
            {
                return [.. _disabled];
            }
        }
    }

    /// <summary>Adds the replica on <paramref name="peerId"/> or changes its state (what consensus applies).</summary>
    public void SetReplica(ulong peerId, ReplicaState state)
    {
        lock (_gate)
        {
            var replicas = _replicas;
            var index = Array.FindIndex(replicas, r => r.PeerId == peerId);
            var shard = index >= 0 ? replicas[index].Shard
                : peerId == _thisPeer ? _local
                : _remotes.Connect(peerId, _collection, ShardId);
            var updated = new Replica(peerId, state, shard);
            _replicas = index >= 0 ? [.. replicas[..index], updated, .. replicas[(index + 1)..]] : [.. replicas, updated];

            // A state from consensus supersedes this peer's own decision to stop writing there.
            _disabled.Remove(peerId);
        }
    }

    /// <summary>
    /// Makes <paramref name="shard"/> this peer's replica (a transfer target starts from an empty one; null when the
    /// replica is dropped here). Writes already running finish on the replica they started on.
    /// </summary>
    public void AttachLocal(IShard? shard)
    {
        lock (_gate)
        {
            _local = shard;
            var replicas = _replicas;
            var index = Array.FindIndex(replicas, r => r.PeerId == _thisPeer);
            if (index >= 0)
            {
                _replicas = [.. replicas[..index], replicas[index] with { Shard = shard }, .. replicas[(index + 1)..]];
            }
        }
    }

    /// <summary>Drops the replica on <paramref name="peerId"/>; false if there was none.</summary>
    public bool RemoveReplica(ulong peerId)
    {
        Replica? removed;
        lock (_gate)
        {
            removed = Array.Find(_replicas, r => r.PeerId == peerId);
            if (removed is null)
            {
                return false;
            }

            _replicas = Array.FindAll(_replicas, r => r.PeerId != peerId);
            _disabled.Remove(peerId);
        }

        if (removed.PeerId != _thisPeer)
        {
            removed.Shard?.Dispose();
        }

        return true;
    }

    /// <summary>
    /// A write with an ordering: weak is coordinated here; medium by the live replica with the highest peer id,
    /// strong by the replica with the highest peer id (down or not), as the reference picks the shard's leader. A
    /// write whose leader is another peer is forwarded to it, which coordinates it over every replica.
    /// </summary>
    public Result<UpdateResult> Update(UpdateOperation operation, bool wait, WriteOrdering ordering)
    {
        if (ordering == WriteOrdering.Weak)
        {
            return Update(operation, wait);
        }

        var replicas = Volatile.Read(ref _replicas);
        var candidates = ordering == WriteOrdering.Strong
            ? replicas
            : replicas.Where(r => r.State is ReplicaState.Active or ReplicaState.ActiveRead && !IsDisabled(r.PeerId)).ToArray();
        if (candidates.Length == 0)
        {
            return new AvError(ErrorKind.Unavailable, $"Service unavailable: shard {ShardId} has no active replica to coordinate a write with `{(ordering == WriteOrdering.Medium ? "medium" : "strong")}` ordering");
        }

        var leader = candidates.Max(r => r.PeerId);
        return leader == _thisPeer ? Update(operation, wait) : _remotes.Coordinate(leader, _collection, ShardId, operation, wait);
    }

    public Result<UpdateResult> Update(UpdateOperation operation, bool wait)
    {
        var replicas = Volatile.Read(ref _replicas);
        var targets = replicas.Where(r => r.Shard is not null && r.State.IsUpdatable() && !IsDisabled(r.PeerId)).ToArray();
        if (targets.Length == 0)
        {
            return AvError.Internal($"The replica set for shard {ShardId} on peer {_thisPeer} has no active replica");
        }

        var outcomes = RunOnAll(targets, replica =>
        {
            // This peer as a listener is a backup: it need not make the write visible before the others answer.
            var replicaWait = wait && !(replica.PeerId == _thisPeer && replica.State == ReplicaState.Listener);
            return replica.Shard!.Update(operation, replicaWait);
        });

        var successes = new List<(Replica Replica, UpdateResult Result)>(targets.Length);
        var failures = new List<(Replica Replica, AvError Error)>();
        for (var i = 0; i < targets.Length; i++)
        {
            if (outcomes[i].TryGet(out var ok, out var error))
            {
                successes.Add((targets[i], ok));
            }
            else
            {
                failures.Add((targets[i], error));
            }
        }

        var failureText = failures.Count > 0 ? $" Failed peer: {failures[0].Replica.PeerId}, error: {failures[0].Error.Message}" : "";
        if (failures.Count > 0)
        {
            var minimalSuccesses = Math.Min(WriteConsistencyFactor, replicas.Length);
            if (successes.Count < minimalSuccesses)
            {
                return failures[0].Error;
            }

            // A replica that completed the write shows the failure is the failed replica's own, whatever its kind;
            // otherwise only transient failures (the replica may simply be down) take a replica out.
            var anyCompleted = successes.Any(s => s.Result.Status == UpdateStatus.Completed);
            var toDeactivate = failures.Where(f => anyCompleted || IsTransient(f.Error.Kind));
            var pending = Deactivate(toDeactivate);
            if (wait && pending.Count > 0 && !WaitForDeactivation(pending))
            {
                return AvError.Internal(
                    $"Some replica of shard {ShardId} failed to apply operation and deactivation timed out after {_deactivationTimeout.TotalSeconds:0} seconds. "
                    + "Consistency of this update is not guaranteed. Please retry." + failureText);
            }
        }

        if (!successes.Any(s => s.Replica.State.CanBeSourceOfTruth()))
        {
            return AvError.Internal("Failed to apply operation to at least one `Active` replica. Consistency of this update is not guaranteed. Please retry." + failureText);
        }

        return Merge(successes);
    }

    /// <summary>
    /// The answer of a write that enough replicas took: the highest peer's (so every coordinator answers alike),
    /// with the least settled status any replica reported.
    /// </summary>
    private static UpdateResult Merge(List<(Replica Replica, UpdateResult Result)> successes)
    {
        var chosen = successes.MaxBy(s => s.Replica.PeerId).Result;
        var status = successes.Select(s => s.Result.Status).MaxBy(StatusPriority);
        return chosen with { Status = status };
    }

    private static int StatusPriority(UpdateStatus status) => status switch
    {
        UpdateStatus.WaitTimeout => 2,
        UpdateStatus.Completed => 1,
        _ => 0,
    };

    /// <summary>Errors that say a replica could not take the write now, not that the write was wrong.</summary>
    private static bool IsTransient(ErrorKind kind) => kind switch
    {
        ErrorKind.Unavailable or ErrorKind.Timeout or ErrorKind.Internal or ErrorKind.Cancelled or ErrorKind.RateLimited
            or ErrorKind.InsufficientStorage or ErrorKind.DataLoss => true,
        _ => false,
    };

    /// <summary>
    /// Stops writing to the failed replicas and reports them; answers the reports a waiting write must see applied:
    /// those of replicas that may come back on their own (a transient failure) or were still initializing. A dead
    /// or listener replica's failure is not reported, nor a missing point on a transfer target that has not
    /// received it yet.
    /// </summary>
    private List<Task> Deactivate(IEnumerable<(Replica Replica, AvError Error)> failures)
    {
        var pending = new List<Task>();
        foreach (var (replica, error) in failures)
        {
            var state = replica.State;
            if (state is ReplicaState.Dead or ReplicaState.Listener)
            {
                continue;
            }

            if (state.IsPartialOrRecovery() && error.Kind is ErrorKind.NotFound or ErrorKind.PreconditionFailed)
            {
                continue;
            }

            lock (_gate)
            {
                _disabled.Add(replica.PeerId);
            }

            Task report;
            try
            {
                // A transfer target is marked dead from whatever state it reached.
                report = _failures.ReplicaFailed(_collection, ShardId, replica.PeerId, state.IsPartialOrRecovery() ? null : state, error);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
            {
                report = Task.FromException(e);
            }

            if (IsTransient(error.Kind) || state == ReplicaState.Initializing)
            {
                pending.Add(report);
            }
        }

        return pending;
    }

    private bool WaitForDeactivation(List<Task> pending)
    {
        try
        {
            return Task.WhenAll(pending).Wait(_deactivationTimeout);
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    private bool IsDisabled(ulong peerId)
    {
        lock (_gate)
        {
            return _disabled.Contains(peerId);
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on every replica at once (the first on this thread) and answers their results in
    /// order; an exception from a replica becomes its error.
    /// </summary>
    private static Result<T>[] RunOnAll<T>(IReadOnlyList<Replica> replicas, Func<Replica, Result<T>> call)
    {
        var results = new Result<T>[replicas.Count];
        Result<T> Guarded(Replica replica)
        {
            try
            {
                return call(replica);
            }
            catch (ShardUnavailableException e)
            {
                return e.Error;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or InvalidDataException or OperationCanceledException)
            {
                return AvError.Internal($"replica of shard on peer {replica.PeerId} failed: {e.Message}");
            }
        }

        if (replicas.Count == 1)
        {
            results[0] = Guarded(replicas[0]);
            return results;
        }

        var others = new Task<Result<T>>[replicas.Count - 1];
        for (var i = 1; i < replicas.Count; i++)
        {
            var replica = replicas[i];
            others[i - 1] = Task.Run(() => Guarded(replica));
        }

        results[0] = Guarded(replicas[0]);
        for (var i = 1; i < replicas.Count; i++)
        {
            results[i] = others[i - 1].GetAwaiter().GetResult();
        }

        return results;
    }

    public void Dispose()
    {
        Replica[] replicas;
        lock (_gate)
        {
            replicas = _replicas;
            _replicas = [];
        }

        foreach (var replica in replicas)
        {
            if (replica.PeerId != _thisPeer)
            {
                replica.Shard?.Dispose();
            }
        }
    }
}
