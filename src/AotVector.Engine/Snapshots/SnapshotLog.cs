using Microsoft.Extensions.Logging;

namespace AotVector.Engine.Snapshots;

/// <summary>Source-generated snapshot log events (ids 1100-1119).</summary>
internal static partial class SnapshotLog
{
    [LoggerMessage(1100, LogLevel.Information, "Snapshot {Name} created ({Bytes} bytes); writes waited {PauseMs:F1} ms for its capture")]
    public static partial void Created(ILogger logger, string name, long bytes, double pauseMs);

    [LoggerMessage(1101, LogLevel.Information, "Collection {Collection} recovered from a snapshot (priority {Priority})")]
    public static partial void Recovered(ILogger logger, string collection, string priority);

    [LoggerMessage(1102, LogLevel.Warning, "Snapshot recovery of {Collection} refused: {Reason}")]
    public static partial void RecoverRefused(ILogger logger, string collection, string reason);
}
