using System.Collections.Concurrent;
using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;
using AotVector.Engine.Shards;

namespace AotVector.Server.Cluster;

/// <summary>
/// Runs this peer's side of shard transfers and recovers its dead replicas, as the reference's peers do in their
/// sync loop. A transfer whose source is this peer is streamed (<c>stream_records</c>): once the target has emptied
/// its replica for it, the source's points go over in batches of insert-only upserts while every write the source
/// applies is forwarded to the target (<see cref="TransferForward"/>); then the transfer is proposed finished, or
/// aborted when it cannot go on. As a transfer's target, this peer aborts it when the source stops answering. A
/// replica of this peer that is Dead, with an Active replica elsewhere, gets a transfer to itself (one incoming
/// transfer per collection at a time).
/// </summary>
internal sealed partial class ShardTransferDriver : IAsyncDisposable
{
    /// <summary>Points per streamed batch, as the reference's stream_records.</summary>
    private const int BatchSize = 100;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan TargetReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RecoveryRetry = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SourceCheck = TimeSpan.FromSeconds(1);

    /// <summary>How long a transfer's source may stay unreachable before its target aborts the transfer.</summary>
    private static readonly TimeSpan SourceSilenceLimit = TimeSpan.FromSeconds(10);

    private readonly ConsensusNode _node;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Guid, Task> _running = new();
    private readonly ConcurrentDictionary<Guid, Task> _watching = new();
    private readonly Dictionary<(string, uint), (DateTime At, int Attempts)> _recoveries = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public ShardTransferDriver(ConsensusNode node, ILogger logger)
    {
        _node = node;
        _logger = logger;
    }

    public void Start() => _loop = Task.Run(LoopAsync);

    private async Task LoopAsync()
    {
        for (var tick = 0; !_stop.IsCancellationRequested; tick++)
        {
            try
            {
                await Task.Delay(Tick, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Nothing is decided from a metadata that is still catching up with the log.
            if (_node.NotReadyReason is not null)
            {
                continue;
            }

            foreach (var collection in _node.Metadata.Collections)
            {
                foreach (var transfer in collection.Transfers)
                {
                    if (transfer.From == _node.PeerId && !_running.ContainsKey(transfer.Id))
                    {
                        _running[transfer.Id] = Task.Run(() => RunAsync(collection.Name, transfer));
                    }
                    else if (transfer.To == _node.PeerId && !_watching.ContainsKey(transfer.Id))
                    {
                        _watching[transfer.Id] = Task.Run(() => WatchSourceAsync(collection.Name, transfer));
                    }
                }

                if (tick % 5 == 0)
                {
                    // Local replicas follow the agreed ones (a target prepared, a moved or dropped replica removed),
                    // also after a restart or an installed snapshot that no single change announced.
                    _node.Applier.TransfersChanged(collection.Name);
                    Recover(collection);
                }
            }
        }
    }

    /// <summary>Proposes a transfer to each Dead replica here from an Active one elsewhere, one per collection at a time.</summary>
    private void Recover(CollectionMetadata collection)
    {
        var self = _node.PeerId;
        if (collection.Transfers.Any(t => t.To == self))
        {
            return;
        }

        foreach (var (shard, replicas) in collection.Shards)
        {
            if (!replicas.TryGetValue(self, out var state) || state != ReplicaState.Dead)
            {
                continue;
            }

            var sources = replicas.Where(r => r.Key != self && r.Value == ReplicaState.Active).Select(r => r.Key).ToList();
            var key = (collection.Name, shard);
            var last = _recoveries.GetValueOrDefault(key);
            if (sources.Count == 0 || DateTime.UtcNow - last.At < RecoveryRetry)
            {
                continue;
            }

            // Another source on each attempt: one that is down (and still Active) would fail every time.
            var source = sources[last.Attempts % sources.Count];
            _recoveries[key] = (DateTime.UtcNow, last.Attempts + 1);
            var transfer = new ShardTransferInfo(Guid.NewGuid(), shard, source, self, true, ShardTransferMethod.StreamRecords);
            RecoveryStarting(_logger, shard, collection.Name, source);
            _ = _node.Proposer.ProposeAsync(MetaOp.StartTransfer(collection.Name, transfer), MetaProposer.DefaultTimeout, _stop.Token);
            return;
        }
    }

    private async Task RunAsync(string collection, ShardTransferInfo transfer)
    {
        using var outgoing = new Outgoing();
        try
        {
            var failure = await StreamAsync(collection, transfer, outgoing).ConfigureAwait(false);
            if (!StillRunning(collection, transfer))
            {
                return;
            }

            if (failure is null)
            {
                // Writes are still forwarded until the finish is applied here: from then on every peer that applied it
                // writes to the target as an Active replica, and one that has not yet still writes to it as Partial.
                var finished = await _node.Proposer.ProposeAsync(MetaOp.FinishTransfer(collection, transfer), MetaProposer.DefaultTimeout, _stop.Token).ConfigureAwait(false);
                if (finished.IsOk)
                {
                    TransferFinished(_logger, transfer.ShardId, collection, transfer.From, transfer.To);
                    return;
                }

                failure = finished.Error.Message;
            }

            TransferFailed(_logger, transfer.ShardId, collection, transfer.From, transfer.To, failure);
            await _node.Proposer.ProposeAsync(MetaOp.AbortTransfer(collection, transfer.ShardId, transfer.From, transfer.To, failure), MetaProposer.DefaultTimeout, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _running.TryRemove(transfer.Id, out _);
        }
    }

    /// <summary>
    /// Streams the source's points to the target with this replica's writes forwarded there (left running in
    /// <paramref name="outgoing"/> for the finish); null when all went, else why not.
    /// </summary>
    private async Task<string?> StreamAsync(string collection, ShardTransferInfo transfer, Outgoing outgoing)
    {
        var target = _node.Metadata.Peers.GetValueOrDefault(transfer.To);
        if (target is null)
        {
            return $"peer {transfer.To} is not part of the cluster";
        }

        var ready = JsonSerializer.SerializeToUtf8Bytes(new TransferReadyRequest(collection, transfer.ShardId, transfer.Id), TransferJsonContext.Default.TransferReadyRequest);
        var deadline = DateTime.UtcNow + TargetReadyTimeout;
        while (true)
        {
            if (!StillRunning(collection, transfer))
            {
                return null;
            }

            var answer = await _node.PostAsync(new Uri(target), TransferEndpoints.ReadyPath, ready, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            if (answer.IsOk)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                return $"the target did not prepare its replica: {answer.Error.Message}";
            }

            await Task.Delay(Tick, _stop.Token).ConfigureAwait(false);
        }

        // From here every write this replica applies reaches the target: through the forward, or in a batch read
        // after it. No wait for the other peers to apply the start is needed: a write they send only here is forwarded.
        var remote = outgoing.Remote = _node.Remotes.Connect(transfer.To, collection, transfer.ShardId);
        TransferForward? started;
        AvError error;

        // A restarted transfer's previous run may still hold the replica's forward for a moment.
        while (!_node.Engine.StartTransferForward(collection, transfer.ShardId, remote).TryGet(out started, out error))
        {
            if (DateTime.UtcNow > deadline || !StillRunning(collection, transfer))
            {
                return "forwarding writes to the target failed: " + error.Message;
            }

            await Task.Delay(Tick, _stop.Token).ConfigureAwait(false);
        }

        outgoing.Forward = started;
        var sent = 0;
        while (!started.Complete)
        {
            if (!StillRunning(collection, transfer))
            {
                return null;
            }

            var batch = await Task.Run(() => started.SendNext(BatchSize, points => SendWithRetries(remote, points))).ConfigureAwait(false);
            if (!batch.TryGet(out var count, out error))
            {
                return "sending points to the target failed: " + error.Message;
            }

            if (started.Failure is { } failed)
            {
                return "forwarding a write to the target failed: " + failed.Message;
            }

            sent += count;
        }

        TransferStreamed(_logger, sent, transfer.ShardId, collection, transfer.To);
        return started.Failure is { } late ? "forwarding a write to the target failed: " + late.Message : null;
    }

    private AvError? SendWithRetries(Engine.Ports.IShard remote, Engine.Operations.UpsertPoints batch)
    {
        AvError last = default;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (remote.Update(batch, wait: true).TryGet(out _, out last))
            {
                return null;
            }

            Thread.Sleep(Tick * (attempt + 1));
        }

        return last;
    }

    /// <summary>An outgoing transfer's forward and its handle on the target, released in that order.</summary>
    private sealed class Outgoing : IDisposable
    {
        public TransferForward? Forward { get; set; }

        public Engine.Ports.IShard? Remote { get; set; }

        public void Dispose()
        {
            Forward?.Dispose();
            Remote?.Dispose();
        }
    }

    /// <summary>
    /// As a transfer's target, aborts it through consensus once its source has not answered for a while: a source
    /// that died would leave it (and this replica Partial) forever, and recovery starts only once it is gone.
    /// </summary>
    private async Task WatchSourceAsync(string collection, ShardTransferInfo transfer)
    {
        try
        {
            var ping = JsonSerializer.SerializeToUtf8Bytes(new AliveRequest(_node.PeerId), TransferJsonContext.Default.AliveRequest);
            DateTime? silentSince = null;
            while (StillRunning(collection, transfer))
            {
                await Task.Delay(SourceCheck, _stop.Token).ConfigureAwait(false);
                var source = _node.Metadata.Peers.GetValueOrDefault(transfer.From);
                if (source is not null && (await _node.PostAsync(new Uri(source), TransferEndpoints.AlivePath, ping, SourceCheck * 2).ConfigureAwait(false)).IsOk)
                {
                    silentSince = null;
                    continue;
                }

                silentSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - silentSince < SourceSilenceLimit || !StillRunning(collection, transfer))
                {
                    continue;
                }

                var reason = $"the source peer {transfer.From} did not answer for {SourceSilenceLimit.TotalSeconds:0} seconds";
                TransferFailed(_logger, transfer.ShardId, collection, transfer.From, transfer.To, reason);
                await _node.Proposer.ProposeAsync(MetaOp.AbortTransfer(collection, transfer.ShardId, transfer.From, transfer.To, reason), MetaProposer.DefaultTimeout, _stop.Token).ConfigureAwait(false);
                silentSince = null;
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _watching.TryRemove(transfer.Id, out _);
        }
    }

    private bool StillRunning(string collection, ShardTransferInfo transfer) =>
        !_stop.IsCancellationRequested && _node.Metadata.Transfers(collection).Any(t => t.Id == transfer.Id);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Values.Concat(_watching.Values)).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: shard {ShardId} of collection `{Collection}` on this peer is dead; recovering it from peer {Source}")]
    private static partial void RecoveryStarting(ILogger logger, uint shardId, string collection, ulong source);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: streamed {Points} points of shard {ShardId} of collection `{Collection}` to peer {Target}")]
    private static partial void TransferStreamed(ILogger logger, int points, uint shardId, string collection, ulong target);

    [LoggerMessage(Level = LogLevel.Information, Message = "cluster: transfer of shard {ShardId} of collection `{Collection}` from peer {From} to peer {To} finished")]
    private static partial void TransferFinished(ILogger logger, uint shardId, string collection, ulong from, ulong to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: transfer of shard {ShardId} of collection `{Collection}` from peer {From} to peer {To} failed and is aborted: {Reason}")]
    private static partial void TransferFailed(ILogger logger, uint shardId, string collection, ulong from, ulong to, string reason);
}
