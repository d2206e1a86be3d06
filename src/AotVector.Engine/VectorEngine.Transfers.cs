using System.Globalization;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Collections;
using AotVector.Engine.Ports;
using AotVector.Engine.Shards;

namespace AotVector.Engine;

/// <summary>
/// What shard transfers ask of the engine: a target replica that starts empty (once per transfer), the source's
/// points streamed with its writes forwarded, and replicas removed here when a move or a drop takes them.
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
    /// Starts streaming this peer's replica of the shard to <paramref name="target"/>, with the replica's writes
    /// forwarded there meanwhile (see <see cref="TransferForward"/>); disposing it stops forwarding.
    /// </summary>
    public Result<TransferForward> StartTransferForward(string name, uint shardId, IShard target) =>
        Guard<TransferForward>(() =>
        {
            if (Exact(name) is not { } c || c.LocalShards.FirstOrDefault(s => s.ShardId == shardId) is not { } shard)
            {
                return AvError.NotFound($"Shard {shardId} of collection `{name}` is not on this peer");
            }

            return shard.StartForwarding(target) is { } forward
                ? forward
                : AvError.BadRequest($"Shard {shardId} of collection `{name}` is already the source of a transfer");
        });

    // The collection by its own name (not an alias), or null.
    private Collection? Exact(string name) => _toc.Resolve(name).TryGet(out var c, out _) && c.Name == name ? c : null;
}
