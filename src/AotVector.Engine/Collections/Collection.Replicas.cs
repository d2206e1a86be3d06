using System.Globalization;
using AotVector.Engine.Shards;

namespace AotVector.Engine.Collections;

/// <summary>
/// A cluster collection gains and loses local replicas after it was created: a transfer to this peer starts from an
/// empty replica (a new one, or a stale one emptied), and a moved or dropped replica is deleted here.
/// </summary>
internal sealed partial class Collection
{
    /// <summary>
    /// Replaces this peer's replica of <paramref name="shardId"/> with an empty one (creating it when there was none):
    /// the old one is taken out of reach and closed, then the empty one takes its place.
    /// </summary>
    public LocalShard ResetLocalShard(uint shardId)
    {
        lock (_placing)
        {
            var old = _local.FirstOrDefault(s => s.ShardId == shardId);
            var directory = Path.Combine(Directory, shardId.ToString(CultureInfo.InvariantCulture));
            var set = Replicas is { } replicated && shardId < replicated.ReplicaSets.Count ? replicated.ReplicaSets[(int)shardId] : null;
            string? retired = null;
            if (old is not null)
            {
                // Out of reach first: a write meanwhile finds no replica here (which a transfer target may miss), not a closed one.
                Volatile.Write(ref _local, [.. _local.Where(s => s.ShardId != shardId)]);
                set?.AttachLocal(null);
                old.Dispose();
                retired = directory + ".retired-" + Guid.NewGuid().ToString("N");
                System.IO.Directory.Move(directory, retired);
            }

            var fresh = LocalShard.Create(directory, shardId, Config.Params.Vectors, Config.WalConfig, _logger, Config.Params.OnDiskPayload);
            Volatile.Write(ref _local, [.. _local, fresh]);
            set?.AttachLocal(fresh);
            if (retired is not null)
            {
                System.IO.Directory.Delete(retired, recursive: true);
            }

            return fresh;
        }
    }

    /// <summary>Closes and deletes this peer's replica of <paramref name="shardId"/>; false when there is none.</summary>
    public bool DropLocalShard(uint shardId)
    {
        lock (_placing)
        {
            var old = _local.FirstOrDefault(s => s.ShardId == shardId);
            if (old is null)
            {
                return false;
            }

            if (Replicas is { } replicated && shardId < replicated.ReplicaSets.Count)
            {
                replicated.ReplicaSets[(int)shardId].AttachLocal(null);
            }

            Volatile.Write(ref _local, [.. _local.Where(s => s.ShardId != shardId)]);
            old.Dispose();
            System.IO.Directory.Delete(Path.Combine(Directory, shardId.ToString(CultureInfo.InvariantCulture)), recursive: true);
            return true;
        }
    }
}
