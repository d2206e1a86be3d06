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
internal sealed class TableOfContents : IDisposable
{
    private readonly object _gate = new();
    private readonly string _storagePath;
    private readonly string _collectionsPath;
    private readonly ILogger _logger;
    private Dictionary<string, Collection> _collections;
    private Dictionary<string, string> _aliases;

    private TableOfContents(string storagePath, ILogger logger)
    {
        _storagePath = storagePath;
        _collectionsPath = Path.Combine(storagePath, "collections");
        _logger = logger;
        _collections = new(StringComparer.Ordinal);
        _aliases = new(StringComparer.Ordinal);
    }

    public static TableOfContents Open(string storagePath, ILogger logger)
    {
        var toc = new TableOfContents(storagePath, logger);
        Directory.CreateDirectory(toc._collectionsPath);
        EmptyTrash(storagePath);
        foreach (var dir in Directory.GetDirectories(toc._collectionsPath))
        {
            if (!File.Exists(Path.Combine(dir, CollectionConfigStore.FileName)))
            {
                // A create that crashed before its config was written: nothing was acknowledged.
                TryDelete(dir);
                EngineLog.IncompleteCollectionRemoved(logger, dir);
                continue;
            }

            try
            {
                var collection = Collection.Open(dir, logger);
                toc._collections[collection.Name] = collection;
                EngineLog.CollectionLoaded(logger, collection.Name, collection.PointsCount);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or KeyNotFoundException or UnauthorizedAccessException)
            {
                // One damaged collection must not keep the server (and every other collection) down.
                EngineLog.CollectionLoadFailed(logger, Path.GetFileName(dir), e.Message);
            }
        }

        toc._aliases = AliasStore.Load(storagePath);
        foreach (var (alias, target) in toc._aliases.ToArray())
        {
            if (!toc._collections.ContainsKey(target))
            {
                toc._aliases.Remove(alias);
            }
        }

        return toc;
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
        if (aliases.TryGetValue(nameOrAlias, out var target) && collections.TryGetValue(target, out c))
        {
            return c;
        }

        return AvError.CollectionNotFound(nameOrAlias);
    }

    public Result<bool> Create(string name, CollectionConfig config)
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
                collection = Collection.Create(name, dir, config, _logger);
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
                return false;
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
