using System.Globalization;
using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Catalog;
using AotVector.Engine.Collections;
using AotVector.Engine.Snapshots;
using AotVector.Storage.Files;

namespace AotVector.Engine;

/// <summary>
/// Snapshots: point-in-time archives of a collection, a shard or the whole storage (see docs/snapshots.md), listed,
/// downloaded and deleted by name, and recovered atomically from a file in the snapshots directory, an upload or a URL.
/// </summary>
public sealed partial class VectorEngine : ISnapshotsApi
{
    private const ulong MiB = 1024 * 1024;
    private static readonly AvError s_urlRecoveryDisabled = AvError.Forbidden("Snapshot recovery from remote URLs is disabled in the configuration");
    private static readonly AvError s_fullRecoveredAtStartup = AvError.BadRequest("a full snapshot is recovered when the server starts (--storage-snapshot PATH), not through the API");
    private readonly SemaphoreSlim _snapshotCreation = new(1, 1);
    private readonly SnapshotCounters _snapshotCounters = new();
    private SnapshotStore _snapshotStore = null!;

    /// <summary>How long writes to the last snapshotted shard waited for its capture (measurements, tests).</summary>
    public TimeSpan LastSnapshotPause { get; private set; }

    /// <summary>Runs after a recovery's snapshot is extracted and checked, before the switch (tests fail there).</summary>
    internal Action? AfterRestoreExtractedForTests { get; set; }

    /// <summary>The registry (tests inject faults into the switch).</summary>
    internal TableOfContents TocForTests => _toc;

    // At startup, with the storage locked: a restore cut short is rolled back, then temp files and half-written
    // snapshots are removed.
    private static SnapshotStore PrepareSnapshots(EngineOptions options)
    {
        var store = new SnapshotStore(options);
        TableOfContents.RollBackInterruptedRestores(store.StorageTemp);
        store.RemoveLeftovers();
        return store;
    }

    public async ValueTask<Result<SnapshotDescription>> CreateSnapshotAsync(AccessContext access, SnapshotScope scope, CancellationToken ct)
    {
        Collection? collection = null;
        if (scope is SnapshotScope.Full)
        {
            if (!access.CanManage)
            {
                return s_manageRequired;
            }
        }
        else
        {
            var resolved = ResolveScope(access, scope, AccessLevel.ReadWrite);
            if (!resolved.TryGet(out collection, out var denied))
            {
                return denied;
            }
        }

        // The snapshot is finished even if the caller goes away, as in the reference.
        await _snapshotCreation.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (collection is not null)
            {
                _snapshotCounters.BeginCreate(collection.Name);
            }

            var created = false;
            try
            {
                var result = await Task.Run(() => Guard(() => CreateSnapshot(scope, collection)), CancellationToken.None).ConfigureAwait(false);
                created = result.IsOk;
                return result;
            }
            finally
            {
                if (collection is not null)
                {
                    _snapshotCounters.EndCreate(collection.Name, created);
                }
            }
        }
        finally
        {
            _snapshotCreation.Release();
        }
    }

    private Result<SnapshotDescription> CreateSnapshot(SnapshotScope scope, Collection? collection)
    {
        var store = _snapshotStore;
        var directory = store.DirectoryFor(scope, collection?.Name);
        Directory.CreateDirectory(directory);
        var collections = collection is null ? [.. _toc.Collections] : new[] { collection };
        long needed = 0;
        foreach (var c in collections)
        {
            needed += DirectorySize(c.Directory);
        }

        if (_space.FreeBytes() is { } free && (ulong)needed * 2 + _space.FloorBytes(0) > free)
        {
            return AvError.InsufficientStorage($"a snapshot of about {(ulong)needed / MiB} MB needs twice that while it is written, and {free / MiB} MB are free on the storage's file system");
        }

        var work = Path.Combine(store.StorageTemp, "snapshot-" + Guid.NewGuid().ToString("N"));
        string? partial = null;
        try
        {
            var entries = new List<SnapshotManifest.CollectionEntry>();
            var pause = TimeSpan.Zero;
            foreach (var c in collections)
            {
                var relative = collection is null ? "collections/" + Path.GetFileName(c.Directory) : "";
                var into = relative.Length == 0 ? work : Path.Combine(work, "collections", Path.GetFileName(c.Directory));
                TimeSpan paused;
                try
                {
                    paused = c.CaptureForSnapshot(into, scope is SnapshotScope.Shard shard ? shard.ShardId : null);
                }
                catch (ObjectDisposedException) when (collection is null)
                {
                    // Deleted while the full snapshot was taken: it is simply not in it.
                    SnapshotArchive.TryDeleteDirectory(into);
                    continue;
                }

                pause = paused > pause ? paused : pause;
                entries.Add(new SnapshotManifest.CollectionEntry(c.Name, relative, File.ReadAllText(Path.Combine(into, CollectionConfigStore.FileName))));
            }

            if (collection is null)
            {
                Directory.CreateDirectory(work);
                AliasStore.Save(work, _toc.AliasMap);
            }

            LastSnapshotPause = pause;
            var time = _time.GetUtcNow();
            var name = store.NameFor(scope, collection?.Name, time);
            while (File.Exists(Path.Combine(directory, name)))
            {
                // Two snapshots within one second: the next free second names this one.
                time = time.AddSeconds(1);
                name = store.NameFor(scope, collection?.Name, time);
            }

            var final = Path.Combine(directory, name);
            partial = final + SnapshotStore.PartialExtension;
            var kind = scope switch
            {
                SnapshotScope.Full => SnapshotKind.Full,
                SnapshotScope.Shard => SnapshotKind.Shard,
                _ => SnapshotKind.Collection,
            };
            var checksum = SnapshotArchive.Write(work, partial, kind, entries, time, CancellationToken.None);

            // The checksum first: a listed snapshot always has one (a lone .checksum is removed at the next start).
            AtomicFile.WriteAllBytes(final + SnapshotStore.ChecksumExtension, System.Text.Encoding.ASCII.GetBytes(checksum));
            File.Move(partial, final);
            AtomicFile.FlushDirectory(directory);
            var description = SnapshotStore.Describe(new FileInfo(final));
            SnapshotLog.Created(_logger, name, description.Size, pause.TotalMilliseconds);
            return description;
        }
        finally
        {
            SnapshotArchive.TryDeleteDirectory(work);
            if (partial is not null)
            {
                SnapshotStore.TryDelete(partial);
            }
        }
    }

    private static long DirectorySize(string directory)
    {
        long total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                total += file.Length;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return total;
    }

    public Result<IReadOnlyList<SnapshotDescription>> ListSnapshots(AccessContext access, SnapshotScope scope)
    {
        var located = SnapshotDirectory(access, scope, forRead: true);
        if (!located.TryGet(out var directory, out var denied))
        {
            return denied;
        }

        return Guard(() => Result<IReadOnlyList<SnapshotDescription>>.Ok(SnapshotStore.List(directory)));
    }

    public Result<SnapshotDownload> OpenSnapshot(AccessContext access, SnapshotScope scope, string name)
    {
        if (!SnapshotPaths.IsPlainFileName(name))
        {
            // Before anything else, as in the reference: a path is never looked up.
            return AvError.NotFound($"Snapshot {name}");
        }

        var located = SnapshotDirectory(access, scope, forRead: true);
        if (!located.TryGet(out var directory, out var denied))
        {
            return denied;
        }

        return Guard<SnapshotDownload>(() =>
        {
            if (!SnapshotStore.Locate(directory, name).TryGet(out var path, out var missing))
            {
                return missing;
            }

            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return new SnapshotDownload(name, stream.Length, stream);
        });
    }

    public ValueTask<Result<bool>> DeleteSnapshotAsync(AccessContext access, SnapshotScope scope, string name, CancellationToken ct)
    {
        if (!SnapshotPaths.IsPlainFileName(name))
        {
            return ValueTask.FromResult<Result<bool>>(AvError.NotFound($"Snapshot {name}"));
        }

        var located = SnapshotDirectory(access, scope, forRead: false);
        if (!located.TryGet(out var directory, out var denied))
        {
            return ValueTask.FromResult<Result<bool>>(denied);
        }

        return ValueTask.FromResult(Guard(() =>
        {
            if (!SnapshotStore.Locate(directory, name).TryGet(out var path, out var missing))
            {
                return missing;
            }

            File.Delete(path);
            SnapshotStore.TryDelete(path + SnapshotStore.ChecksumExtension);
            return Result<bool>.Ok(true);
        }));
    }

    public Result<string> ReserveUpload(AccessContext access, SnapshotScope scope)
    {
        if (!access.CanManage)
        {
            return s_manageRequired;
        }

        if (scope is SnapshotScope.Full)
        {
            return s_fullRecoveredAtStartup;
        }

        var target = RecoverTarget(scope);
        if (!target.IsOk)
        {
            return target.Error!;
        }

        return Guard(() =>
        {
            var directory = _snapshotStore.UploadDirectory;
            Directory.CreateDirectory(directory);
            return Result<string>.Ok(Path.Combine(directory, Guid.NewGuid().ToString("N") + SnapshotStore.Extension));
        });
    }

    public async ValueTask<Result<bool>> RecoverSnapshotAsync(AccessContext access, SnapshotScope scope, SnapshotRecoverRequest request, CancellationToken ct)
    {
        string? uploaded = null;
        if (request.Source is SnapshotSource.Uploaded upload && SnapshotPaths.IsInside(Path.GetFullPath(upload.Path), _snapshotStore.UploadDirectory))
        {
            uploaded = Path.GetFullPath(upload.Path);
        }

        try
        {
            if (!access.CanManage)
            {
                return s_manageRequired;
            }

            if (scope is SnapshotScope.Full)
            {
                return s_fullRecoveredAtStartup;
            }

            var target = RecoverTarget(scope);
            if (!target.TryGet(out var name, out var invalid))
            {
                return invalid;
            }

            string? downloaded = null;
            try
            {
                string archive;
                switch (request.Source)
                {
                    case SnapshotSource.LocalFile local:
                        var confined = ConfineLocalFile(local.Path);
                        if (!confined.TryGet(out archive!, out var refused))
                        {
                            return refused;
                        }

                        break;
                    case SnapshotSource.Uploaded:
                        if (uploaded is null)
                        {
                            return AvError.BadRequest("the uploaded snapshot is not in the upload directory");
                        }

                        archive = uploaded;
                        break;
                    case SnapshotSource.Url url:
                        if (!_options.SnapshotUrlRecovery || _options.SnapshotFetcher is not { } fetcher)
                        {
                            return s_urlRecoveryDisabled;
                        }

                        Directory.CreateDirectory(_snapshotStore.WorkTemp);
                        downloaded = Path.Combine(_snapshotStore.WorkTemp, "download-" + Guid.NewGuid().ToString("N") + SnapshotStore.Extension);
                        var fetched = await fetcher.FetchAsync(url.Location, url.ApiKey, downloaded, ct).ConfigureAwait(false);
                        if (!fetched.IsOk)
                        {
                            return fetched.Error!;
                        }

                        archive = downloaded;
                        break;
                    default:
                        return AvError.BadRequest("unknown snapshot source");
                }

                var priority = request.Priority ?? SnapshotPriority.Replica;
                _snapshotCounters.BeginRecover(name);
                try
                {
                    uint? shard = scope is SnapshotScope.Shard s ? s.ShardId : null;
                    return await Task.Run(() => Guard(() => Recover(name, archive, request.Checksum, priority, shard)), CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    _snapshotCounters.EndRecover(name);
                }
            }
            finally
            {
                if (downloaded is not null)
                {
                    SnapshotStore.TryDelete(downloaded);
                }
            }
        }
        finally
        {
            if (uploaded is not null)
            {
                SnapshotStore.TryDelete(uploaded);
            }
        }
    }

    /// <summary>
    /// Recovers collection <paramref name="collection"/> from a snapshot file an operator named when starting the
    /// server (<c>--snapshot PATH:COLLECTION</c>): trusted, so the file may lie anywhere. Call once <see cref="Loaded"/> completes.
    /// </summary>
    public Result<bool> RecoverFromStartupFile(string archivePath, string collection)
    {
        if (CollectionNames.Validate(collection) is { } invalid)
        {
            return invalid;
        }

        var target = _toc.Resolve(collection).TryGet(out var existing, out _) ? existing.Name : collection;
        return Guard(() => Recover(target, Path.GetFullPath(archivePath), null, SnapshotPriority.Replica));
    }

    /// <summary>
    /// Restores a full snapshot into the storage (<c>--storage-snapshot PATH</c>), before the server serves: each of
    /// its collections replaces the one of the same name (others are kept), and its aliases are added.
    /// </summary>
    public Result<IReadOnlyList<string>> RecoverStorageFromStartupFile(string archivePath) => Guard<IReadOnlyList<string>>(() =>
    {
        var store = _snapshotStore;
        var work = Path.Combine(store.StorageTemp, "restore-" + Guid.NewGuid().ToString("N"));
        try
        {
            var extracted = Path.Combine(work, "full");
            var refusal = SpaceForRestore(new FileInfo(archivePath).Length);
            if (refusal is { } full)
            {
                return full;
            }

            if (!ExtractChecked(archivePath, extracted).TryGet(out var manifest, out var bad))
            {
                return bad;
            }

            if (manifest.Kind != SnapshotKind.Full)
            {
                return AvError.BadRequest($"{archivePath} is a {SnapshotManifest.KindName(manifest.Kind)} snapshot, not a full one");
            }

            var restored = new List<string>();
            foreach (var entry in manifest.Collections)
            {
                var one = Path.Combine(work, "c-" + restored.Count);
                Directory.CreateDirectory(one);
                var staged = Path.Combine(one, "new");
                Directory.Move(Path.Combine(extracted, entry.Path.Replace('/', Path.DirectorySeparatorChar)), staged);
                var installed = InstallStaged(entry.Name, staged, one);
                if (!installed.IsOk)
                {
                    return installed.Error!;
                }

                restored.Add(entry.Name);
            }

            var aliasesPath = Path.Combine(extracted, AliasStore.FileName);
            if (File.Exists(aliasesPath))
            {
                var operations = AliasStore.Load(extracted)
                    .Where(a => restored.Contains(a.Value, StringComparer.Ordinal) && _toc.Resolve(a.Key) is { IsOk: false })
                    .Select(a => (AliasOperation)new CreateAlias(a.Value, a.Key))
                    .ToList();
                if (operations.Count > 0 && _toc.UpdateAliases(operations) is { IsOk: false } failed)
                {
                    return failed.Error!;
                }
            }

            return Result<IReadOnlyList<string>>.Ok(restored);
        }
        finally
        {
            SnapshotArchive.TryDeleteDirectory(work);
        }
    });

    // Caller runs under Guard, off the request thread.
    private Result<bool> Recover(string name, string archive, string? checksum, SnapshotPriority priority, uint? shard = null)
    {
        if (checksum is not null)
        {
            var actual = SnapshotArchive.HashFile(archive, CancellationToken.None);
            if (!string.Equals(actual, checksum.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return AvError.BadRequest($"Snapshot checksum mismatch: expected {checksum}, got {actual}");
            }
        }

        if (SpaceForRestore(new FileInfo(archive).Length) is { } full)
        {
            return full;
        }

        var work = Path.Combine(_snapshotStore.StorageTemp, "restore-" + Guid.NewGuid().ToString("N"));
        try
        {
            var staged = Path.Combine(work, "new");
            if (!ExtractChecked(archive, staged).TryGet(out var manifest, out var bad))
            {
                SnapshotLog.RecoverRefused(_logger, name, bad.Message);
                return bad;
            }

            if (manifest.Kind == SnapshotKind.Full || manifest.Collections.Count != 1 || manifest.Collections[0].Path.Length != 0)
            {
                return AvError.BadRequest("this is a full snapshot; it is recovered when the server starts (--storage-snapshot PATH)");
            }

            // Into one shard of a collection of several, the snapshot replaces that shard only; a collection of one
            // shard is replaced whole, config included, as a shard snapshot of it is the whole collection.
            var installed = shard is { } shardId && _toc.Resolve(name).TryGet(out var existing, out _) && existing.Config.Params.ShardNumber > 1
                ? InstallStagedShard(existing, shardId, staged, work)
                : InstallStaged(name, staged, work);
            if (installed.IsOk)
            {
                SnapshotLog.Recovered(_logger, name, priority.ToString());
            }

            return installed;
        }
        finally
        {
            SnapshotArchive.TryDeleteDirectory(work);
        }
    }

    private static readonly AvError NoMemoryForRestore = new(ErrorKind.InsufficientStorage,
        "Not enough memory to open the restored collection: the points' payloads and ids it keeps in memory do not fit in what this server may use; the existing data is unchanged");

    // The restored collection directory is checked by opening it where it lies, then switched in.
    private Result<bool> InstallStaged(string name, string staged, string work)
    {
        CollectionConfig config;
        try
        {
            (_, config) = CollectionConfigStore.Load(staged);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException)
        {
            return AvError.BadRequest("Invalid snapshot archive: its collection config cannot be read: " + e.Message);
        }

        // A snapshot of one shard of several is not a collection: opening it would make the other shards empty.
        if (config.Params.ShardNumber > 1 && MissingShard(staged, config.Params.ShardNumber) is { } missing)
        {
            return AvError.BadRequest($"Invalid snapshot archive: it lacks shard {missing} of the collection's {config.Params.ShardNumber}; a shard snapshot is recovered into its shard (/collections/{{collection}}/shards/{{shard}}/snapshots/recover)");
        }

        CollectionConfigStore.Save(staged, name, config);
        try
        {
            Collection.Open(staged, _logger).Dispose();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            return AvError.BadRequest("Invalid snapshot archive: the collection in it cannot be opened: " + e.Message);
        }
        catch (OutOfMemoryException)
        {
            // What the open allocated is garbage now: the server, and the collection being replaced, go on serving.
            return NoMemoryForRestore;
        }

        AfterRestoreExtractedForTests?.Invoke();
        return _toc.InstallRestored(name, staged, work);
    }

    private static uint? MissingShard(string staged, uint shardNumber)
    {
        for (var id = 0u; id < shardNumber; id++)
        {
            if (!Directory.Exists(Path.Combine(staged, id.ToString(CultureInfo.InvariantCulture))))
            {
                return id;
            }
        }

        return null;
    }

    // The one shard of a shard snapshot, checked by opening it where it lies with the collection's vectors, then
    // switched in for shard `shardId` alone.
    private Result<bool> InstallStagedShard(Collection collection, uint shardId, string staged, string work)
    {
        CollectionConfig config;
        try
        {
            (_, config) = CollectionConfigStore.Load(staged);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException)
        {
            return AvError.BadRequest("Invalid snapshot archive: its collection config cannot be read: " + e.Message);
        }

        var shards = Directory.EnumerateDirectories(staged)
            .Where(d => uint.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .ToList();
        if (shards.Count != 1)
        {
            return AvError.BadRequest($"Invalid snapshot archive: a snapshot recovered into one shard must hold one shard, this one holds {shards.Count}");
        }

        if (!SameVectors(config.Params, collection.Config.Params))
        {
            return AvError.BadRequest($"the snapshot's vectors do not match those of collection {collection.Name}");
        }

        try
        {
            Shards.LocalShard.Create(shards[0], shardId, collection.Config.Params.Vectors, collection.Config.WalConfig, _logger, collection.Config.Params.OnDiskPayload).Dispose();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            return AvError.BadRequest("Invalid snapshot archive: the shard in it cannot be opened: " + e.Message);
        }

        AfterRestoreExtractedForTests?.Invoke();
        var installed = _toc.InstallRestored(collection.Name, shards[0], work, shardId);
        if (!installed.IsOk || !_toc.Resolve(collection.Name).TryGet(out var reopened, out _))
        {
            return installed;
        }

        return reopened.MatchPayloadIndexes(shardId);
    }

    // Same vector names, sizes, distances and multivector comparators, and the same sparse vector names.
    private static bool SameVectors(CollectionParams a, CollectionParams b)
    {
        var dense = b.Vectors.All.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (a.Vectors.All.Count() != dense.Count)
        {
            return false;
        }

        foreach (var (name, p) in a.Vectors.All)
        {
            if (!dense.TryGetValue(name, out var q) || p.Size != q.Size || p.Distance != q.Distance || p.MultivectorConfig?.Comparator != q.MultivectorConfig?.Comparator || p.StoredAs != q.StoredAs)
            {
                return false;
            }
        }

        var sparseA = a.SparseVectors?.Keys.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>();
        var sparseB = b.SparseVectors?.Keys.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>();
        return sparseA.SequenceEqual(sparseB, StringComparer.Ordinal);
    }

    private Result<SnapshotManifest> ExtractChecked(string archive, string target)
    {
        try
        {
            return SnapshotArchive.Extract(archive, target, CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or OverflowException)
        {
            var message = e.Message.StartsWith("Invalid snapshot archive", StringComparison.Ordinal) ? e.Message : "Invalid snapshot archive: " + (e is EndOfStreamException ? "it ends early (truncated)" : e.Message);
            return AvError.BadRequest(message);
        }
        catch (IOException e) when (Shards.LocalShard.IsDiskFull(e))
        {
            return AvError.InsufficientStorage(Shards.LocalShard.DiskFullDetail(e));
        }
    }

    private AvError? SpaceForRestore(long archiveBytes)
    {
        if (_space.FreeBytes() is not { } free)
        {
            return null;
        }

        var floor = _space.FloorBytes(_options.DefaultWal.WalCapacityMb);
        if ((ulong)archiveBytes + floor > free)
        {
            return AvError.InsufficientStorage($"restoring the snapshot needs {(ulong)archiveBytes / MiB} MB, and {free / MiB} MB are free on the storage's file system, of which {floor / MiB} MB are kept free");
        }

        return null;
    }

    /// <summary>
    /// A <c>file://</c> path is accepted only inside the snapshots directory: first by its name (before the file system
    /// is asked anything, so nothing outside can be probed), then with every link resolved.
    /// </summary>
    private Result<string> ConfineLocalFile(string path)
    {
        var root = _snapshotStore.Root;
        var outside = AvError.Forbidden($"Snapshot file path must be inside the snapshots directory {root}");
        if (path.Contains('\0', StringComparison.Ordinal) || !Path.IsPathFullyQualified(path))
        {
            return outside;
        }

        var full = Path.GetFullPath(path);
        if (!SnapshotPaths.IsInside(full, root))
        {
            return outside;
        }

        var real = HardLink.RealPath(full);
        var realRoot = HardLink.RealPath(root);
        if (real is null || realRoot is null)
        {
            return AvError.NotFound($"Snapshot file {path} does not exist");
        }

        if (!SnapshotPaths.IsInside(real, realRoot))
        {
            return outside;
        }

        return File.Exists(real) ? real : AvError.NotFound($"Snapshot file {path} is not a regular file");
    }

    // The collection a recovery replaces or creates: an existing one by name or alias; a new name must be valid.
    private Result<string> RecoverTarget(SnapshotScope scope)
    {
        var name = scope switch
        {
            SnapshotScope.Collection c => c.Name,
            SnapshotScope.Shard s => s.Name,
            _ => throw new ArgumentOutOfRangeException(nameof(scope)),
        };
        var found = _toc.Resolve(name);
        if (found.TryGet(out var collection, out var error))
        {
            if (scope is SnapshotScope.Shard shard && !collection.HasLocalShard(shard.ShardId))
            {
                return AvError.NotFound($"shard {shard.ShardId}");
            }

            return collection.Name;
        }

        if (scope is SnapshotScope.Shard || error.Kind != ErrorKind.NotFound)
        {
            return error;
        }

        return CollectionNames.Validate(name) is { } invalid ? invalid : name;
    }

    // The directory of the scope's snapshots, once the caller may see them: collection and shard snapshots need read
    // (not points-only) to list and download and write to delete; full ones need global read, and manage to delete.
    private Result<string> SnapshotDirectory(AccessContext access, SnapshotScope scope, bool forRead)
    {
        if (scope is SnapshotScope.Full)
        {
            if (forRead ? access.Global < AccessLevel.Read : !access.CanManage)
            {
                return forRead ? AvError.Forbidden("Global read access is required") : s_manageRequired;
            }

            return _snapshotStore.Root;
        }

        var resolved = ResolveScope(access, scope, forRead ? AccessLevel.Read : AccessLevel.ReadWrite);
        return resolved.TryGet(out var collection, out var denied) ? _snapshotStore.DirectoryFor(scope, collection.Name) : denied;
    }

    private Result<Collection> ResolveScope(AccessContext access, SnapshotScope scope, AccessLevel needed)
    {
        var (name, shardId) = scope switch
        {
            SnapshotScope.Collection c => (c.Name, (uint?)null),
            SnapshotScope.Shard s => (s.Name, s.ShardId),
            _ => throw new ArgumentOutOfRangeException(nameof(scope)),
        };
        var resolved = Resolve(access, name, needed);
        if (!resolved.TryGet(out var collection, out var error))
        {
            return error;
        }

        // Snapshots are "extras": a points-only token may not see them even to read.
        if (access.LevelFor(name) == AccessLevel.PointsReadWrite)
        {
            return Forbidden($"Only points access is allowed for collection {name}");
        }

        if (shardId is { } id && !collection.HasLocalShard(id))
        {
            return AvError.NotFound($"shard {id}");
        }

        return collection;
    }
}
