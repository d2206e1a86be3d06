using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Files;
using AotVector.Engine.Operations;
using AotVector.Engine.Strict;

namespace AotVector.Engine;

/// <summary>
/// The parts of a collection's schema the cluster agrees on beyond its creation: a configuration change
/// (<c>PATCH /collections/{name}</c>) and the payload index schema. The proposing peer resolves them here; every
/// peer then applies the agreed result to what it stores, including a peer that replays the log after a restart.
/// </summary>
public sealed partial class VectorEngine
{
    /// <summary>
    /// Validates an update of collection <paramref name="name"/> (not an alias) against its agreed configuration
    /// (<c>collection.json</c> text) and returns the updated configuration as the same text, for a proposal.
    /// </summary>
    public Result<string> PrepareUpdate(AccessContext access, UpdateCollectionRequest request, string name, string agreedConfig)
    {
        if (!access.CanManage)
        {
            return s_manageRequired;
        }

        return Guard(() =>
        {
            if (ValidateUpdate(request) is { } invalid)
            {
                return invalid;
            }

            if (!ReadAgreedConfig(name, agreedConfig).TryGet(out var config, out var error))
            {
                return error;
            }

            if (!Updated(config, request).TryGet(out var updated, out error))
            {
                return error;
            }

            return _space.Refusal(config.WalConfig.WalCapacityMb) is { } full
                ? full
                : Result<string>.Ok(JsonSerializer.Serialize(CollectionConfigFile.From(name, updated), EngineFilesJsonContext.Default.CollectionConfigFile));
        });
    }

    /// <summary>Gives a stored cluster collection its agreed configuration; false when it is not here or already has it.</summary>
    public Result<bool> UpdateAgreedCollection(string name, string agreedConfig) =>
        Guard<bool>(() =>
        {
            var found = _toc.Resolve(name);
            if (!found.TryGet(out var c, out _) || c.Name != name)
            {
                return false;
            }

            if (!ReadAgreedConfig(name, agreedConfig).TryGet(out var config, out var error))
            {
                return error;
            }

            string Text(CollectionConfig x) => JsonSerializer.Serialize(CollectionConfigFile.From(name, x), EngineFilesJsonContext.Default.CollectionConfigFile);
            if (Text(config) == Text(c.Config))
            {
                return false;
            }

            c.UpdateConfig(config);
            return true;
        });

    /// <summary>
    /// Checks a payload index change a caller asks of a cluster collection before it is proposed: access (collection
    /// write beyond points), the field path, and strict mode's index limit. Answers the collection's name (an alias
    /// resolved) and the operation as the consensus log stores it.
    /// </summary>
    public Result<(string Name, byte[] Encoded)> PrepareFieldIndex(AccessContext access, string collection, UpdateOperation operation) =>
        Guard<(string, byte[])>(() =>
        {
            var field = operation switch
            {
                CreateFieldIndex create => create.FieldName,
                DeleteFieldIndex delete => delete.FieldName,
                _ => null,
            };
            if (field is null)
            {
                return AvError.Internal($"{operation.GetType().Name} is not a payload index change");
            }

            var found = Resolve(access, collection, AccessLevel.ReadWrite);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            if (!JsonPath.TryParse(field, out _, out var pathError))
            {
                return AvError.BadRequest($"Bad request: {pathError}");
            }

            if (Strict(c) is { } strict && StrictModeCheck.Update(operation, strict, c) is { } refused)
            {
                return refused;
            }

            return (c.Name, OperationCodec.Encode(operation));
        });

    /// <summary>
    /// Writes an agreed payload index change to every replica of collection <paramref name="name"/>, as a client's
    /// write is (the caller's <c>wait</c> and answer). Strict mode was checked before the change was proposed: checked
    /// again, the index this peer already built from the agreed schema would count against its own limit.
    /// </summary>
    public ValueTask<Result<UpdateResult>> WriteAgreedFieldIndexAsync(AccessContext access, string name, UpdateOperation operation, WriteOptions options) =>
        new(_updates.Run(() => Guard(() =>
        {
            var found = Resolve(access, name, AccessLevel.ReadWrite);
            if (!found.TryGet(out var c, out var error))
            {
                return error;
            }

            var result = c.Update(operation, options.Wait);
            if (result.IsOk && operation is CreateFieldIndex index)
            {
                FieldIndexed(c, index.FieldName);
            }

            return result;
        })));

    /// <summary>
    /// Makes this peer's replicas of collection <paramref name="name"/> carry the agreed payload index of
    /// <paramref name="field"/> (<paramref name="encoded"/>, a create as <see cref="PrepareFieldIndex"/> encoded it),
    /// or none when <paramref name="encoded"/> is null. A replica that already has it is left alone.
    /// </summary>
    public Result<bool> SyncAgreedFieldIndex(string name, string field, byte[]? encoded) =>
        Guard<bool>(() =>
        {
            var found = _toc.Resolve(name);
            if (!found.TryGet(out var c, out _) || c.Name != name)
            {
                return false;
            }

            var wanted = encoded is null ? null : OperationCodec.Decode(encoded) as CreateFieldIndex;
            var changed = false;
            foreach (var shard in c.LocalShards)
            {
                var has = shard.PayloadSchema.TryGetValue(field, out var info);
                UpdateOperation? change = wanted is null
                    ? has ? new DeleteFieldIndex(field) : null
                    : !has || info!.DataType != wanted.Schema || !Equals(info.Options, wanted.Options) ? wanted : null;
                if (change is null)
                {
                    continue;
                }

                if (!shard.Update(change, wait: false).TryGet(out _, out var error))
                {
                    return error;
                }

                changed = true;
            }

            if (changed && wanted is not null)
            {
                FieldIndexed(c, field);
            }

            return changed;
        });

    private static Result<CollectionConfig> ReadAgreedConfig(string name, string agreedConfig)
    {
        CollectionConfigFile? file;
        try
        {
            file = JsonSerializer.Deserialize(agreedConfig, EngineFilesJsonContext.Default.CollectionConfigFile);
        }
        catch (JsonException e)
        {
            return AvError.Internal($"the agreed configuration of collection `{name}` cannot be read: {e.Message}");
        }

        return file is null ? AvError.Internal($"the agreed configuration of collection `{name}` is empty") : file.ToConfig();
    }
}
