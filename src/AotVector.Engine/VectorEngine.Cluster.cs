using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Catalog;
using AotVector.Engine.Files;

namespace AotVector.Engine;

/// <summary>
/// What cluster mode asks of the engine: resolve a create request into the configuration every peer will store
/// (the proposer's defaults, in the <c>collection.json</c> format), and apply agreed metadata changes locally.
/// </summary>
public sealed partial class VectorEngine
{
    /// <summary>
    /// Validates a create request and returns its full configuration as <c>collection.json</c> text, for a
    /// consensus proposal. Nothing is created. <c>shard_number</c> above 1 is accepted: placement is the cluster's.
    /// </summary>
    public Result<string> PrepareCollection(AccessContext access, CreateCollectionRequest request)
    {
        if (!access.CanManage)
        {
            return s_manageRequired;
        }

        return Guard(() =>
        {
            if (CollectionNames.Validate(request.Name) is { } invalid)
            {
                return invalid;
            }

            if (!ResolveCreate(request).TryGet(out var config, out var error))
            {
                return error;
            }

            return _space.Refusal(config.WalConfig.WalCapacityMb) is { } full
                ? full
                : Result<string>.Ok(JsonSerializer.Serialize(CollectionConfigFile.From(request.Name, config), EngineFilesJsonContext.Default.CollectionConfigFile));
        });
    }

    /// <summary>
    /// Creates a collection the cluster agreed on, with the configuration <see cref="PrepareCollection"/> produced.
    /// A collection of that name already here is left alone (the log replays after a restart).
    /// </summary>
    public Result<bool> CreateAgreedCollection(string name, string config)
    {
        return Guard<bool>(() =>
        {
            if (_toc.Resolve(name).IsOk)
            {
                return false;
            }

            CollectionConfigFile? file;
            try
            {
                file = JsonSerializer.Deserialize(config, EngineFilesJsonContext.Default.CollectionConfigFile);
            }
            catch (JsonException e)
            {
                return AvError.Internal($"the agreed configuration of collection `{name}` cannot be read: {e.Message}");
            }

            return file is null ? AvError.Internal($"the agreed configuration of collection `{name}` is empty") : _toc.Create(name, file.ToConfig());
        });
    }

    /// <summary>Deletes a collection the cluster deleted; a missing one is not an error.</summary>
    public Result<bool> DeleteAgreedCollection(string name) =>
        Guard(() =>
        {
            var deleted = _toc.Delete(name);
            if (deleted.IsOk && deleted.Value)
            {
                CollectionDeleted(name);
            }

            return deleted;
        });

    /// <summary>Makes the local aliases exactly <paramref name="aliases"/> (alias → collection), the agreed set.</summary>
    public Result<bool> SetAgreedAliases(IReadOnlyDictionary<string, string> aliases) =>
        Guard(() =>
        {
            var operations = new List<AliasOperation>();
            foreach (var existing in _toc.Aliases())
            {
                if (!aliases.TryGetValue(existing.AliasName, out var target) || target != existing.CollectionName)
                {
                    operations.Add(new DeleteAlias(existing.AliasName));
                }
            }

            var current = _toc.Aliases().ToDictionary(a => a.AliasName, a => a.CollectionName, StringComparer.Ordinal);
            foreach (var (alias, collection) in aliases)
            {
                if (!current.TryGetValue(alias, out var target) || target != collection)
                {
                    if (_toc.Resolve(collection).IsOk)
                    {
                        operations.Add(new CreateAlias(collection, alias));
                    }
                }
            }

            return operations.Count == 0 ? true : _toc.UpdateAliases(operations);
        });

    /// <summary>Names of the collections stored here (loaded or not), for reconciling with the agreed metadata.</summary>
    public IReadOnlyList<string> LocalCollectionNames() => _toc.Names().ToList();
}
