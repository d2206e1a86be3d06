using AotVector.Common.Model;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Shards;

/// <summary>Standalone placement: every point lives in shard 0.</summary>
internal sealed class SingleShardPlacement(IShard shard) : IShardPlacement
{
    private readonly IShard[] _all = [shard];

    public IReadOnlyList<IShard> AllShards => _all;

    public IShard ShardFor(PointId id) => _all[0];
}
