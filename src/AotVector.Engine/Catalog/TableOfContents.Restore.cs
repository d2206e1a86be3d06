using AotVector.Common.Errors;
using AotVector.Engine.Collections;
using AotVector.Storage.Files;

namespace AotVector.Engine.Catalog;

/// <summary>
/// Swapping a restored collection in. The restored directory is complete and verified before anything changes;
/// then, under the registry's lock, the old collection is closed, its directory moved into the restore's work
/// directory (a <c>switch</c> file there first names where it came from), the restored directory renamed into its
/// place and opened. A crash between the two renames leaves the old directory in the work directory with the switch
/// file: <see cref="RollBackInterruptedRestores"/> moves it back at the next start, so the old collection is intact.
/// </summary>
internal sealed partial class TableOfContents
{
    private const string SwitchFile = "switch";
    private const string OldDirectory = "old";

    /// <summary>Runs between moving the old directory aside and moving the restored one in (tests crash there).</summary>
    internal Action? BetweenRestoreRenamesForTests { get; set; }

    /// <summary>The directory a collection named <paramref name="name"/> lives in.</summary>
    public string DirectoryFor(string name) => Path.Combine(_collectionsPath, DirectoryNameFor(name));

    /// <summary>The aliases as they are now.</summary>
    public IReadOnlyDictionary<string, string> AliasMap => Volatile.Read(ref _aliases);

    /// <summary>
    /// Replaces collection <paramref name="name"/> (or creates it) with the collection directory
    /// <paramref name="restored"/>, which lies in <paramref name="work"/> on the storage's file system. With
    /// <paramref name="shardId"/>, <paramref name="restored"/> is a shard directory and replaces only that shard of the
    /// existing collection, by the same steps (the switch file then names the shard's directory).
    /// </summary>
    public Result<bool> InstallRestored(string name, string restored, string work, uint? shardId = null)
    {
        lock (_gate)
        {
            var dirName = DirectoryNameFor(name);
            if (_pending.ContainsKey(dirName))
            {
                return new AvError(ErrorKind.Unavailable, $"Collection `{name}` is still loading; try again shortly");
            }

            if (!_collections.ContainsKey(name) && _aliases.ContainsKey(name))
            {
                return AvError.BadRequest($"Can't create collection with name {name}. Alias with the same name already exists");
            }

            var collectionDirectory = Path.Combine(_collectionsPath, dirName);
            _collections.TryGetValue(name, out var old);
            if (shardId is not null && old is null)
            {
                return AvError.CollectionNotFound(name);
            }

            var target = shardId is { } id ? Path.Combine(collectionDirectory, id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : collectionDirectory;
            var oldAside = Path.Combine(work, OldDirectory);
            if (old is not null)
            {
                // Requests still running on the old collection end with "closed while the request ran" (503).
                Volatile.Write(ref _collections, new Dictionary<string, Collection>(_collections.Where(c => c.Key != name), StringComparer.Ordinal));
                old.Dispose();
            }

            if (Directory.Exists(target))
            {
                AtomicFile.WriteAllBytes(Path.Combine(work, SwitchFile), System.Text.Encoding.UTF8.GetBytes(target));
                Directory.Move(target, oldAside);
            }

            try
            {
                BetweenRestoreRenamesForTests?.Invoke();
                Directory.Move(restored, target);
                AtomicFile.FlushDirectory(Path.GetDirectoryName(target)!);
                var opened = Collection.Open(collectionDirectory, _logger);
                _broken.Remove(dirName);
                Volatile.Write(ref _collections, new Dictionary<string, Collection>(_collections, StringComparer.Ordinal) { [name] = opened });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Put the old collection back as it was.
                if (Directory.Exists(oldAside))
                {
                    if (Directory.Exists(target))
                    {
                        Directory.Move(target, Path.Combine(work, "failed"));
                    }

                    Directory.Move(oldAside, target);
                    if (old is not null)
                    {
                        var reopened = Collection.Open(collectionDirectory, _logger);
                        Volatile.Write(ref _collections, new Dictionary<string, Collection>(_collections, StringComparer.Ordinal) { [name] = reopened });
                    }
                }
                else if (Directory.Exists(target) && old is null)
                {
                    Directory.Move(target, Path.Combine(work, "failed"));
                }

                throw;
            }

            return true;
        }
    }

    /// <summary>
    /// Before the collections are listed at startup: a restore cut short between its renames has moved the old
    /// directory aside and not yet put the new one in place; the old one goes back.
    /// </summary>
    public static void RollBackInterruptedRestores(string storageTemp)
    {
        if (!Directory.Exists(storageTemp))
        {
            return;
        }

        foreach (var work in Directory.EnumerateDirectories(storageTemp, "restore-*"))
        {
            var journal = Path.Combine(work, SwitchFile);
            var oldAside = Path.Combine(work, OldDirectory);
            if (!File.Exists(journal) || !Directory.Exists(oldAside))
            {
                continue;
            }

            var target = File.ReadAllText(journal);
            if (!Directory.Exists(target))
            {
                Directory.Move(oldAside, target);
            }
        }
    }
}
