namespace AotVector.Engine.Cluster;

/// <summary>
/// Told, besides <see cref="IClusterMetadataListener"/>, when an agreed collection's configuration or payload index
/// schema changed; as there, called in log order, quick, and again for every operation a restart replays.
/// </summary>
public interface ICollectionSchemaListener
{
    /// <summary><paramref name="field"/> is the payload index that changed; null when the configuration did.</summary>
    void SchemaChanged(string collection, string? field);
}
