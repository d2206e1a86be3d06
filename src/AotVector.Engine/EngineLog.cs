using Microsoft.Extensions.Logging;

namespace AotVector.Engine;

/// <summary>Source-generated engine log events with stable ids (1000-1999).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1001, LogLevel.Information, "Shard {ShardId}: replayed {Count} WAL entries in {Seconds:F1} s")]
    public static partial void WalReplayed(ILogger logger, uint shardId, int count, double seconds);

    [LoggerMessage(1014, LogLevel.Information, "Shard {ShardId}: replaying WAL, {Done} of {Total} entries")]
    public static partial void WalReplayProgress(ILogger logger, uint shardId, ulong done, ulong total);

    [LoggerMessage(1002, LogLevel.Warning, "WAL entry {Sequence} skipped: {Reason}")]
    public static partial void WalEntrySkipped(ILogger logger, ulong sequence, string reason);

    [LoggerMessage(1003, LogLevel.Information, "Loaded collection {Name} ({Points} points)")]
    public static partial void CollectionLoaded(ILogger logger, string name, ulong points);

    [LoggerMessage(1004, LogLevel.Error, "Collection {Name} could not be loaded; it answers 503 until its files are repaired or it is deleted, and every other collection serves: {Reason}")]
    public static partial void CollectionLoadFailed(ILogger logger, string name, string reason);

    [LoggerMessage(1005, LogLevel.Warning, "Flush of collection {Name} failed: {Reason}")]
    public static partial void FlushFailed(ILogger logger, string name, string reason);

    [LoggerMessage(1006, LogLevel.Warning, "Removed incomplete collection directory {Directory}")]
    public static partial void IncompleteCollectionRemoved(ILogger logger, string directory);

    [LoggerMessage(1007, LogLevel.Error, "Request failed with {Type}: {Message}")]
    public static partial void RequestFailed(ILogger logger, string type, string message);

    [LoggerMessage(1008, LogLevel.Information, "Shard {ShardId}: HNSW graph for vector \"{Vector}\" built over {Count} points")]
    public static partial void GraphBuilt(ILogger logger, uint shardId, string vector, uint count);

    [LoggerMessage(1009, LogLevel.Warning, "Optimization of collection {Name} failed: {Reason}; next try in {Seconds} s")]
    public static partial void OptimizationFailed(ILogger logger, string name, string reason, double seconds);

    [LoggerMessage(1030, LogLevel.Information, "Shard {ShardId}: sparse index for vector \"{Vector}\" of segment {Segment} built over {Count} points")]
    public static partial void SparseIndexBuilt(ILogger logger, uint shardId, string vector, string segment, int count);

    [LoggerMessage(1031, LogLevel.Warning, "Shard {ShardId}: sparse index of vector \"{Vector}\" in segment {Segment} not reopened ({Problem}); searched from memory until the optimizer rebuilds it")]
    public static partial void SparseIndexNotReopened(ILogger logger, uint shardId, string vector, string segment, string problem);

    [LoggerMessage(1015, LogLevel.Warning, "Optimization of collection {Name} waits: the storage's free space is below the floor (storage.min_free_space_mb)")]
    public static partial void OptimizationWaitsForSpace(ILogger logger, string name);

    [LoggerMessage(1010, LogLevel.Warning, "Removed segment directory {Path}: left by an optimization that did not finish")]
    public static partial void SegmentLeftoverRemoved(ILogger logger, string path);

    [LoggerMessage(1011, LogLevel.Information, "Shard {ShardId}: sealed segment {Segment} ({Points} points); new writes go to segment {Next}")]
    public static partial void SegmentSealed(ILogger logger, uint shardId, string segment, ulong points, string next);

    [LoggerMessage(1012, LogLevel.Information, "Shard {ShardId}: {Kind} of segments [{Sources}] into {Target}: {Points} points in {Seconds:F1} s")]
    public static partial void SegmentsRebuilt(ILogger logger, uint shardId, string kind, string sources, string target, ulong points, double seconds);

    [LoggerMessage(1013, LogLevel.Information, "Shard {ShardId}: an index of vector \"{Vector}\" of segment {Segment} that the config no longer asks for (HNSW graph with m 0, or quantized codes) dropped")]
    public static partial void IndexDropped(ILogger logger, uint shardId, string vector, string segment);
}
