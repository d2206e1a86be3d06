using System.Globalization;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
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

    /// <summary>
    /// Gives local shard <paramref name="shardId"/> the payload indexes the other shards have, and only those: a shard
    /// restored from a snapshot taken before an index was created (or deleted) would otherwise differ from the rest.
    /// </summary>
    public Result<bool> MatchPayloadIndexes(uint shardId)
    {
        var shard = _local.FirstOrDefault(s => s.ShardId == shardId);
        var others = _placement.AllShards.Where(s => s.ShardId != shardId).ToList();
        if (shard is null || others.Count == 0)
        {
            return true;
        }

        var wanted = new Dictionary<string, PayloadSchemaInfo>(StringComparer.Ordinal);
        foreach (var other in others)
        {
            foreach (var (field, info) in other.PayloadSchema)
            {
                wanted[field] = info;
            }
        }

        var have = shard.PayloadSchema;
        var changes = new List<UpdateOperation>();
        changes.AddRange(wanted
            // A remote shard's schema carries no text parameters (null): only known parameters are compared.
            .Where(kv => !have.TryGetValue(kv.Key, out var h) || h.DataType != kv.Value.DataType || (kv.Value.Text is not null && !Equals(h.Text, kv.Value.Text))
                || (kv.Value.Options is not null && !Equals(h.Options, kv.Value.Options)))
            .Select(kv => (UpdateOperation)new CreateFieldIndex(kv.Key, kv.Value.DataType) { Text = kv.Value.Text, Options = kv.Value.Options }));
        changes.AddRange(have.Keys.Where(field => !wanted.ContainsKey(field)).Select(field => (UpdateOperation)new DeleteFieldIndex(field)));
        foreach (var change in changes)
        {
            var applied = shard.Update(change, wait: true);
            if (!applied.IsOk)
            {
                return applied.Error!;
            }
        }

        return true;
    }

    /// <summary>Whether the collection holds shard <paramref name="shardId"/> here.</summary>
    public bool HasLocalShard(uint shardId) => _local.Any(s => s.ShardId == shardId);
}
