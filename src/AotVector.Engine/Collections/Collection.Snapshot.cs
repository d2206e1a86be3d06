using System.Globalization;
using AotVector.Engine.Shards;

namespace AotVector.Engine.Collections;

internal sealed partial class Collection
{
    /// <summary>
    /// Captures the collection's files into <paramref name="target"/> (created) as a collection directory: the config
    /// file and one directory per local shard (see <see cref="LocalShard.CaptureForSnapshot"/>), or only
    /// <paramref name="onlyShard"/>. Returns the longest time a shard held writers off.
    /// </summary>
    public TimeSpan CaptureForSnapshot(string target, uint? onlyShard = null)
    {
        System.IO.Directory.CreateDirectory(target);
        CollectionConfigStore.Save(target, Name, Config);
        var longest = TimeSpan.Zero;
        foreach (var shard in _local)
        {
            if (onlyShard is { } id && shard.ShardId != id)
            {
                continue;
            }

            var paused = shard.CaptureForSnapshot(Path.Combine(target, shard.ShardId.ToString(CultureInfo.InvariantCulture)), Config.WalConfig);
            longest = paused > longest ? paused : longest;
        }

        return longest;
    }

    /// <summary>Whether the collection holds shard <paramref name="shardId"/> here.</summary>
    public bool HasLocalShard(uint shardId) => _local.Any(s => s.ShardId == shardId);
}
