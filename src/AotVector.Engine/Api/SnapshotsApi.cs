using AotVector.Common.Errors;

namespace AotVector.Engine.Api;

/// <summary>
/// Snapshots (backup, restore, migration), the one path both front ends and the startup flags call. Access is checked
/// first, as the reference's table has it: listing and downloading need read (not points-only) on the collection,
/// creating and deleting a collection or shard snapshot need write, uploading and recovering need manage, and full
/// snapshots are global (read to list and download, manage to create and delete).
/// </summary>
public interface ISnapshotsApi
{
    /// <summary>
    /// Takes a point-in-time snapshot: every write acknowledged before the call is in it, writes and searches go on
    /// while it is written. Returns its description once the file and its <c>.checksum</c> are complete.
    /// </summary>
    ValueTask<Result<SnapshotDescription>> CreateSnapshotAsync(AccessContext access, SnapshotScope scope, CancellationToken ct);

    /// <summary>The snapshots of the scope, newest first.</summary>
    Result<IReadOnlyList<SnapshotDescription>> ListSnapshots(AccessContext access, SnapshotScope scope);

    /// <summary>
    /// Opens a snapshot for download. The name must be a plain file name; anything else (a path, <c>..</c>, empty) is
    /// NotFound, as in the reference, before any file system lookup.
    /// </summary>
    Result<SnapshotDownload> OpenSnapshot(AccessContext access, SnapshotScope scope, string name);

    /// <summary>True once deleted; a missing snapshot is NotFound.</summary>
    ValueTask<Result<bool>> DeleteSnapshotAsync(AccessContext access, SnapshotScope scope, string name, CancellationToken ct);

    /// <summary>
    /// Checks the caller may upload to the scope and returns a fresh file path under the temporary directory to write
    /// the upload into; called before any byte of the body is read. The path is then passed as
    /// <see cref="SnapshotSource.Uploaded"/> to <see cref="RecoverSnapshotAsync"/>, which deletes it whatever the outcome.
    /// </summary>
    Result<string> ReserveUpload(AccessContext access, SnapshotScope scope);

    /// <summary>
    /// Replaces (or creates) the scope's data from a snapshot, atomically: the old data serves until the restored data
    /// is complete and verified, then the switch happens; a failure leaves the old data as it was.
    /// </summary>
    ValueTask<Result<bool>> RecoverSnapshotAsync(AccessContext access, SnapshotScope scope, SnapshotRecoverRequest request, CancellationToken ct);
}

/// <summary>What a snapshot covers.</summary>
public abstract record SnapshotScope
{
    private SnapshotScope()
    {
    }

    /// <summary>One collection, all its shards.</summary>
    public sealed record Collection(string Name) : SnapshotScope;

    /// <summary>One shard of a collection.</summary>
    public sealed record Shard(string Name, uint ShardId) : SnapshotScope;

    /// <summary>The whole storage: every collection and the aliases.</summary>
    public sealed record Full : SnapshotScope;
}

/// <summary>The reference's <c>SnapshotDescription</c>.</summary>
public sealed record SnapshotDescription(string Name, DateTimeOffset? CreationTime, long Size, string? Checksum);

/// <summary>A snapshot opened for reading; the caller disposes <see cref="Content"/>.</summary>
public sealed record SnapshotDownload(string Name, long Length, Stream Content);

/// <summary>Which data wins when a recovered shard has other replicas (the reference's <c>SnapshotPriority</c>).</summary>
public enum SnapshotPriority
{
    NoSync,
    Snapshot,
    Replica,
}

/// <summary>Where the snapshot to recover comes from.</summary>
public abstract record SnapshotSource
{
    private SnapshotSource()
    {
    }

    /// <summary>A <c>file://</c> location; only accepted inside the snapshots directory after resolving links.</summary>
    public sealed record LocalFile(string Path) : SnapshotSource;

    /// <summary>An <c>http(s)://</c> location, fetched through <see cref="Ports.ISnapshotFetcher"/>.</summary>
    public sealed record Url(Uri Location, string? ApiKey) : SnapshotSource;

    /// <summary>A file written by an upload into the path <see cref="ISnapshotsApi.ReserveUpload"/> gave.</summary>
    public sealed record Uploaded(string Path) : SnapshotSource;
}

/// <summary>A recover request; <see cref="Checksum"/> is the expected SHA-256 (hex) of the snapshot file.</summary>
public sealed record SnapshotRecoverRequest(SnapshotSource Source, SnapshotPriority? Priority, string? Checksum);
