using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Segment;

namespace AotVector.Engine.Collections;

internal sealed partial class Collection
{
    /// <summary>
    /// The refusal of a vector name this collection does not have, worded as the reference's ("Not existing vector
    /// name error: …") and naming the vectors it does have, so a query that forgot <c>using</c> says what to write.
    /// </summary>
    private AvError UnknownVector(string name)
    {
        var vectors = Config.Params.Vectors;
        if (vectors.Single is not null)
        {
            return NoSuchVector(name + " (this collection has one unnamed vector: leave out `using`)");
        }

        var names = vectors.Named is { Count: > 0 } named ? "`" + string.Join("`, `", named.Keys.Order(StringComparer.Ordinal)) + "`" : "none";
        return name.Length == 0
            ? NoSuchVector($"no vector name was given, and this collection has named vectors only: {names} (name one with `using`)")
            : NoSuchVector($"{name} (this collection's vectors: {names})");
    }

    // Vector name operations one at a time: each reads the config, saves a changed one and logs its operation.
    private readonly Lock _vectorNames = new();

    /// <summary>
    /// Adds a vector name as the reference does: the config is saved first, then the operation is logged and applied
    /// on every shard (a restart makes the segments agree with a saved config whose operation never reached the WAL).
    /// A name already there with the same shape is logged again and changes nothing; with another shape, or of the
    /// other kind, it is refused.
    /// </summary>
    public Result<UpdateResult> CreateVectorName(CreateVectorNameRequest request, bool wait)
    {
        lock (_vectorNames)
        {
            var config = Config;
            var name = request.VectorName;
            var dense = config.Params.Vectors.Find(name);
            var sparse = SparseParams(name);
            CollectionParams? updated = null;
            UpdateOperation op;
            if (request.Dense is { } wanted)
            {
                if (sparse is not null)
                {
                    return AvError.BadRequest($"Vector `{name}` already exists as a sparse vector");
                }

                // The datatype as given: none and float32 are different configurations, as the reference compares them.
                VectorDatatype? datatype = request.Datatype is { } named && VectorDatatypes.TryParse(named, out var parsed) ? parsed : null;
                if (dense is not null && (dense.Size != wanted.Size || dense.Distance != wanted.Distance || dense.MultivectorConfig != wanted.MultivectorConfig || dense.Datatype != datatype))
                {
                    return AvError.BadRequest($"Vector `{name}` already exists with a different configuration");
                }

                if (dense is null)
                {
                    updated = config.Params with { Vectors = config.Params.Vectors.With(name, new VectorParams(wanted.Size, wanted.Distance, MultivectorConfig: wanted.MultivectorConfig) { Datatype = datatype }) };
                }

                op = new CreateVectorName(name, new VectorSpec((int)wanted.Size, wanted.Distance, wanted.MultivectorConfig is not null, datatype ?? VectorDatatype.Float32));
            }
            else
            {
                var wantedSparse = request.Sparse!;
                if (dense is not null)
                {
                    return AvError.BadRequest($"Vector `{name}` already exists as a dense vector");
                }

                if (sparse is not null && (sparse.Modifier != wantedSparse.Modifier || sparse.Index?.Datatype != request.Datatype))
                {
                    return AvError.BadRequest($"Sparse vector `{name}` already exists with a different configuration");
                }

                if (sparse is null)
                {
                    var all = new Dictionary<string, SparseVectorParams>(config.Params.SparseVectors ?? new Dictionary<string, SparseVectorParams>(), StringComparer.Ordinal)
                    {
                        [name] = new SparseVectorParams(request.Datatype is null ? null : new SparseIndexParams(Datatype: request.Datatype), wantedSparse.Modifier),
                    };
                    updated = config.Params with { SparseVectors = all };
                }

                op = new CreateVectorName(name, null);
            }

            return ChangeVectors(config, updated, op, wait);
        }
    }

    /// <summary>
    /// Removes a vector name, dense or sparse, with every point's value of it: config first, then the logged
    /// operation. A name the collection does not have is logged too and changes nothing, as in the reference.
    /// </summary>
    public Result<UpdateResult> DeleteVectorName(string name, bool wait)
    {
        lock (_vectorNames)
        {
            var config = Config;
            CollectionParams? updated = null;
            if (config.Params.Vectors.Find(name) is not null)
            {
                updated = config.Params with { Vectors = config.Params.Vectors.Without(name) };
            }
            else if (SparseParams(name) is not null)
            {
                var rest = config.Params.SparseVectors!.Where(kv => kv.Key != name).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
                updated = config.Params with { SparseVectors = rest.Count == 0 ? null : rest };
            }

            return ChangeVectors(config, updated, new DeleteVectorName(name), wait);
        }
    }

    /// <summary>Makes the local shards' segments hold the vectors the config lists (after open; see LocalShard.MatchVectors).</summary>
    internal void MatchVectors()
    {
        var sparse = Config.Params.SparseVectors?.Keys ?? (IEnumerable<string>)[];
        foreach (var shard in _local)
        {
            shard.MatchVectors(Config.Params.Vectors, sparse);
        }
    }

    // Saves the changed params (if any), then logs and applies the operation on every shard. When nothing was
    // logged, the previous config is put back, so the config never names a vector the shards were not told about
    // while the server runs.
    private Result<UpdateResult> ChangeVectors(CollectionConfig config, CollectionParams? updated, UpdateOperation op, bool wait)
    {
        if (updated is not null)
        {
            UpdateConfig(config with { Params = updated });
        }

        var result = Update(op, wait);
        if (!result.IsOk && updated is not null)
        {
            UpdateConfig(config);
        }

        return result;
    }
}
