using AotVector.Common.Model;

namespace AotVector.Segment.Ids;

/// <summary>
/// Maps external <see cref="PointId"/>s to dense <c>uint</c> offsets, with a version and a deleted flag per offset.
/// </summary>
/// <remarks>
/// <para>Offsets are never reused within a segment and the next offset is always <see cref="Count"/>, so replaying the
/// same operations in the same order yields the same offsets (WAL replay depends on this). A deleted point keeps
/// its offset as a tombstone that remembers the delete's version, so a replayed older write cannot resurrect it.
/// Not thread-safe.</para>
/// <para>Memory: a <see cref="PointId"/> is 32 bytes and a node of a sorted set about 72, which made this tracker
/// about 190 bytes per point (190 MB for a million). Numeric ids, the common case, are kept as bare <c>ulong</c>s
/// instead (UUIDs on the side), and the ordered live set is a sorted array with small overlays
/// (<see cref="LiveSet"/>): about 50 bytes per point.</para>
/// </remarks>
internal sealed class IdTracker
{
    private static readonly PointId s_maxId = PointId.FromUuid(Guid.AllBitsSet);

    // Per offset: the numeric id (0 for a UUID, which lives in _uuidAt), the version and the deleted flag.
    private readonly List<ulong> _nums = [];
    private readonly Dictionary<uint, Guid> _uuidAt = [];
    private readonly List<ulong> _versions = [];
    private readonly List<bool> _deleted = [];

    // The newest offset of each id ever seen: live, or a tombstone.
    private readonly Dictionary<ulong, uint> _latestNums = [];
    private readonly Dictionary<Guid, uint> _latestUuids = [];
    private readonly LiveSet _live = new();

    /// <summary>Offsets allocated so far (live and deleted); the next offset.</summary>
    public uint Count => (uint)_nums.Count;

    public int LiveCount => _live.Count;

    public PointId IdAt(uint offset) =>
        _uuidAt.Count != 0 && _uuidAt.TryGetValue(offset, out var uuid) ? PointId.FromUuid(uuid) : PointId.FromNum(_nums[(int)offset]);

    public ulong VersionAt(uint offset) => _versions[(int)offset];

    public bool IsDeleted(uint offset) => _deleted[(int)offset];

    /// <summary>The live offset of <paramref name="id"/>.</summary>
    public bool TryGetOffset(PointId id, out uint offset) =>
        TryGetLatestOffset(id, out offset) && !_deleted[(int)offset];

    /// <summary>The newest offset of <paramref name="id"/>, live or tombstone.</summary>
    public bool TryGetLatest(PointId id, out uint offset, out bool deleted)
    {
        if (TryGetLatestOffset(id, out offset))
        {
            deleted = _deleted[(int)offset];
            return true;
        }

        deleted = false;
        return false;
    }

    /// <summary>Gives <paramref name="id"/> the next offset (<see cref="Count"/>) as a live point.</summary>
    public uint Allocate(PointId id, ulong version)
    {
        if (TryGetOffset(id, out _))
        {
            throw new InvalidOperationException($"Point {id} is already live.");
        }

        var offset = Append(id, version, deleted: false);
        SetLatest(id, offset);
        _live.Add(id);
        return offset;
    }

    public void SetVersion(uint offset, ulong version) => _versions[(int)offset] = version;

    public void MarkDeleted(uint offset, ulong version)
    {
        if (_deleted[(int)offset])
        {
            return;
        }

        _deleted[(int)offset] = true;
        _versions[(int)offset] = version;
        _live.Remove(IdAt(offset));
    }

    /// <summary>Restores one persisted entry; entries must arrive in offset order.</summary>
    public void Restore(PointId id, ulong version, bool deleted)
    {
        var offset = Append(id, version, deleted);

        // A later entry for the same id supersedes an earlier tombstone.
        if (!TryGetLatestOffset(id, out var previous) || previous < offset)
        {
            SetLatest(id, offset);
        }

        if (!deleted)
        {
            _live.Add(id);
        }
    }

    /// <summary>Live ids in ascending <see cref="PointId"/> order, starting at <paramref name="fromInclusive"/>.</summary>
    public IEnumerable<PointId> LiveIds(PointId? fromInclusive = null) =>
        fromInclusive is { } from
            ? (from <= s_maxId ? _live.From(from) : [])
            : _live.From(PointId.FromNum(0));

    /// <summary>Live offsets in offset order.</summary>
    public IEnumerable<uint> LiveOffsets()
    {
        for (var i = 0; i < _nums.Count; i++)
        {
            if (!_deleted[i])
            {
                yield return (uint)i;
            }
        }
    }

    private uint Append(PointId id, ulong version, bool deleted)
    {
        var offset = Count;
        if (id.IsUuid)
        {
            _nums.Add(0);
            _uuidAt[offset] = id.Uuid;
        }
        else
        {
            _nums.Add(id.Num);
        }

        _versions.Add(version);
        _deleted.Add(deleted);
        return offset;
    }

    private bool TryGetLatestOffset(PointId id, out uint offset) =>
        id.IsUuid ? _latestUuids.TryGetValue(id.Uuid, out offset) : _latestNums.TryGetValue(id.Num, out offset);

    private void SetLatest(PointId id, uint offset)
    {
        if (id.IsUuid)
        {
            _latestUuids[id.Uuid] = offset;
        }
        else
        {
            _latestNums[id.Num] = offset;
        }
    }

    /// <summary>
    /// The live ids in <see cref="PointId"/> order (numbers before UUIDs): sorted arrays from the last compaction,
    /// plus the ids added since (a small sorted set) and minus those removed since (a small hash set). The overlays
    /// are folded into new arrays once they pass 1/16 of the set, so each change costs O(1) copies amortized and the
    /// set costs about 8 bytes per numeric id.
    /// </summary>
    private sealed class LiveSet
    {
        private const int MinCompaction = 1024;

        private ulong[] _nums = [];
        private Guid[] _uuids = [];
        private SortedSet<PointId> _added = [];
        private HashSet<PointId> _removed = [];

        public int Count { get; private set; }

        public bool Add(PointId id)
        {
            if (_added.Contains(id))
            {
                return false;
            }

            if (InBase(id))
            {
                if (!_removed.Remove(id))
                {
                    return false;
                }
            }
            else
            {
                _added.Add(id);
            }

            Count++;
            CompactIfLarge();
            return true;
        }

        public bool Remove(PointId id)
        {
            if (!_added.Remove(id) && !(InBase(id) && _removed.Add(id)))
            {
                return false;
            }

            Count--;
            CompactIfLarge();
            return true;
        }

        public IEnumerable<PointId> From(PointId from)
        {
            var added = _added.GetViewBetween(from, s_maxId).GetEnumerator();
            bool hasAdded = added.MoveNext();
            foreach (var id in BaseFrom(from))
            {
                if (_removed.Contains(id))
                {
                    continue;
                }

                while (hasAdded && added.Current < id)
                {
                    yield return added.Current;
                    hasAdded = added.MoveNext();
                }

                yield return id;
            }

            while (hasAdded)
            {
                yield return added.Current;
                hasAdded = added.MoveNext();
            }
        }

        private IEnumerable<PointId> BaseFrom(PointId from)
        {
            var nums = _nums;
            var uuids = _uuids;
            if (!from.IsUuid)
            {
                for (int i = LowerBound(nums, from.Num); i < nums.Length; i++)
                {
                    yield return PointId.FromNum(nums[i]);
                }
            }

            for (int i = from.IsUuid ? LowerBound(uuids, from.Uuid) : 0; i < uuids.Length; i++)
            {
                yield return PointId.FromUuid(uuids[i]);
            }
        }

        private bool InBase(PointId id) =>
            id.IsUuid ? Array.BinarySearch(_uuids, id.Uuid) >= 0 : Array.BinarySearch(_nums, id.Num) >= 0;

        private void CompactIfLarge()
        {
            if (_added.Count + _removed.Count <= Math.Max(MinCompaction, Count / 16))
            {
                return;
            }

            // One merge pass over the current order; fresh overlay sets so a pending enumeration of the old ones
            // fails loudly (as a modified SortedSet does) instead of reading a half-updated state.
            int uuidCount = 0;
            foreach (var id in _added)
            {
                uuidCount += id.IsUuid ? 1 : 0;
            }

            foreach (var id in _removed)
            {
                uuidCount -= id.IsUuid ? 1 : 0;
            }

            var nums = new ulong[Count - (_uuids.Length + uuidCount)];
            var uuids = new Guid[_uuids.Length + uuidCount];
            int n = 0;
            int u = 0;
            foreach (var id in From(PointId.FromNum(0)))
            {
                if (id.IsUuid)
                {
                    uuids[u++] = id.Uuid;
                }
                else
                {
                    nums[n++] = id.Num;
                }
            }

            _nums = nums;
            _uuids = uuids;
            _added = [];
            _removed = [];
        }

        private static int LowerBound<T>(T[] sorted, T value)
            where T : IComparable<T>
        {
            int lo = 0;
            int hi = sorted.Length;
            while (lo < hi)
            {
                int mid = (int)((uint)(lo + hi) >> 1);
                if (sorted[mid].CompareTo(value) < 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}
