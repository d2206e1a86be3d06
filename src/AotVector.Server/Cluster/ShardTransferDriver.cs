using System.Collections.Concurrent;
using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Cluster;

namespace AotVector.Server.Cluster;

/// <summary>
/// Runs this peer's side of shard transfers and recovers its dead replicas, as the reference's peers do in their
/// sync loop. A transfer whose source is this peer is streamed (<c>stream_records</c>): once the target has emptied
/// its replica for it and every peer has applied its start (so their writes reach the target too), the source's
/// points go over in batches of insert-only upserts (a point a live write reached first keeps the newer content),
/// then the transfer is proposed finished, or aborted when it cannot go on. A replica of this peer that is Dead, with
/// an Active replica elsewhere, gets a transfer to itself (one incoming transfer per collection at a time).
/// </summary>
internal sealed partial class ShardTransferDriver : IAsyncDisposable
{
    /// <summary>Points per streamed batch, as the reference's stream_records.</summary>
    private const int BatchSize = 100;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan TargetReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RecoveryRetry = TimeSpan.FromSeconds(3);

    private readonly ConsensusNode _node;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Guid, Task> _running = new();
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
        try
        {
            var failure = await StreamAsync(collection, transfer).ConfigureAwait(false);
            if (!StillRunning(collection, transfer))
            {
                return;
            }

            if (failure is null)
            {
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

    /// <summary>Streams the source's points to the target; null when all went, else why not.</summary>
    private async Task<string?> StreamAsync(string collection, ShardTransferInfo transfer)
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

        // Every peer that is up has applied the start (its replica set writes to the target) before anything is read.
        var index = JsonSerializer.SerializeToUtf8Bytes(new WaitAppliedRequest(_node.Log.LastAppliedIndex), TransferJsonContext.Default.WaitAppliedRequest);
        await Task.WhenAll(_node.Metadata.Peers.Where(p => p.Key != _node.PeerId)
            .Select(p => _node.PostAsync(new Uri(p.Value), TransferEndpoints.WaitAppliedPath, index, MetaProposer.DefaultTimeout))).ConfigureAwait(false);

        using var remote = _node.Remotes.Connect(transfer.To, collection, transfer.ShardId);
        PointId? offset = null;
        var sent = 0;
        do
        {
            if (!StillRunning(collection, transfer))
            {
                return null;
            }

            if (!_node.Engine.ReadTransferBatch(collection, transfer.ShardId, offset, BatchSize).TryGet(out var batch, out var error))
            {
                return "reading the source replica failed: " + error.Message;
            }

            if (batch.Batch.Points.Count > 0)
            {
                var result = await Task.Run(() => SendWithRetries(remote, batch.Batch)).ConfigureAwait(false);
                if (result is not null)
                {
                    return result;
                }

                sent += batch.Batch.Points.Count;
            }

            offset = batch.Next;
        }
        while (offset is not null);

        TransferStreamed(_logger, sent, transfer.ShardId, collection, transfer.To);
        return null;
    }

    private string? SendWithRetries(Engine.Ports.IShard remote, Engine.Operations.UpsertPoints batch)
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

        return "sending points to the target failed: " + last.Message;
    }

    private bool StillRunning(string collection, ShardTransferInfo transfer) =>
        !_stop.IsCancellationRequested && _node.Metadata.Transfers(collection).Any(t => t.Id == transfer.Id);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
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
