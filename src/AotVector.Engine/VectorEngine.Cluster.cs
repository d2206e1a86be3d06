using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Catalog;
using AotVector.Engine.Cluster;
using AotVector.Engine.Files;

namespace AotVector.Engine;

/// <summary>
/// What cluster mode asks of the engine: resolve a create request into the configuration every peer will store
/// (the proposer's defaults, in the <c>collection.json</c> format), and apply agreed metadata changes locally.
/// </summary>
public sealed partial class VectorEngine
{
    /// <summary>
    /// Validates a create request and returns its full configuration as <c>collection.json</c> text, for a
    /// consensus proposal. Nothing is created. <c>shard_number</c> above 1 is accepted: placement is the cluster's.
    /// </summary>
    public Result<string> PrepareCollection(AccessContext access, CreateCollectionRequest request)
    {
        if (!access.CanManage)
        {
            return s_manageRequired;
        }

        return Guard(() =>
        {
            if (CollectionNames.Validate(request.Name) is { } invalid)
            {
                return invalid;
            }

            if (!ResolveCreate(request).TryGet(out var config, out var error))
            {
                return error;
            }

            return _space.Refusal(config.WalConfig.WalCapacityMb) is { } full
                ? full
                : Result<string>.Ok(JsonSerializer.Serialize(CollectionConfigFile.From(request.Name, config), EngineFilesJsonContext.Default.CollectionConfigFile));
        });
    }

    private ClusterLinks? _cluster;

    /// <summary>
    /// Connects the engine to the cluster (once, before agreed metadata reaches it): collections are then placed
    /// over the peers by <see cref="PlaceAgreedCollection"/>.
    /// </summary>
    public void UseCluster(ClusterLinks links) => _cluster = links;

    /// <summary>
    /// Creates a collection the cluster agreed on, with the configuration <see cref="PrepareCollection"/> produced,
    /// storing only <paramref name="localShards"/> here (all shards when null). A collection of that name already
    /// here is left alone (the log replays after a restart).
    /// </summary>
    public Result<bool> CreateAgreedCollection(string name, string config, IReadOnlyList<uint>? localShards = null)
    {
        return Guard<bool>(() =>
        {
            if (_toc.Resolve(name).IsOk)
            {
                return false;
            }

            CollectionConfigFile? file;
            try
            {
                file = JsonSerializer.Deserialize(config, EngineFilesJsonContext.Default.CollectionConfigFile);
            }
            catch (JsonException e)
            {
                return AvError.Internal($"the agreed configuration of collection `{name}` cannot be read: {e.Message}");
            }

            return file is null ? AvError.Internal($"the agreed configuration of collection `{name}` is empty") : _toc.Create(name, file.ToConfig(), localShards);
        });
    }

    /// <summary>
    /// Gives a stored cluster collection its agreed replicas (shard id → peer id → state); the first call makes it
    /// serve. Answers false when the collection is not here (not created yet, or deleted).
    /// </summary>
    public Result<bool> PlaceAgreedCollection(string name, IReadOnlyDictionary<uint, SortedDictionary<ulong, ReplicaState>> shards)
    {
        if (_cluster is not { } links)
        {
            return AvError.Internal("the engine is not connected to a cluster");
        }

        return Guard<bool>(() =>
        {
            var found = _toc.Resolve(name);
            if (!found.TryGet(out var c, out _) || c.Name != name)
            {
                return false;
            }

            c.Place(links, shards);
            return true;
        });
    }

    /// <summary>
    /// A collection's shards as this peer sees them: the replicas it holds (with their point counts) and those on
    /// other peers, each in its agreed state (GET /collections/{name}/cluster).
    /// </summary>
    public Result<CollectionClusterInfo> ClusterInfo(AccessContext access, string name) =>
        Guard<CollectionClusterInfo>(() =>
        {
            var found = Resolve(access, name, AccessLevel.Read);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            // Collection "extras", as the reference: a points-only token may not read them.
            if (access.LevelFor(name) == AccessLevel.PointsReadWrite)
            {
                return Forbidden($"Only points access is allowed for collection {name}");
            }

            var local = new List<LocalShardInfo>();
            var remote = new List<RemoteShardInfo>();
            if (c.Replicas is { } replicated)
            {
                var stored = c.LocalShards.ToDictionary(s => s.ShardId);
                foreach (var set in replicated.ReplicaSets)
                {
                    foreach (var (peer, state) in set.States)
                    {
                        if (peer == replicated.PeerId)
                        {
                            local.Add(new LocalShardInfo(set.ShardId, stored.TryGetValue(set.ShardId, out var shard) ? shard.PointsCount : 0, state));
                        }
                        else
                        {
                            remote.Add(new RemoteShardInfo(set.ShardId, peer, state));
                        }
                    }
                }

                return new CollectionClusterInfo(replicated.PeerId, (uint)replicated.ReplicaSets.Count, local, remote)
                {
                    ShardTransfers = _cluster?.Transfers?.Invoke(c.Name) ?? [],
                };
            }

            if (_cluster is not null)
            {
                return new AvError(ErrorKind.Unavailable, $"Service unavailable: the replicas of collection `{name}` are not known on this peer yet; try again shortly");
            }

            // Standalone: every shard is local and active.
            foreach (var shard in c.LocalShards)
            {
                local.Add(new LocalShardInfo(shard.ShardId, shard.PointsCount, ReplicaState.Active));
            }

            return new CollectionClusterInfo(_cluster?.PeerId ?? 0, Math.Max(c.Config.Params.ShardNumber, 1u), local, remote);
        });

    /// <summary>Deletes a collection the cluster deleted; a missing one is not an error.</summary>
    public Result<bool> DeleteAgreedCollection(string name) =>
        Guard(() =>
        {
            var deleted = _toc.Delete(name);
            if (deleted.IsOk && deleted.Value)
            {
                CollectionDeleted(name);
            }

            return deleted;
        });

    /// <summary>Makes the local aliases exactly <paramref name="aliases"/> (alias → collection), the agreed set.</summary>
    public Result<bool> SetAgreedAliases(IReadOnlyDictionary<string, string> aliases) =>
        Guard(() =>
        {
            var operations = new List<AliasOperation>();
            foreach (var existing in _toc.Aliases())
            {
                if (!aliases.TryGetValue(existing.AliasName, out var target) || target != existing.CollectionName)
                {
                    operations.Add(new DeleteAlias(existing.AliasName));
                }
            }

            var current = _toc.Aliases().ToDictionary(a => a.AliasName, a => a.CollectionName, StringComparer.Ordinal);
            foreach (var (alias, collection) in aliases)
            {
                if (!current.TryGetValue(alias, out var target) || target != collection)
                {
                    if (_toc.Resolve(collection).IsOk)
                    {
                        operations.Add(new CreateAlias(collection, alias));
                    }
                }
            }

            return operations.Count == 0 ? true : _toc.UpdateAliases(operations);
        });

    /// <summary>Names of the collections stored here (loaded or not), for reconciling with the agreed metadata.</summary>
    public IReadOnlyList<string> LocalCollectionNames() => _toc.Names().ToList();
}
