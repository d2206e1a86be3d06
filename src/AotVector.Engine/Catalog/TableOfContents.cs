using System.Security.Cryptography;
using System.Text;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Collections;
using Microsoft.Extensions.Logging;

namespace AotVector.Engine.Catalog;

/// <summary>
/// The registry of collections and aliases (Qdrant's TOC). Reads take a snapshot of the maps;
/// structural changes (create, delete, alias edits) are serialized by one lock and persisted
/// before they become visible.
/// <para>Layout: <c>{storage}/collections/{dir}/collection.json</c> + shard dirs,
/// <c>{storage}/aliases.json</c>, and <c>{storage}/.trash</c> for deletes in progress.</para>
/// </summary>
internal sealed partial class TableOfContents : IDisposable
{
    private readonly object _gate = new();
    private readonly string _storagePath;
    private readonly string _collectionsPath;
    private readonly ILogger _logger;
    private Dictionary<string, Collection> _collections;
    private Dictionary<string, string> _aliases;

    // Directory names: collections listed at startup and not loaded yet (with their names), and those that failed to load.
    private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BrokenCollection> _broken = new(StringComparer.Ordinal);

    private readonly bool _clustered;

    private TableOfContents(string storagePath, ILogger logger, bool clustered)
    {
        _clustered = clustered;
        _storagePath = storagePath;
        _collectionsPath = Path.Combine(storagePath, "collections");
        _logger = logger;
        _collections = new(StringComparer.Ordinal);
        _aliases = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// Opens the registry and lists the stored collections without loading them; <see cref="LoadPending"/> loads
    /// them (the server does so after its listeners are up, so the liveness probe answers whatever the storage size).
    /// Until a collection is loaded, requests for it are answered 503.
    /// </summary>
    /// <remarks>
    /// <paramref name="clustered"/>: this is a cluster peer, whose collections hold only the shards placed on it and
    /// serve once the agreed placement reaches them (<see cref="Collection.Place"/>).
    /// </remarks>
    public static TableOfContents Open(string storagePath, ILogger logger, bool clustered = false)
    {
        var toc = new TableOfContents(storagePath, logger, clustered);
        Directory.CreateDirectory(toc._collectionsPath);
        EmptyTrash(storagePath);
        foreach (var dir in Directory.GetDirectories(toc._collectionsPath).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(dir, CollectionConfigStore.FileName)))
            {
                // A create that crashed before its config was written: nothing was acknowledged.
                TryDelete(dir);
                EngineLog.IncompleteCollectionRemoved(logger, dir);
                continue;
            }

            var dirName = Path.GetFileName(dir);
            toc._pending.Add(dirName, NameOf(dir, dirName));
        }

        toc._aliases = AliasStore.Load(storagePath);
        return toc;
    }

    /// <summary>
    /// Loads the listed collections one by one, stopping early when <paramref name="ct"/> is cancelled. A collection
    /// that fails to open is reported broken (logged, answered 503 with the reason) and every other one serves.
    /// </summary>
    public void LoadPending(CancellationToken ct)
    {
        string[] pending;
        lock (_gate)
        {
            pending = [.. _pending.Keys.Order(StringComparer.Ordinal)];
        }

        foreach (var dirName in pending)
        {
            if (ct.IsCancellationRequested)
            {
                return;
            }

            var dir = Path.Combine(_collectionsPath, dirName);
            var name = dirName;
            try
            {
                name = CollectionConfigStore.Load(dir).Name;
                var collection = Collection.Open(dir, _logger, _clustered);
                lock (_gate)
                {
                    _pending.Remove(dirName);
                    Volatile.Write(ref _collections, new Dictionary<string, Collection>(_collections, StringComparer.Ordinal) { [collection.Name] = collection });
                }

                EngineLog.CollectionLoaded(_logger, collection.Name, collection.LocalPointsCount);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One damaged collection must not keep the server (and every other collection) down.
                var reason = e is IOException or InvalidDataException or System.Text.Json.JsonException or UnauthorizedAccessException
                    ? e.Message
                    : e.GetType().Name + ": " + e.Message;
                lock (_gate)
                {
                    _pending.Remove(dirName);
                    _broken[dirName] = new BrokenCollection(name, dir, reason);
                }

                EngineLog.CollectionLoadFailed(_logger, name, reason);
            }
        }

        lock (_gate)
        {
            // An alias whose collection is gone (not merely broken) is dropped, as before loading was deferred.
            var kept = new Dictionary<string, string>(_aliases.Where(a => _collections.ContainsKey(a.Value) || _broken.ContainsKey(DirectoryNameFor(a.Value))), StringComparer.Ordinal);
            if (kept.Count != _aliases.Count)
            {
                Volatile.Write(ref _aliases, kept);
            }
        }
    }

    /// <summary>Loading progress and the collections that could not be loaded.</summary>
    public StorageStatus Status
    {
        get
        {
            lock (_gate)
            {
                return new StorageStatus(_pending.Count == 0, _pending.Count, [.. _broken.Values.OrderBy(b => b.Name, StringComparer.Ordinal)]);
            }
        }
    }

    // Why a name that is not a loaded collection cannot be served yet, if its files exist.
    private AvError? NotServing(string name)
    {
        var dirName = DirectoryNameFor(name);
        lock (_gate)
        {
            if (_broken.TryGetValue(dirName, out var broken))
            {
                return new AvError(ErrorKind.Unavailable, $"Collection `{name}` could not be loaded at startup: {broken.Reason}");
            }

            if (_pending.ContainsKey(dirName))
            {
                return new AvError(ErrorKind.Unavailable, $"Collection `{name}` is still loading; try again shortly");
            }
        }

        return null;
    }

    /// <summary>
    /// Every stored collection's name: loaded, still loading, or broken (the last two answer 503, so a client listing
    /// the collections while the server starts does not take one for gone).
    /// </summary>
    public IReadOnlyList<string> Names()
    {
        var names = new HashSet<string>(Volatile.Read(ref _collections).Keys, StringComparer.Ordinal);
        lock (_gate)
        {
            names.UnionWith(_pending.Values);
            names.UnionWith(_broken.Values.Select(b => b.Name));
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A collection's name before it is loaded. Plain names are their directory's name; only a hashed directory
    /// name (c- and 32 hex digits) needs its config read. An unreadable config leaves the directory's name, which is
    /// also the name the collection is reported broken under.
    /// </summary>
    private static string NameOf(string dir, string dirName)
    {
        if (dirName.Length != 34 || !dirName.StartsWith("c-", StringComparison.Ordinal) || dirName.AsSpan(2).ContainsAnyExcept("0123456789abcdef"))
        {
            return dirName;
        }

        try
        {
            return CollectionConfigStore.Load(dir).Name;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return dirName;
        }
    }

    public IReadOnlyCollection<Collection> Collections => Volatile.Read(ref _collections).Values;

    /// <summary>Finds a collection by name or alias.</summary>
    public Result<Collection> Resolve(string nameOrAlias)
    {
        var collections = Volatile.Read(ref _collections);
        if (collections.TryGetValue(nameOrAlias, out var c))
        {
            return c;
        }

        var aliases = Volatile.Read(ref _aliases);
        if (aliases.TryGetValue(nameOrAlias, out var target))
        {
            if (collections.TryGetValue(target, out c))
            {
                return c;
            }

            if (NotServing(target) is { } aliasTarget)
            {
                return aliasTarget;
            }
        }

        return NotServing(nameOrAlias) ?? AvError.CollectionNotFound(nameOrAlias);
    }

    /// <summary>Creates a collection; with <paramref name="localShards"/>, only those shards are stored here (a cluster peer).</summary>
    public Result<bool> Create(string name, CollectionConfig config, IReadOnlyList<uint>? localShards = null)
    {
        if (CollectionNames.Validate(name) is { } invalid)
        {
            return invalid;
        }

        lock (_gate)
        {
            if (_collections.ContainsKey(name))
            {
                return AvError.AlreadyExists($"Collection `{name}` already exists!");
            }

            if (_aliases.ContainsKey(name))
            {
                return AvError.BadRequest($"Can't create collection with name {name}. Alias with the same name already exists");
            }

            if (_pending.ContainsKey(DirectoryNameFor(name)))
            {
                return new AvError(ErrorKind.Unavailable, $"Collection `{name}` is still loading; try again shortly");
            }

            var dir = Path.Combine(_collectionsPath, DirectoryNameFor(name));
            if (Directory.Exists(dir))
            {
                // Only a collection that failed to load leaves a directory behind (unfinished creates are
                // removed at startup): never overwrite data an operator may still recover.
                return new AvError(ErrorKind.PreconditionFailed, $"Collection `{name}` has data on disk that could not be loaded at startup (see the server log); move {dir} away to create it anew");
            }

            Collection collection;
            try
            {
                collection = Collection.Create(name, dir, config, _logger, localShards);
            }
            catch (IOException e)
            {
                TryDelete(dir);
                return AvError.InsufficientStorage("cannot create collection files: " + e.Message);
            }

            var next = new Dictionary<string, Collection>(_collections, StringComparer.Ordinal) { [name] = collection };
            Volatile.Write(ref _collections, next);
            return true;
        }
    }

    public Result<bool> Delete(string name)
    {
        Collection? removed;
        lock (_gate)
        {
            if (!_collections.TryGetValue(name, out removed))
            {
                return DeleteBroken(name);
            }

            var next = new Dictionary<string, Collection>(_collections, StringComparer.Ordinal);
            next.Remove(name);
            Volatile.Write(ref _collections, next);

            var aliases = new Dictionary<string, string>(_aliases.Where(a => a.Value != name), StringComparer.Ordinal);
            if (aliases.Count != _aliases.Count)
            {
                AliasStore.Save(_storagePath, aliases);
                Volatile.Write(ref _aliases, aliases);
            }
        }

        removed.Dispose();

        // Rename first so a crash mid-delete never leaves a half-deleted collection that loads.
        var trash = Path.Combine(_storagePath, ".trash", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
        Directory.Move(removed.Directory, trash);
        TryDelete(trash);
        return true;
    }

    // Caller holds _gate. A broken collection can be deleted like any other (its files go to the trash).
    private Result<bool> DeleteBroken(string name)
    {
        var dirName = DirectoryNameFor(name);
        if (!_broken.Remove(dirName, out var broken))
        {
            return _pending.ContainsKey(dirName) ? new AvError(ErrorKind.Unavailable, $"Collection `{name}` is still loading; try again shortly") : false;
        }

        var trash = Path.Combine(_storagePath, ".trash", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
        Directory.Move(broken.Directory, trash);
        TryDelete(trash);
        return true;
    }

    public Result<bool> UpdateAliases(IReadOnlyList<AliasOperation> operations)
    {
        lock (_gate)
        {
            // Apply to a copy; publish only if every step succeeds (atomic, as in Qdrant).
            var next = new Dictionary<string, string>(_aliases, StringComparer.Ordinal);
            foreach (var op in operations)
            {
                switch (op)
                {
                    case CreateAlias create:
                        if (CollectionNames.Validate(create.AliasName, "alias_name") is { } invalid)
                        {
                            return invalid;
                        }

                        if (!_collections.ContainsKey(create.CollectionName))
                        {
                            return AvError.CollectionNotFound(create.CollectionName);
                        }

                        if (_collections.ContainsKey(create.AliasName))
                        {
                            return AvError.AlreadyExists($"Collection `{create.AliasName}` already exists!");
                        }

                        next[create.AliasName] = create.CollectionName;
                        break;
                    case DeleteAlias delete:
                        if (!next.Remove(delete.AliasName))
                        {
                            return AvError.NotFound($"Alias {delete.AliasName} does not exists!");
                        }

                        break;
                    case RenameAlias rename:
                        if (!next.Remove(rename.OldAliasName, out var target))
                        {
                            return AvError.NotFound($"Alias {rename.OldAliasName} does not exists!");
                        }

                        if (_collections.ContainsKey(rename.NewAliasName))
                        {
                            return AvError.AlreadyExists($"Collection `{rename.NewAliasName}` already exists!");
                        }

                        next[rename.NewAliasName] = target;
                        break;
                }
            }

            AliasStore.Save(_storagePath, next);
            Volatile.Write(ref _aliases, next);
            return true;
        }
    }

    public IReadOnlyList<AliasDescription> Aliases() =>
        Volatile.Read(ref _aliases).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new AliasDescription(a.Key, a.Value)).ToList();

    public void FlushAll()
    {
        foreach (var c in Collections)
        {
            c.Flush();
        }
    }

    internal void Abandon()
    {
        lock (_gate)
        {
            foreach (var c in _collections.Values)
            {
                c.Abandon();
            }

            _collections = new(StringComparer.Ordinal);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var c in _collections.Values)
            {
                c.Dispose();
            }

            _collections = new(StringComparer.Ordinal);
        }
    }

    /// <summary>Plain names are used as directory names; anything else gets a stable hash (the real name is in collection.json).</summary>
    private static string DirectoryNameFor(string name)
    {
        if (name.Length <= 200 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') )
        {
            return name;
        }

        return "c-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..32];
    }

    private static void EmptyTrash(string storagePath)
    {
        var trash = Path.Combine(storagePath, ".trash");
        if (Directory.Exists(trash))
        {
            TryDelete(trash);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
