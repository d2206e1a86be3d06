using AotVector.Common.Model;
using AotVector.Segment.Ids;

namespace AotVector.Segment.Tests.Ids;

public sealed class IdTrackerTests
{
    [Fact]
    public void Allocate_AssignsDenseOffsetsInOrder()
    {
        var tracker = new IdTracker();
        Assert.Equal(0u, tracker.Allocate(10ul, 1));
        Assert.Equal(1u, tracker.Allocate(Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26"), 2));
        Assert.Equal(2u, tracker.Allocate(3ul, 3));
        Assert.Equal(3u, tracker.Count);
        Assert.Equal(3, tracker.LiveCount);
        Assert.True(tracker.TryGetOffset(3ul, out var offset));
        Assert.Equal(2u, offset);
        Assert.Equal((PointId)10ul, tracker.IdAt(0));
        Assert.Equal(3ul, tracker.VersionAt(2));
    }

    [Fact]
    public void MarkDeleted_KeepsTombstone_OffsetNeverReused()
    {
        var tracker = new IdTracker();
        tracker.Allocate(1ul, 1);
        tracker.MarkDeleted(0, 5);
        Assert.False(tracker.TryGetOffset(1ul, out _));
        Assert.True(tracker.TryGetLatest(1ul, out var tomb, out var deleted));
        Assert.Equal(0u, tomb);
        Assert.True(deleted);
        Assert.Equal(5ul, tracker.VersionAt(0));

        Assert.Equal(1u, tracker.Allocate(1ul, 6));
        Assert.True(tracker.TryGetOffset(1ul, out var offset));
        Assert.Equal(1u, offset);
        Assert.Equal(1, tracker.LiveCount);
    }

    [Fact]
    public void Allocate_LiveId_Throws()
    {
        var tracker = new IdTracker();
        tracker.Allocate(1ul, 1);
        Assert.Throws<InvalidOperationException>(() => tracker.Allocate(1ul, 2));
    }

    [Fact]
    public void SameOps_SameOffsets()
    {
        static List<uint> Run()
        {
            var tracker = new IdTracker();
            var rng = new Random(7);
            var offsets = new List<uint>();
            for (var i = 0; i < 500; i++)
            {
                PointId id = (ulong)rng.Next(50);
                if (tracker.TryGetOffset(id, out var offset))
                {
                    if (rng.Next(2) == 0)
                    {
                        tracker.MarkDeleted(offset, (ulong)i);
                    }
                }
                else
                {
                    offsets.Add(tracker.Allocate(id, (ulong)i));
                }
            }

            return offsets;
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void LiveIds_AscendingNumbersBeforeUuids_FromInclusive()
    {
        var tracker = new IdTracker();
        var u1 = Guid.Parse("00000000-0000-0000-0000-000000000001");
        var u2 = Guid.Parse("ffffffff-0000-0000-0000-000000000000");
        tracker.Allocate(u2, 1);
        tracker.Allocate(5ul, 1);
        tracker.Allocate(u1, 1);
        tracker.Allocate(2ul, 1);
        tracker.Allocate(9ul, 1);
        tracker.MarkDeleted(4, 2);
        Assert.Equal([2ul, 5ul, u1, u2], tracker.LiveIds());
        Assert.Equal([5ul, u1, u2], tracker.LiveIds(3ul));
        Assert.Equal([u2], tracker.LiveIds(Guid.Parse("80000000-0000-0000-0000-000000000000")));
        Assert.Equal([0u, 1u, 2u, 3u], tracker.LiveOffsets());
    }

    [Fact]
    public void Restore_RebuildsSameState()
    {
        var tracker = new IdTracker();
        tracker.Allocate(1ul, 1);
        tracker.MarkDeleted(0, 2);
        tracker.Allocate(1ul, 3);
        tracker.Allocate(2ul, 4);

        var restored = new IdTracker();
        for (uint offset = 0; offset < tracker.Count; offset++)
        {
            restored.Restore(tracker.IdAt(offset), tracker.VersionAt(offset), tracker.IsDeleted(offset));
        }

        Assert.True(restored.TryGetOffset(1ul, out var offset1));
        Assert.Equal(1u, offset1);
        Assert.Equal(2, restored.LiveCount);
        Assert.Equal(tracker.LiveIds(), restored.LiveIds());
        Assert.Equal(3u, restored.Count);
    }
}
