using AotVector.Common.Errors;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Server.Config;

namespace AotVector.Server.Snapshots;

/// <summary>
/// <c>--snapshot PATH:NAME</c> and <c>--storage-snapshot PATH</c>: restores before the server serves, with the
/// reference's rule that an existing collection stops the startup unless <c>--force-snapshot</c> is given (the
/// reference panics with "Collection … already exists. Use --force-snapshot to overwrite it."). A full snapshot is
/// refused without it as soon as the storage holds any collection. The operator's file is read where it is (it is
/// trusted, so it need not lie in the snapshots directory) and never moved or deleted.
/// </summary>
internal static partial class StartupRestore
{
    /// <summary>Null once everything asked for is restored, else the one line to print before exiting.</summary>
    public static async Task<string?> RunAsync(VectorEngine engine, StartupSnapshots snapshots, ILogger logger)
    {
        if (snapshots.IsEmpty)
        {
            return null;
        }

        await engine.Loaded.ConfigureAwait(false);
        if (snapshots.Storage is { } full)
        {
            if (!snapshots.Force && engine.CollectionCount > 0)
            {
                return $"--storage-snapshot {full}: the storage already holds {engine.CollectionCount} collection(s); use --force-snapshot to replace them";
            }

            return Restore(engine, null, full, logger);
        }

        foreach (var (path, collection) in snapshots.Collections)
        {
            var exists = ((ICollectionsApi)engine).Exists(AccessContext.Full, collection);
            if (exists.TryGet(out var found, out _) && found && !snapshots.Force)
            {
                return $"--snapshot {path}:{collection}: collection {collection} already exists; use --force-snapshot to replace it";
            }

            if (Restore(engine, collection, path, logger) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? Restore(VectorEngine engine, string? collection, string path, ILogger logger)
    {
        var source = Path.GetFullPath(path);
        var target = collection is null ? "the storage" : "collection " + collection;
        if (!File.Exists(source))
        {
            return $"cannot restore {target}: snapshot file {source} does not exist";
        }

        LogRestoring(logger, target, source);
        var error = collection is null
            ? engine.RecoverStorageFromStartupFile(source).TryGet(out _, out var e) ? (AvError?)null : e
            : engine.RecoverFromStartupFile(source, collection).TryGet(out _, out var e2) ? null : e2;
        if (error is { } failed)
        {
            return $"cannot restore {target} from {source}: {failed.Message}";
        }

        LogRestored(logger, target, source);
        return null;
    }

    [LoggerMessage(130, LogLevel.Information, "Restoring {Target} from snapshot {Path}")]
    private static partial void LogRestoring(ILogger logger, string target, string path);

    [LoggerMessage(131, LogLevel.Information, "Restored {Target} from snapshot {Path}")]
    private static partial void LogRestored(ILogger logger, string target, string path);
}
