using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// A recover request as the wire gives it. <see cref="Source"/> is set for a URL location; a shard recover may instead
/// name one of the shard's own snapshots (<see cref="ShardSnapshotName"/>, the reference's plain-path location).
/// </summary>
internal sealed record SnapshotRecoverBody(SnapshotSource? Source, string? ShardSnapshotName, SnapshotPriority? Priority, string? Checksum);
