using AotVector.Engine.Cluster;

namespace AotVector.Server.Cluster;

/// <summary>
/// The agreed configuration and payload index schema reach the local engine: read from the metadata when the change
/// is applied (so a replay converges to the current state), never from the operation.
/// </summary>
internal sealed partial class LocalMetadataApplier : ICollectionSchemaListener
{
    public void SchemaChanged(string collection, string? field) =>
        Enqueue(() =>
        {
            if (Metadata?.Collection(collection) is not { } agreed)
            {
                return;
            }

            if (field is null)
            {
                Report(_engine.UpdateAgreedCollection(collection, agreed.Config), "update collection", collection);
            }
            else
            {
                Report(_engine.SyncAgreedFieldIndex(collection, field, agreed.PayloadIndexes.GetValueOrDefault(field)), $"change the payload index `{field}` of collection", collection);
            }
        });

    /// <summary>A collection this peer (re)created gets the agreed configuration and every agreed payload index.</summary>
    private void SyncSchema(CollectionMetadata agreed)
    {
        Report(_engine.UpdateAgreedCollection(agreed.Name, agreed.Config), "update collection", agreed.Name);
        foreach (var (field, index) in agreed.PayloadIndexes)
        {
            Report(_engine.SyncAgreedFieldIndex(agreed.Name, field, index), $"create the payload index `{field}` of collection", agreed.Name);
        }
    }
}
