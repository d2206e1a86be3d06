using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Engine.Api;

namespace AotVector.Engine.Cluster;

/// <summary>
/// The metadata every peer agrees on through consensus: the peers (id → p2p URI), the collections with their
/// configuration and replica placement, and the aliases. <see cref="Apply"/> is deterministic: given the same log,
/// every peer reaches the same state and the same answer for each operation (a refused operation changes nothing
/// anywhere). Operations are applied once by id. Reads may come from any thread; applies come from the log, in order.
/// </summary>
public sealed partial class ClusterMetadata
{
    private const int SnapshotFormat = 1;

    /// <summary>How many applied operation ids are remembered to refuse a retried proposal a second time.</summary>
    private const int RememberedOps = 4096;

    private readonly Lock _gate = new();
    private readonly SortedDictionary<ulong, string> _peers = new();
    private readonly SortedDictionary<string, CollectionMetadata> _collections = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly Queue<Guid> _recentOrder = new();
    private readonly HashSet<Guid> _recent = [];
    private ulong _firstPeerId;

    public ClusterMetadata(ulong localPeerId) => LocalPeerId = localPeerId;

    public ulong LocalPeerId { get; }

    /// <summary>Told about every change the local peer has to act on; null until the host wires it.</summary>
    public IClusterMetadataListener? Listener { get; set; }

    /// <summary>The peer that started the cluster (0 until its AddPeer is applied).</summary>
    public ulong FirstPeerId
    {
        get
        {
            lock (_gate)
            {
                return _firstPeerId;
            }
        }
    }

    public IReadOnlyDictionary<ulong, string> Peers
    {
        get
        {
            lock (_gate)
            {
                return new SortedDictionary<ulong, string>(_peers);
            }
        }
    }

    public IReadOnlyList<CollectionMetadata> Collections
    {
        get
        {
            lock (_gate)
            {
                return _collections.Values.Select(c => c.Copy()).ToList();
            }
        }
    }

    public IReadOnlyDictionary<string, string> Aliases
    {
        get
        {
            lock (_gate)
            {
                return new SortedDictionary<string, string>(_aliases, StringComparer.Ordinal);
            }
        }
    }

    public CollectionMetadata? Collection(string name)
    {
        lock (_gate)
        {
            return _collections.TryGetValue(name, out var c) ? c.Copy() : null;
        }
    }

    /// <summary>How many replicas each known peer holds (the placement planner's load).</summary>
    public IReadOnlyDictionary<ulong, int> ReplicaCountByPeer()
    {
        lock (_gate)
        {
            var load = _peers.Keys.ToDictionary(p => p, _ => 0);
            foreach (var collection in _collections.Values)
            {
                foreach (var replicas in collection.Shards.Values)
                {
                    foreach (var peer in replicas.Keys)
                    {
                        if (load.ContainsKey(peer))
                        {
                            load[peer]++;
                        }
                    }
                }
            }

            return load;
        }
    }

    public static byte[] Encode(MetaOp op) => JsonSerializer.SerializeToUtf8Bytes(op, ClusterJsonContext.Default.MetaOp);

    /// <summary>Null when <paramref name="bytes"/> is not an operation this build knows.</summary>
    public static MetaOp? Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, ClusterJsonContext.Default.MetaOp);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Applies one operation from the log; the answer is the same on every peer.</summary>
    public Result<bool> Apply(MetaOp op)
    {
        Result<bool> result;
        lock (_gate)
        {
            if (_recent.Contains(op.Id))
            {
                return true;
            }

            result = op.Kind switch
            {
                MetaOpKind.AddPeer => AddPeer(op),
                MetaOpKind.RemovePeer => RemovePeer(op),
                MetaOpKind.CreateCollection => CreateCollection(op),
                MetaOpKind.DeleteCollection => DeleteCollection(op),
                MetaOpKind.ChangeAliases => ChangeAliases(op),
                MetaOpKind.SetReplicaState => SetReplicaState(op),
                MetaOpKind.UpdateCollection or MetaOpKind.CreatePayloadIndex or MetaOpKind.DropPayloadIndex => ChangeSchema(op),
                MetaOpKind.StartTransfer => StartTransfer(op),
                MetaOpKind.FinishTransfer => FinishTransfer(op),
                MetaOpKind.AbortTransfer => AbortTransfer(op),
                MetaOpKind.DropReplica => DropReplica(op),
                MetaOpKind.RestartTransfer => RestartTransfer(op),
                _ => AvError.BadRequest($"unknown metadata operation {op.Kind}"),
            };
            Remember(op.Id);
        }

        if (result.IsOk)
        {
            Notify(op);
        }

        return result;
    }

    private void Notify(MetaOp op)
    {
        var listener = Listener;
        if (listener is null)
        {
            return;
        }

        switch (op.Kind)
        {
            case MetaOpKind.CreateCollection:
                var local = op.Placement!.Select((peers, shard) => (peers, shard: (uint)shard)).Where(s => s.peers.Contains(LocalPeerId)).Select(s => s.shard).ToList();
                listener.CollectionCreated(op.Collection!, op.Config!, local);
                break;
            case MetaOpKind.DeleteCollection:
                listener.CollectionDeleted(op.Collection!);
                break;
            case MetaOpKind.ChangeAliases:
                listener.AliasesChanged(op.Aliases!);
                break;
            case MetaOpKind.SetReplicaState:
                listener.ReplicaStateChanged(op.Collection!, op.ShardId, op.PeerId, op.State);
                if (op.State == ReplicaState.Dead)
                {
                    // It may have aborted transfers of the shard.
                    listener.TransfersChanged(op.Collection!);
                }

                break;
            case MetaOpKind.RemovePeer:
                listener.PeerRemoved(op.PeerId);
                break;
            case MetaOpKind.UpdateCollection or MetaOpKind.CreatePayloadIndex or MetaOpKind.DropPayloadIndex:
                (listener as ICollectionSchemaListener)?.SchemaChanged(op.Collection!, op.FieldName);
                break;
            case MetaOpKind.StartTransfer or MetaOpKind.FinishTransfer or MetaOpKind.AbortTransfer or MetaOpKind.DropReplica or MetaOpKind.RestartTransfer:
                listener.TransfersChanged(op.Collection!);
                break;
        }
    }

    private void Remember(Guid id)
    {
        _recent.Add(id);
        _recentOrder.Enqueue(id);
        while (_recentOrder.Count > RememberedOps)
        {
            _recent.Remove(_recentOrder.Dequeue());
        }
    }

    private Result<bool> AddPeer(MetaOp op)
    {
        if (op.PeerId == 0 || string.IsNullOrEmpty(op.Uri))
        {
            return AvError.BadRequest("a peer needs an id and a URI");
        }

        foreach (var (id, uri) in _peers)
        {
            if (id != op.PeerId && string.Equals(uri, op.Uri, StringComparison.OrdinalIgnoreCase))
            {
                return AvError.BadRequest($"URI {op.Uri} is already used by peer {id}");
            }
        }

        _peers[op.PeerId] = op.Uri;
        if (_firstPeerId == 0)
        {
            _firstPeerId = op.PeerId;
        }

        return true;
    }

    private Result<bool> RemovePeer(MetaOp op)
    {
        if (!_peers.Remove(op.PeerId))
        {
            return AvError.NotFound($"peer {op.PeerId} is not part of the cluster");
        }

        foreach (var collection in _collections.Values)
        {
            foreach (var replicas in collection.Shards.Values)
            {
                replicas.Remove(op.PeerId);
            }

            // A transfer from or to a peer that left cannot finish.
            foreach (var related in collection.Transfers.Where(t => t.From == op.PeerId || t.To == op.PeerId).ToList())
            {
                EndAborted(collection, related);
            }
        }

        return true;
    }

    private Result<bool> CreateCollection(MetaOp op)
    {
        var name = op.Collection!;
        if (_collections.ContainsKey(name))
        {
            return AvError.AlreadyExists($"Collection `{name}` already exists!");
        }

        if (_aliases.ContainsKey(name))
        {
            return AvError.BadRequest($"Can't create collection with name {name}. Alias with the same name already exists");
        }

        if (op.Placement is not { Count: > 0 } placement || string.IsNullOrEmpty(op.Config))
        {
            return AvError.BadRequest("a collection needs a configuration and a placement");
        }

        var shards = new SortedDictionary<uint, SortedDictionary<ulong, ReplicaState>>();
        for (var shard = 0; shard < placement.Count; shard++)
        {
            var replicas = new SortedDictionary<ulong, ReplicaState>();
            foreach (var peer in placement[shard])
            {
                if (!_peers.ContainsKey(peer))
                {
                    return AvError.BadRequest($"peer {peer} is not part of the cluster");
                }

                // As the reference: a replica is Initializing until its peer has created it and proposes Active.
                replicas[peer] = ReplicaState.Initializing;
            }

            shards[(uint)shard] = replicas;
        }

        _collections[name] = new CollectionMetadata { Name = name, Config = op.Config, Shards = shards };
        return true;
    }

    private Result<bool> DeleteCollection(MetaOp op)
    {
        var name = op.Collection!;
        if (!_collections.Remove(name))
        {
            return false;
        }

        foreach (var alias in _aliases.Where(a => a.Value == name).Select(a => a.Key).ToList())
        {
            _aliases.Remove(alias);
        }

        return true;
    }

    private Result<bool> ChangeAliases(MetaOp op)
    {
        // All or nothing: checked against a copy, kept only when every step passes.
        var aliases = new SortedDictionary<string, string>(_aliases, StringComparer.Ordinal);
        foreach (var change in op.Aliases ?? [])
        {
            switch (change.Action)
            {
                case AliasChange.Create:
                    if (change.Collection is null || !_collections.ContainsKey(change.Collection))
                    {
                        return AvError.CollectionNotFound(change.Collection ?? "");
                    }

                    if (_collections.ContainsKey(change.Alias))
                    {
                        return AvError.AlreadyExists($"Collection `{change.Alias}` already exists!");
                    }

                    aliases[change.Alias] = change.Collection;
                    break;
                case AliasChange.Delete:
                    if (!aliases.Remove(change.Alias))
                    {
                        return AvError.NotFound($"Alias {change.Alias} does not exists!");
                    }

                    break;
                case AliasChange.Rename:
                    if (!aliases.Remove(change.Alias, out var target))
                    {
                        return AvError.NotFound($"Alias {change.Alias} does not exists!");
                    }

                    if (change.NewAlias is null || _collections.ContainsKey(change.NewAlias))
                    {
                        return AvError.AlreadyExists($"Collection `{change.NewAlias}` already exists!");
                    }

                    aliases[change.NewAlias] = target;
                    break;
                default:
                    return AvError.BadRequest($"unknown alias action {change.Action}");
            }
        }

        _aliases.Clear();
        foreach (var (alias, collection) in aliases)
        {
            _aliases[alias] = collection;
        }

        return true;
    }

    private Result<bool> SetReplicaState(MetaOp op)
    {
        if (!_collections.TryGetValue(op.Collection!, out var collection))
        {
            return AvError.CollectionNotFound(op.Collection!);
        }

        if (!collection.Shards.TryGetValue(op.ShardId, out var replicas) || !replicas.TryGetValue(op.PeerId, out var current))
        {
            return AvError.NotFound($"shard {op.ShardId} of collection `{op.Collection}` has no replica on peer {op.PeerId}");
        }

        if (op.FromState is { } from && from != current)
        {
            return AvError.BadRequest($"replica of shard {op.ShardId} on peer {op.PeerId} is {current}, not {from}");
        }

        replicas[op.PeerId] = op.State;
        if (op.State == ReplicaState.Dead)
        {
            AbortTransfersOf(collection, op.ShardId, op.PeerId);
        }

        return true;
    }

    /// <summary>The whole state, for the consensus snapshot.</summary>
    public byte[] Save()
    {
        lock (_gate)
        {
            var snapshot = new ClusterMetadataSnapshot
            {
                Format = SnapshotFormat,
                FirstPeerId = _firstPeerId,
                Peers = new Dictionary<ulong, string>(_peers),
                Collections = _collections.Values.Select(c => new CollectionSnapshot
                {
                    Name = c.Name,
                    Config = c.Config,
                    Shards = c.Shards.ToDictionary(s => s.Key, s => new Dictionary<ulong, ReplicaState>(s.Value)),
                    PayloadIndexes = c.PayloadIndexes.Count == 0 ? null : new Dictionary<string, byte[]>(c.PayloadIndexes, StringComparer.Ordinal),
                    Transfers = c.Transfers.Count == 0 ? null : [.. c.Transfers],
                }).ToList(),
                Aliases = new Dictionary<string, string>(_aliases, StringComparer.Ordinal),
                RecentOps = [.. _recentOrder],
            };
            return JsonSerializer.SerializeToUtf8Bytes(snapshot, ClusterJsonContext.Default.ClusterMetadataSnapshot);
        }
    }

    /// <summary>Replaces the whole state with a snapshot's (a restart, or a snapshot installed by the leader).</summary>
    public void Restore(ReadOnlySpan<byte> bytes)
    {
        var snapshot = JsonSerializer.Deserialize(bytes, ClusterJsonContext.Default.ClusterMetadataSnapshot)
            ?? throw new InvalidDataException("the cluster metadata snapshot holds null");
        if (snapshot.Format != SnapshotFormat)
        {
            throw new InvalidDataException($"the cluster metadata snapshot has format {snapshot.Format}; this build reads format {SnapshotFormat}");
        }

        lock (_gate)
        {
            _firstPeerId = snapshot.FirstPeerId;
            _peers.Clear();
            foreach (var (id, uri) in snapshot.Peers)
            {
                _peers[id] = uri;
            }

            _collections.Clear();
            foreach (var c in snapshot.Collections)
            {
                _collections[c.Name] = new CollectionMetadata
                {
                    Name = c.Name,
                    Config = c.Config,
                    Shards = new(c.Shards.ToDictionary(s => s.Key, s => new SortedDictionary<ulong, ReplicaState>(s.Value))),
                    PayloadIndexes = new(c.PayloadIndexes ?? [], StringComparer.Ordinal),
                    Transfers = c.Transfers ?? [],
                };
            }

            _aliases.Clear();
            foreach (var (alias, collection) in snapshot.Aliases)
            {
                _aliases[alias] = collection;
            }

            _recent.Clear();
            _recentOrder.Clear();
            foreach (var id in snapshot.RecentOps)
            {
                Remember(id);
            }
        }

        Listener?.Reset(this);
    }
}
