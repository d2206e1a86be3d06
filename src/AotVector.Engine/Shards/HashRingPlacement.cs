using AotVector.Common.Model;
using AotVector.Engine.Ports;

namespace AotVector.Engine.Shards;

/// <summary>
/// Points spread over several shards by a <see cref="HashRing"/> over their shard ids. It knows the shards only as
/// <see cref="IShard"/>: local ones standalone, replica sets in cluster mode.
/// </summary>
public sealed class HashRingPlacement : IShardPlacement
{
    private readonly IShard[] _all;
    private readonly Dictionary<uint, IShard> _byId;

    /// <summary>A placement over <paramref name="shards"/> (distinct ids) with a ring over exactly their ids.</summary>
    public HashRingPlacement(IEnumerable<IShard> shards, int virtualNodes = HashRing.DefaultVirtualNodes)
    {
        _all = [.. shards.OrderBy(s => s.ShardId)];
        _byId = new Dictionary<uint, IShard>(_all.Length);
        foreach (var shard in _all)
        {
            if (!_byId.TryAdd(shard.ShardId, shard))
            {
                throw new ArgumentException($"shard {shard.ShardId} is given twice", nameof(shards));
            }
        }

        Ring = new HashRing(_byId.Keys, virtualNodes);
    }

    public HashRing Ring { get; }

    /// <summary>The shards, by ascending id.</summary>
    public IReadOnlyList<IShard> AllShards => _all;

    public IShard ShardFor(PointId id) => _byId[Ring.ShardFor(id)];
}
