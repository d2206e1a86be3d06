using System.Text.Json;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// POST /collections/{name}/cluster: exactly one of <c>move_shard</c>, <c>replicate_shard</c>, <c>abort_transfer</c>,
/// <c>drop_replica</c>, <c>restart_transfer</c> (the reference's untagged operations); shard keys, resharding and
/// point replication are refused as not supported yet.
/// </summary>
internal static class ClusterRequestReader
{
    private const string Untagged = "data did not match any variant of untagged enum ClusterOperations";

    public static ClusterOperation Read(JsonElement root)
    {
        JsonRead.Object(root, "", "a cluster operation");
        ClusterOperation? operation = null;
        foreach (var p in root.EnumerateObject())
        {
            if (operation is not null)
            {
                ThrowHelper.ThrowFormat("", Untagged);
            }

            var at = p.Name;
            operation = p.Name switch
            {
                "move_shard" => Transfer(p.Value, at, static (s, f, t, m, ts) => new MoveShard(s, f, t, m, ts)),
                "replicate_shard" => Transfer(p.Value, at, static (s, f, t, m, ts) => new ReplicateShard(s, f, t, m, ts)),
                "abort_transfer" => Abort(p.Value, at),
                "restart_transfer" => Restart(p.Value, at),
                "drop_replica" => new DropReplica(JsonRead.UInt32(Required(p.Value, at, "shard_id"), BodyPath.Field(at, "shard_id")), JsonRead.UInt64(Required(p.Value, at, "peer_id"), BodyPath.Field(at, "peer_id"))),
                "create_sharding_key" or "drop_sharding_key" or "start_resharding" or "abort_resharding" or "replicate_points" => Refuse(Unsupported.ClusterOperation(p.Name)),
                _ => ThrowHelper.ThrowFormat<ClusterOperation>("", Untagged),
            };
        }

        return operation ?? ThrowHelper.ThrowFormat<ClusterOperation>("", Untagged);
    }

    private static ClusterOperation Refuse(Common.Errors.AvError error)
    {
        ThrowHelper.ThrowError(error);
        return null!;
    }

    private static ClusterOperation Transfer(JsonElement e, string at, Func<uint, ulong, ulong, ShardTransferMethod?, uint?, ClusterOperation> make)
    {
        var (shard, from, to, toShard) = Key(e, at);
        return make(shard, from, to, e.TryGetProperty("method", out var m) && !JsonRead.IsAbsent(m) ? Method(m, BodyPath.Field(at, "method")) : null, toShard);
    }

    private static AbortTransfer Abort(JsonElement e, string at)
    {
        var (shard, from, to, toShard) = Key(e, at);
        return new AbortTransfer(shard, from, to, toShard);
    }

    private static RestartTransfer Restart(JsonElement e, string at)
    {
        var (shard, from, to, toShard) = Key(e, at);
        return new RestartTransfer(shard, from, to, Method(Required(e, at, "method"), BodyPath.Field(at, "method")), toShard);
    }

    private static (uint Shard, ulong From, ulong To, uint? ToShard) Key(JsonElement e, string at) => (
        JsonRead.UInt32(Required(e, at, "shard_id"), BodyPath.Field(at, "shard_id")),
        JsonRead.UInt64(Required(e, at, "from_peer_id"), BodyPath.Field(at, "from_peer_id")),
        JsonRead.UInt64(Required(e, at, "to_peer_id"), BodyPath.Field(at, "to_peer_id")),
        e.TryGetProperty("to_shard_id", out var ts) ? JsonRead.OptionalUInt32(ts, BodyPath.Field(at, "to_shard_id")) : null);

    private static ShardTransferMethod Method(JsonElement e, string path) => JsonRead.String(e, path) switch
    {
        "stream_records" => ShardTransferMethod.StreamRecords,
        "snapshot" => ShardTransferMethod.Snapshot,
        "wal_delta" => ShardTransferMethod.WalDelta,
        "resharding_stream_records" => ShardTransferMethod.ReshardingStreamRecords,
        var other => ThrowHelper.ThrowFormat<ShardTransferMethod>(path, "unknown variant `" + other + "`, expected one of `stream_records`, `snapshot`, `wal_delta`, `resharding_stream_records`"),
    };

    private static JsonElement Required(JsonElement obj, string path, string field)
    {
        JsonRead.Object(obj, path);
        if (!obj.TryGetProperty(field, out var value) || JsonRead.IsAbsent(value))
        {
            JsonRead.Missing(path, field);
        }

        return value;
    }
}
