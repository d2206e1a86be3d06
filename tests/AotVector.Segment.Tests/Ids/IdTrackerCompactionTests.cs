using AotVector.Common.Model;
using AotVector.Segment.Ids;

namespace AotVector.Segment.Tests.Ids;

/// <summary>
/// The compact tracker against a plain model (a sorted set of live ids and a map of latest offsets) over enough
/// seeded operations to fold its overlays into the sorted arrays many times, with numeric ids and UUIDs mixed.
/// </summary>
public sealed class IdTrackerCompactionTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.3)]
    [InlineData(3, 1.0)]
    public void RandomOperations_MatchTheModel(int seed, double uuidShare)
    {
        var random = new Random(seed);
        var tracker = new IdTracker();
        var live = new SortedSet<PointId>();
        var latest = new Dictionary<PointId, uint>();
        var uuids = Enumerable.Range(0, 3000).Select(_ => NewGuid(random)).ToArray();
        ulong version = 0;

        for (int step = 0; step < 20_000; step++)
        {
            PointId id = random.NextDouble() < uuidShare ? uuids[random.Next(uuids.Length)] : (ulong)random.Next(6000);
            version++;
            if (live.Contains(id))
            {
                // Delete its live offset (as a segment does on delete or before a re-insert).
                Assert.True(tracker.TryGetOffset(id, out var offset));
                Assert.Equal(latest[id], offset);
                tracker.MarkDeleted(offset, version);
                live.Remove(id);
            }
            else
            {
                uint offset = tracker.Allocate(id, version);
                latest[id] = offset;
                live.Add(id);
            }

            Assert.Equal(live.Count, tracker.LiveCount);
            if (step % 997 == 0)
            {
                CheckAll(tracker, live, latest, random);
            }
        }

        CheckAll(tracker, live, latest, random);

        // Restoring the same entries in offset order rebuilds the same state.
        var restored = new IdTracker();
        for (uint o = 0; o < tracker.Count; o++)
        {
            restored.Restore(tracker.IdAt(o), tracker.VersionAt(o), tracker.IsDeleted(o));
        }

        CheckAll(restored, live, latest, random);
    }

    [Fact]
    public void LiveIds_AfterCompaction_StartsAtTheBoundAcrossNumbersAndUuids()
    {
        var tracker = new IdTracker();
        var random = new Random(9);
        var uuids = Enumerable.Range(0, 1500).Select(_ => NewGuid(random)).OrderBy(g => g).ToArray();
        for (ulong n = 0; n < 1500; n++)
        {
            tracker.Allocate(n * 2, n);
        }

        foreach (var uuid in uuids)
        {
            tracker.Allocate(uuid, 1);
        }

        Assert.Equal(3000, tracker.LiveCount);
        Assert.Equal([(PointId)1000ul, (PointId)1002ul], tracker.LiveIds(999ul).Take(2));
        Assert.Equal((PointId)uuids[0], tracker.LiveIds(2999ul).First());
        Assert.Equal(uuids.Skip(700).Select(u => (PointId)u), tracker.LiveIds(uuids[700]));
        Assert.Empty(tracker.LiveIds(PointId.FromUuid(Guid.AllBitsSet)));
    }

    private static void CheckAll(IdTracker tracker, SortedSet<PointId> live, Dictionary<PointId, uint> latest, Random random)
    {
        Assert.Equal(live.Count, tracker.LiveCount);
        Assert.Equal(live, tracker.LiveIds());
        var from = live.Count > 0 ? live.ElementAt(random.Next(live.Count)) : PointId.FromNum(0);
        Assert.Equal(live.GetViewBetween(from, PointId.FromUuid(Guid.AllBitsSet)), tracker.LiveIds(from));
        foreach (var (id, offset) in latest)
        {
            Assert.True(tracker.TryGetLatest(id, out var got, out var deleted));
            Assert.Equal(offset, got);
            Assert.Equal(!live.Contains(id), deleted);
            Assert.Equal(id, tracker.IdAt(offset));
        }

        Assert.Equal(
            Enumerable.Range(0, (int)tracker.Count).Select(o => (uint)o).Where(o => !tracker.IsDeleted(o)),
            tracker.LiveOffsets());
    }

    private static Guid NewGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
