using AotVector.Common.Model;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Collections;

/// <summary>
/// A placement whose searches, scrolls and counts reach one shard of a collection, while a point asked for by id is
/// still found on whichever shard holds it (a query vector given as a point id may live on another shard).
/// </summary>
internal sealed class OneShardScope(IShardPlacement whole, IShard shard) : IShardPlacement
{
    private readonly IShard[] _one = [shard];

    public IReadOnlyList<IShard> AllShards => _one;

    public IShard ShardFor(PointId id) => whole.ShardFor(id);
}
