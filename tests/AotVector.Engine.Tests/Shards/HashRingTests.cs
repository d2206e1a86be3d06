using AotVector.Common.Model;
using AotVector.Engine.Shards;

namespace AotVector.Engine.Tests.Shards;

/// <summary>
/// The ring that places points on shards: the same placement on every machine and run (pinned values, computed
/// independently of this code), an even spread, and consistent hashing's small movement when shards come and go.
/// </summary>
public sealed class HashRingTests
{
    private const int Points = 30_000;

    [Fact]
    public void Hash_IsPinned_SoEveryMachineAndRunAgrees()
    {
        Assert.Equal(11411283106358391585UL, StableHash.Of(PointId.FromNum(0)));
        Assert.Equal(15897049085086998525UL, StableHash.Of(PointId.FromNum(1)));
        Assert.Equal(8067187321011394990UL, StableHash.Of(PointId.FromUuid(Guid.Parse("550e8400-e29b-41d4-a716-446655440000"))));
    }

    [Fact]
    public void Placement_IsPinned_AndIndependentOfTheOrderShardsAreGiven()
    {
        var ring = HashRing.ForShardCount(3);
        Assert.Equal([0u, 2, 2, 0, 1, 0, 0, 1, 2, 2, 2, 0], Enumerable.Range(0, 12).Select(i => ring.ShardFor(PointId.FromNum((ulong)i))));
        Assert.Equal(2u, ring.ShardFor(PointId.FromUuid(Guid.Parse("550e8400-e29b-41d4-a716-446655440000"))));

        var shuffled = new HashRing([2u, 0, 1, 2]);
        Assert.Equal([0u, 1, 2], shuffled.ShardIds);
        Assert.All(Enumerable.Range(0, 2000), i => Assert.Equal(ring.ShardFor(PointId.FromNum((ulong)i)), shuffled.ShardFor(PointId.FromNum((ulong)i))));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(8)]
    public void Spread_KeepsEveryShardNearAnEvenShare(int shards)
    {
        var counts = Spread(HashRing.ForShardCount((uint)shards), Ids());
        Assert.Equal(shards, counts.Count);
        var even = (double)Points / shards;
        Assert.All(counts.Values, c => Assert.InRange(c / even, 0.75, 1.25));
    }

    [Fact]
    public void ShardIds_NeedNotBeConsecutive()
    {
        var ring = new HashRing([7u, 42, 1000]);
        var counts = Spread(ring, Ids());
        Assert.Equal([7u, 42, 1000], counts.Keys.Order().ToArray());
        Assert.All(counts.Values, c => Assert.InRange(c / (Points / 3.0), 0.75, 1.25));
    }

    [Fact]
    public void AddingAShard_MovesOnlyPointsOntoIt_AboutItsShare()
    {
        var before = HashRing.ForShardCount(3);
        var after = before.With(3);
        Assert.Same(after, after.With(3));
        var moved = 0;
        foreach (var id in Ids())
        {
            var (was, now) = (before.ShardFor(id), after.ShardFor(id));
            if (was != now)
            {
                Assert.Equal(3u, now);
                moved++;
            }
        }

        // A quarter on average; never a reshuffle.
        Assert.InRange(moved / (double)Points, 0.15, 0.35);
    }

    [Fact]
    public void RemovingAShard_MovesOnlyItsPoints()
    {
        var before = new HashRing([1u, 5, 9, 13]);
        var after = before.Without(9);
        Assert.Equal([1u, 5, 13], after.ShardIds);
        foreach (var id in Ids())
        {
            var was = before.ShardFor(id);
            var now = after.ShardFor(id);
            Assert.True(was == now || was == 9, $"point {id} moved from shard {was} to {now}");
            Assert.NotEqual(9u, now);
        }

        Assert.Throws<InvalidOperationException>(() => new HashRing([4u]).Without(4));
        Assert.Throws<ArgumentException>(() => new HashRing([]));
    }

    [Fact]
    public void UuidIds_SpreadLikeNumbers()
    {
        var random = new Random(7);
        var ids = Enumerable.Range(0, Points).Select(_ =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return PointId.FromUuid(new Guid(bytes));
        });
        Assert.All(Spread(HashRing.ForShardCount(4), ids).Values, c => Assert.InRange(c / (Points / 4.0), 0.75, 1.25));
    }

    private static IEnumerable<PointId> Ids() => Enumerable.Range(0, Points).Select(i => PointId.FromNum((ulong)i));

    private static Dictionary<uint, int> Spread(HashRing ring, IEnumerable<PointId> ids)
    {
        var counts = new Dictionary<uint, int>();
        foreach (var id in ids)
        {
            var shard = ring.ShardFor(id);
            counts[shard] = counts.GetValueOrDefault(shard) + 1;
        }

        return counts;
    }
}
