using System.Globalization;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Collections;
using AotVector.Engine.Operations;

namespace AotVector.Engine;

/// <summary>
/// What shard transfers ask of the engine: a target replica that starts empty (once per transfer), the source's
/// points read in batches as upserts the target takes, and replicas removed here when a move or a drop takes them.
/// </summary>
public sealed partial class VectorEngine
{
    /// <summary>A cluster change to a collection's replicas; standalone there is no cluster to change.</summary>
    public ValueTask<Result<bool>> UpdateClusterAsync(AccessContext access, string name, ClusterOperation operation, TimeSpan? timeout, CancellationToken ct)
    {
        if (!access.CanManage)
        {
            return ValueTask.FromResult<Result<bool>>(s_manageRequired);
        }

        return ValueTask.FromResult<Result<bool>>(ClusterOperationRules.StandaloneMode);
    }

    /// <summary>
    /// Makes this peer's replica of the shard an empty one for transfer <paramref name="transferId"/>, once: a replayed
    /// or repeated call for the same transfer leaves what it has received alone. False when the collection is not here.
    /// </summary>
    public Result<bool> PrepareTransferTarget(string name, uint shardId, Guid transferId) =>
        Guard<bool>(() =>
        {
            if (Exact(name) is not { } c)
            {
                return false;
            }

            var marker = TransferMarker(c, shardId);
            var id = transferId.ToString("N");
            if (c.HasLocalShard(shardId) && File.Exists(marker) && File.ReadAllText(marker) == id)
            {
                return true;
            }

            c.ResetLocalShard(shardId);
            Storage.Files.AtomicFile.WriteAllBytes(marker, System.Text.Encoding.ASCII.GetBytes(id));
            return true;
        });

    /// <summary>True once <see cref="PrepareTransferTarget"/> has run here for transfer <paramref name="transferId"/>.</summary>
    public bool IsTransferTargetReady(string name, uint shardId, Guid transferId)
    {
        if (Exact(name) is not { } c || !c.HasLocalShard(shardId))
        {
            return false;
        }

        var marker = TransferMarker(c, shardId);
        return File.Exists(marker) && File.ReadAllText(marker) == transferId.ToString("N");
    }

    // Which transfer last emptied this peer's replica of the shard (beside the shard's directory, which a reset replaces).
    private static string TransferMarker(Collection c, uint shardId) =>
        Path.Combine(c.Directory, $"transfer-{shardId.ToString(CultureInfo.InvariantCulture)}.id");

    /// <summary>Closes and deletes this peer's replica of the shard; false when there is none.</summary>
    public Result<bool> DropLocalReplica(string name, uint shardId) =>
        Guard<bool>(() => Exact(name) is { } c && c.DropLocalShard(shardId));

    /// <summary>The shard ids stored on this peer for the collection (empty when it is not here).</summary>
    public IReadOnlyList<uint> LocalReplicaIds(string name) =>
        Exact(name) is { } c ? [.. c.LocalShards.Select(s => s.ShardId).Order()] : [];

    /// <summary>
    /// Up to <paramref name="limit"/> points of this peer's replica from <paramref name="offset"/> on (by id), with all
    /// their vectors and payload, as an insert-only upsert: on the target, a point a live write reached first keeps
    /// that newer content. Next is where the following batch starts, null after the last.
    /// </summary>
    public Result<(UpsertPoints Batch, PointId? Next)> ReadTransferBatch(string name, uint shardId, PointId? offset, int limit) =>
        Guard<(UpsertPoints, PointId?)>(() =>
        {
            if (!LocalShard(name, shardId).TryGet(out var shard, out var error))
            {
                return error;
            }

            var ids = shard.ScrollIds(null, offset, limit + 1, CancellationToken.None);
            PointId? next = ids.Count > limit ? ids[limit] : null;
            var page = ids.Count > limit ? ids.Take(limit).ToList() : ids;
            var points = shard.Retrieve(page, WithPayload.All, WithVector.All)
                .Select(p => new PointStruct(p.Id, p.Vectors ?? new Dictionary<string, VectorData>(), p.Payload is { Count: > 0 } payload ? payload : null))
                .ToList();
            return (new UpsertPoints(points, null, UpdateMode.InsertOnly), next);
        });

    // The collection by its own name (not an alias), or null.
    private Collection? Exact(string name) => _toc.Resolve(name).TryGet(out var c, out _) && c.Name == name ? c : null;
}
