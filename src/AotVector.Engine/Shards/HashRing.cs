using System.Buffers.Binary;
using AotVector.Common.Model;

namespace AotVector.Engine.Shards;

/// <summary>
/// Which shard a point belongs to: a consistent-hash ring on which every shard id holds
/// <see cref="VirtualNodes"/> positions (the hash of the shard id and the node's index) and a point belongs to the
/// first position at or after its own hash (<see cref="StableHash"/>), wrapping around. The same shard ids give the same
/// ring on every machine, whatever order they are given in; adding a shard moves only the points that now fall to it,
/// and removing one only its own. Immutable: <see cref="With"/> and <see cref="Without"/> build a new ring, so a
/// placement can switch rings while reads use the old one.
/// </summary>
public sealed class HashRing
{
    /// <summary>Positions per shard: enough to keep shards within a few per cent of an even share.</summary>
    public const int DefaultVirtualNodes = 100;

    private readonly ulong[] _positions;
    private readonly uint[] _owners;
    private readonly uint[] _shards;

    public HashRing(IEnumerable<uint> shardIds, int virtualNodes = DefaultVirtualNodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(virtualNodes, 1);
        VirtualNodes = virtualNodes;
        _shards = [.. shardIds.Distinct().Order()];
        if (_shards.Length == 0)
        {
            throw new ArgumentException("a hash ring needs at least one shard", nameof(shardIds));
        }

        var nodes = new (ulong Position, uint Shard)[_shards.Length * virtualNodes];
        var n = 0;
        Span<byte> key = stackalloc byte[8];
        foreach (var shard in _shards)
        {
            for (var i = 0; i < virtualNodes; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(key, shard);
                BinaryPrimitives.WriteUInt32LittleEndian(key[4..], (uint)i);
                nodes[n++] = (StableHash.Of(key), shard);
            }
        }

        // Two nodes on one position (rare) are ordered by shard id, so the owner does not depend on input order.
        Array.Sort(nodes, static (a, b) => a.Position != b.Position ? a.Position.CompareTo(b.Position) : a.Shard.CompareTo(b.Shard));
        _positions = [.. nodes.Select(x => x.Position)];
        _owners = [.. nodes.Select(x => x.Shard)];
    }

    /// <summary>A ring over shards <c>0..count-1</c>, as a collection created with <c>shard_number = count</c> has.</summary>
    public static HashRing ForShardCount(uint count, int virtualNodes = DefaultVirtualNodes) =>
        new(Enumerable.Range(0, checked((int)count)).Select(i => (uint)i), virtualNodes);

    public int VirtualNodes { get; }

    /// <summary>The shard ids on the ring, ascending.</summary>
    public IReadOnlyList<uint> ShardIds => _shards;

    public uint ShardFor(PointId id) => ShardForHash(StableHash.Of(id));

    /// <summary>The owner of a position on the ring: the first node at or after it, the first node past the end.</summary>
    public uint ShardForHash(ulong hash)
    {
        var index = Array.BinarySearch(_positions, hash);
        if (index < 0)
        {
            index = ~index;
        }
        else
        {
            // Equal positions: the first of them, as a lower bound would find.
            while (index > 0 && _positions[index - 1] == hash)
            {
                index--;
            }
        }

        return _owners[index == _positions.Length ? 0 : index];
    }

    public bool Contains(uint shardId) => Array.BinarySearch(_shards, shardId) >= 0;

    /// <summary>This ring with <paramref name="shardId"/> added (the same ring if it is there already).</summary>
    public HashRing With(uint shardId) => Contains(shardId) ? this : new HashRing(_shards.Append(shardId), VirtualNodes);

    /// <summary>This ring without <paramref name="shardId"/>; a ring keeps at least one shard.</summary>
    public HashRing Without(uint shardId)
    {
        if (!Contains(shardId))
        {
            return this;
        }

        if (_shards.Length == 1)
        {
            throw new InvalidOperationException("cannot remove the last shard of a hash ring");
        }

        return new HashRing(_shards.Where(s => s != shardId), VirtualNodes);
    }
}
