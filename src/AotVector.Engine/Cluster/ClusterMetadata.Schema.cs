using AotVector.Common.Errors;

namespace AotVector.Engine.Cluster;

public sealed partial class ClusterMetadata
{
    /// <summary>A collection's configuration or payload index schema changes (called under the lock).</summary>
    private Result<bool> ChangeSchema(MetaOp op)
    {
        if (!_collections.TryGetValue(op.Collection!, out var collection))
        {
            return AvError.CollectionNotFound(op.Collection!);
        }

        switch (op.Kind)
        {
            case MetaOpKind.UpdateCollection:
                if (string.IsNullOrEmpty(op.Config))
                {
                    return AvError.BadRequest("a collection update needs a configuration");
                }

                // Computed from what the proposer read: a change applied meanwhile would be lost, so the proposer retries.
                if (op.FromConfig is { } from && from != collection.Config)
                {
                    return new AvError(ErrorKind.PreconditionFailed, $"collection `{op.Collection}` was changed concurrently");
                }

                collection.Config = op.Config;
                return true;
            case MetaOpKind.CreatePayloadIndex:
                if (string.IsNullOrEmpty(op.FieldName) || op.FieldIndex is not { Length: > 0 } index)
                {
                    return AvError.BadRequest("a payload index needs a field and a schema");
                }

                collection.PayloadIndexes[op.FieldName] = index;
                return true;
            default:
                if (string.IsNullOrEmpty(op.FieldName))
                {
                    return AvError.BadRequest("a payload index needs a field");
                }

                collection.PayloadIndexes.Remove(op.FieldName);
                return true;
        }
    }
}
