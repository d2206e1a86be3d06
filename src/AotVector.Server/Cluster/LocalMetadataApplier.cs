using System.Threading.Channels;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;

namespace AotVector.Server.Cluster;

/// <summary>
/// Carries agreed metadata changes into the local engine, in log order, on a task of its own: the log applies them
/// while it replays at startup, before the engine has finished loading its collections, and a consensus apply must
/// not wait on disk work. A collection is created here with only the shards placed on this peer; its replica sets
/// then follow the agreed replicas and states (read from the metadata when the change is applied, so a replay
/// converges to the current state). Replicas this peer has created and that are still Initializing are proposed
/// Active, as the reference's peers do.
/// </summary>
internal sealed partial class LocalMetadataApplier : IClusterMetadataListener
{
    private readonly VectorEngine _engine;
    private readonly ILogger _logger;
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public LocalMetadataApplier(VectorEngine engine, ILogger logger)
    {
        _engine = engine;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Proposes a metadata operation within a time (set before <see cref="Start"/>).</summary>
    public Func<MetaOp, TimeSpan, Task<AotVector.Common.Errors.Result<bool>>>? Propose { get; set; }

    /// <summary>Lets queued changes reach the engine (once it has loaded): call when <see cref="Propose"/> works.</summary>
    public void Start() => _started.TrySetResult();

    public void CollectionCreated(string name, string config, IReadOnlyList<uint> localShards) =>
        Enqueue(() => CreateAndPlace(name, config));

    /// <summary>
    /// Creates the collection with this peer's shards if it is missing, gives it the agreed replicas, and proposes
    /// this peer's Initializing replicas Active. Nothing when the metadata no longer has it (deleted meanwhile).
    /// </summary>
    private void CreateAndPlace(string name, string config)
    {
        if (Metadata?.Collection(name) is not { } agreed)
        {
            return;
        }

        var self = Metadata.LocalPeerId;
        var local = agreed.ShardsOn(self).ToList();
        if (!_engine.CreateAgreedCollection(name, config, local).TryGet(out _, out var error))
        {
            LocalApplyFailed(_logger, "create collection", name, error.Message);
            return;
        }

        Place(name);
        SyncSchema(agreed);
        foreach (var (shard, replicas) in agreed.Shards)
        {
            if (replicas.TryGetValue(self, out var state) && state == ReplicaState.Initializing)
            {
                _ = ActivateAsync(MetaOp.SetReplicaState(name, shard, self, ReplicaState.Active, ReplicaState.Initializing));
            }
        }
    }

    // Retried while the cluster has no leader or no quorum, as the reference's sync loop re-proposes it; a refusal
    // (the replica left Initializing meanwhile, the collection is gone) ends it.
    private async Task ActivateAsync(MetaOp op)
    {
        for (var attempt = 0; attempt < 30 && Propose is { } propose; attempt++)
        {
            try
            {
                var result = await propose(op, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                if (result.IsOk || result.Error.Kind is not (AotVector.Common.Errors.ErrorKind.Timeout or AotVector.Common.Errors.ErrorKind.Unavailable))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Place(string name)
    {
        if (Metadata?.Collection(name) is { } agreed)
        {
            Report(_engine.PlaceAgreedCollection(name, agreed.Shards), "place the replicas of collection", name);
        }
    }

    public void CollectionDeleted(string name) =>
        Enqueue(() => Report(_engine.DeleteAgreedCollection(name), "delete collection", name));

    public void AliasesChanged(IReadOnlyList<AliasChange> changes) => Enqueue(null);

    public void ReplicaStateChanged(string collection, uint shardId, ulong peerId, ReplicaState state) =>
        Enqueue(() => Place(collection));

    public void PeerRemoved(ulong peerId)
    {
        var metadata = Metadata;
        Enqueue(() =>
        {
            foreach (var collection in metadata?.Collections ?? [])
            {
                Place(collection.Name);
            }
        });
    }

    public void Reset(ClusterMetadata metadata)
    {
        var collections = metadata.Collections;
        Enqueue(() =>
        {
            var agreed = collections.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var collection in collections)
            {
                CreateAndPlace(collection.Name, collection.Config);
            }

            // Never deleted from here: a collection the metadata does not know may hold data from before cluster mode.
            foreach (var local in _engine.LocalCollectionNames())
            {
                if (!agreed.Contains(local))
                {
                    UnknownCollection(_logger, local);
                }
            }

            SyncAliases();
        });
    }

    /// <summary>Completes once every change queued before the call has reached the engine.</summary>
    public Task DrainedAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Writer.TryWrite(done.SetResult);
        return done.Task;
    }

    /// <summary>The metadata whose aliases the next alias sync copies (set once, before the log replays).</summary>
    public ClusterMetadata? Metadata { get; set; }

    private void Enqueue(Action? action)
    {
        // Aliases are synced as a whole from the metadata after every change, so a replay converges to the agreed set.
        _work.Writer.TryWrite(action ?? SyncAliases);
    }

    private void SyncAliases()
    {
        if (Metadata is { } metadata)
        {
            Report(_engine.SetAgreedAliases(metadata.Aliases), "update aliases", "");
        }
    }

    private async Task RunAsync()
    {
        await _engine.Loaded.ConfigureAwait(false);
        await _started.Task.ConfigureAwait(false);
        await foreach (var action in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                action();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                LocalApplyFailed(_logger, "apply", "", e.Message);
            }
        }
    }

    private void Report(AotVector.Common.Errors.Result<bool> result, string what, string name)
    {
        if (!result.TryGet(out _, out var error))
        {
            LocalApplyFailed(_logger, what, name, error.Message);
        }
    }

    public void Complete()
    {
        _work.Writer.TryComplete();
        _started.TrySetResult();
    }

    public Task Completion => _loop;

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: collection `{Name}` is stored on this peer but not in the cluster's metadata; it is left as it is")]
    private static partial void UnknownCollection(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "cluster: could not {What} `{Name}` on this peer as agreed: {Reason}")]
    private static partial void LocalApplyFailed(ILogger logger, string what, string name, string reason);
}
