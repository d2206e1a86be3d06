using System.Globalization;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Storage.Files;

namespace AotVector.Engine.Snapshots;

/// <summary>
/// Where snapshots live and how they are named, as the reference lays them out: collection and shard snapshots in
/// <c>{snapshots_path}/{collection}/{collection}-{peer}-{time}.snapshot</c>, full ones in
/// <c>{snapshots_path}/full-snapshot-{time}.snapshot</c>, each with a <c>.checksum</c> file (the hex SHA-256) beside
/// it. A snapshot being written is a <c>.partial</c> file renamed into place once complete, so a listed snapshot is
/// always whole; work in progress (captures, uploads, downloads, restores) sits in <c>tmp</c> directories that are
/// emptied at startup.
/// </summary>
internal sealed class SnapshotStore
{
    public const string Extension = ".snapshot";
    public const string ChecksumExtension = ".checksum";
    public const string PartialExtension = ".partial";
    private const string TempDirectoryName = "tmp";
    private const string FullPrefix = "full-snapshot";

    public SnapshotStore(EngineOptions options)
    {
        Root = Path.GetFullPath(options.SnapshotsPath);
        StorageTemp = Path.Combine(Path.GetFullPath(options.StoragePath), TempDirectoryName);
        WorkTemp = options.TempPath is { } temp ? Path.Combine(Path.GetFullPath(temp), TempDirectoryName) : StorageTemp;
        PeerId = PeerIdentity.Load(options.StoragePath);
    }

    /// <summary>The snapshots directory, absolute.</summary>
    public string Root { get; }

    /// <summary>Inside the storage: captures (hard links need the same file system) and restores (renamed into place).</summary>
    public string StorageTemp { get; }

    /// <summary><c>temp_path</c>'s <c>tmp</c>, or <see cref="StorageTemp"/>: uploads and downloads.</summary>
    public string WorkTemp { get; }

    public ulong PeerId { get; }

    public string UploadDirectory => Path.Combine(WorkTemp, "upload");

    /// <summary>Removes what an earlier run left behind: temp directories and half-written snapshots.</summary>
    public void RemoveLeftovers()
    {
        SnapshotArchive.TryDeleteDirectory(StorageTemp);
        SnapshotArchive.TryDeleteDirectory(WorkTemp);
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories).Prepend(Root))
        {
            foreach (var partial in Directory.EnumerateFiles(dir, "*" + PartialExtension))
            {
                TryDelete(partial);
            }

            // A checksum written just before its snapshot was renamed into place, by a run that ended in between.
            foreach (var checksum in Directory.EnumerateFiles(dir, "*" + Extension + ChecksumExtension))
            {
                if (!File.Exists(checksum[..^ChecksumExtension.Length]))
                {
                    TryDelete(checksum);
                }
            }
        }
    }

    /// <summary>The directory holding the scope's snapshots (a shard's are under its collection's, in <c>shards/{id}</c>).</summary>
    public string DirectoryFor(SnapshotScope scope, string? collection) => scope switch
    {
        SnapshotScope.Full => Root,
        SnapshotScope.Shard shard => Path.Combine(Root, collection!, "shards", shard.ShardId.ToString(CultureInfo.InvariantCulture)),
        _ => Path.Combine(Root, collection!),
    };

    /// <summary>A fresh name for a snapshot taken at <paramref name="time"/>.</summary>
    public string NameFor(SnapshotScope scope, string? collection, DateTimeOffset time)
    {
        var stamp = time.UtcDateTime.ToString("yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture);
        return scope switch
        {
            SnapshotScope.Full => $"{FullPrefix}-{stamp}{Extension}",
            SnapshotScope.Shard shard => $"{collection}-shard-{shard.ShardId}-{stamp}{Extension}",
            _ => $"{collection}-{PeerId}-{stamp}{Extension}",
        };
    }

    /// <summary>The snapshots in <paramref name="directory"/>, newest first.</summary>
    public static IReadOnlyList<SnapshotDescription> List(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var found = new List<SnapshotDescription>();
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*" + Extension))
        {
            if (file.LinkTarget is not null)
            {
                continue;
            }

            found.Add(Describe(file));
        }

        return [.. found.OrderByDescending(d => d.CreationTime).ThenByDescending(d => d.Name, StringComparer.Ordinal)];
    }

    public static SnapshotDescription Describe(FileInfo file) =>
        new(file.Name, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), file.Length, ReadChecksum(file.FullName));

    private static string? ReadChecksum(string snapshotPath)
    {
        try
        {
            var path = snapshotPath + ChecksumExtension;
            if (!File.Exists(path) || new FileInfo(path).Length > 1024)
            {
                return null;
            }

            var text = File.ReadAllText(path).Trim();
            var hash = text.Split(' ', 2)[0];
            return hash.Length == 64 && hash.All(char.IsAsciiHexDigit) ? hash.ToLowerInvariant() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The path of snapshot <paramref name="name"/> in <paramref name="directory"/>: a plain file name (checked before
    /// any lookup, as in the reference), which after resolving links is a regular file inside the directory. Anything
    /// else is the same NotFound, so nothing outside the directory can be probed.
    /// </summary>
    public static Result<string> Locate(string directory, string name)
    {
        var notFound = AvError.NotFound($"Snapshot {name}");
        if (!SnapshotPaths.IsPlainFileName(name))
        {
            return notFound;
        }

        var path = Path.Combine(directory, name);
        var real = HardLink.RealPath(path);
        var realDirectory = HardLink.RealPath(directory);
        if (real is null || realDirectory is null || !SnapshotPaths.IsInside(real, realDirectory) || !File.Exists(real) || File.GetAttributes(real).HasFlag(FileAttributes.Directory))
        {
            return notFound;
        }

        return path;
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
