using System.Threading.Channels;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;

namespace AotVector.Server.Cluster;

/// <summary>
/// Carries agreed metadata changes into the local engine, in log order, on a task of its own: the log applies them
/// while it replays at startup, before the engine has finished loading its collections, and a consensus apply must
/// not wait on disk work. Every collection is created on every peer for now, with its agreed configuration.
/// This is the seam where local shards will be created from the placement (<c>localShards</c>) and replica states
/// will reach the replica sets.
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

    public void CollectionCreated(string name, string config, IReadOnlyList<uint> localShards) =>
        Enqueue(() => Report(_engine.CreateAgreedCollection(name, config), "create collection", name));

    public void CollectionDeleted(string name) =>
        Enqueue(() => Report(_engine.DeleteAgreedCollection(name), "delete collection", name));

    public void AliasesChanged(IReadOnlyList<AliasChange> changes) => Enqueue(null);

    public void ReplicaStateChanged(string collection, uint shardId, ulong peerId, ReplicaState state)
    {
        // Replica sets read the agreed states once shards are placed; nothing local to do until then.
    }

    public void Reset(ClusterMetadata metadata)
    {
        var collections = metadata.Collections;
        Enqueue(() =>
        {
            var agreed = collections.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var collection in collections)
            {
                Report(_engine.CreateAgreedCollection(collection.Name, collection.Config), "create collection", collection.Name);
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

    public void Complete() => _work.Writer.TryComplete();

    public Task Completion => _loop;

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: collection `{Name}` is stored on this peer but not in the cluster's metadata; it is left as it is")]
    private static partial void UnknownCollection(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "cluster: could not {What} `{Name}` on this peer as agreed: {Reason}")]
    private static partial void LocalApplyFailed(ILogger logger, string what, string name, string reason);
}
