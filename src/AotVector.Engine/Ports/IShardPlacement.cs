using AotVector.Common.Model;

namespace AotVector.Engine.Ports;

/// <summary>
/// Where points live. Standalone mode has one local shard; cluster mode plugs in a placement
/// that hashes ids over shards and routes to replica sets.
/// </summary>
public interface IShardPlacement
{
    IReadOnlyList<IShard> AllShards { get; }

    IShard ShardFor(PointId id);
}
