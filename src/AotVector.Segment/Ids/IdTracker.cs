using AotVector.Common.Model;

namespace AotVector.Segment.Ids;

/// <summary>
/// Maps external <see cref="PointId"/>s to dense <c>uint</c> offsets, with a version and a deleted flag per offset.
/// </summary>
/// <remarks>
/// Offsets are never reused within a segment and the next offset is always <see cref="Count"/>, so replaying the
/// same operations in the same order yields the same offsets (WAL replay depends on this). A deleted point keeps
/// its offset as a tombstone that remembers the delete's version, so a replayed older write cannot resurrect it.
/// Not thread-safe.
/// </remarks>
internal sealed class IdTracker
{
    private static readonly PointId s_maxId = PointId.FromUuid(Guid.AllBitsSet);

    private readonly List<PointId> _ids = [];
    private readonly List<ulong> _versions = [];
    private readonly List<bool> _deleted = [];

    // The newest offset of each id ever seen: live, or a tombstone.
    private readonly Dictionary<PointId, uint> _latest = [];
    private readonly SortedSet<PointId> _live = [];

    /// <summary>Offsets allocated so far (live and deleted); the next offset.</summary>
    public uint Count => (uint)_ids.Count;

    public int LiveCount => _live.Count;

    public PointId IdAt(uint offset) => _ids[(int)offset];

    public ulong VersionAt(uint offset) => _versions[(int)offset];

    public bool IsDeleted(uint offset) => _deleted[(int)offset];

    /// <summary>The live offset of <paramref name="id"/>.</summary>
    public bool TryGetOffset(PointId id, out uint offset) =>
        _latest.TryGetValue(id, out offset) && !_deleted[(int)offset];

    /// <summary>The newest offset of <paramref name="id"/>, live or tombstone.</summary>
    public bool TryGetLatest(PointId id, out uint offset, out bool deleted)
    {
        if (_latest.TryGetValue(id, out offset))
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

        var offset = Count;
        _ids.Add(id);
        _versions.Add(version);
        _deleted.Add(false);
        _latest[id] = offset;
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
        _live.Remove(_ids[(int)offset]);
    }

    /// <summary>Restores one persisted entry; entries must arrive in offset order.</summary>
    public void Restore(PointId id, ulong version, bool deleted)
    {
        var offset = Count;
        _ids.Add(id);
        _versions.Add(version);
        _deleted.Add(deleted);

        // A later entry for the same id supersedes an earlier tombstone.
        if (!_latest.TryGetValue(id, out var previous) || previous < offset)
        {
            _latest[id] = offset;
        }

        if (!deleted)
        {
            _live.Add(id);
        }
    }

    /// <summary>Live ids in ascending <see cref="PointId"/> order, starting at <paramref name="fromInclusive"/>.</summary>
    public IEnumerable<PointId> LiveIds(PointId? fromInclusive = null) =>
        fromInclusive is { } from
            ? (from <= s_maxId ? _live.GetViewBetween(from, s_maxId) : [])
            : _live;

    /// <summary>Live offsets in offset order.</summary>
    public IEnumerable<uint> LiveOffsets()
    {
        for (var i = 0; i < _ids.Count; i++)
        {
            if (!_deleted[i])
            {
                yield return (uint)i;
            }
        }
    }
}
