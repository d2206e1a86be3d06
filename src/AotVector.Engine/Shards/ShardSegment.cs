using AotVector.Common.Model;
using AotVector.Segment;

namespace AotVector.Engine.Shards;

/// <summary>
/// One segment of a shard and its role. Exactly one segment per shard is appendable: it takes new and replaced
/// points. Sealed segments take deletes and in-place edits of the points they hold, and carry HNSW graphs.
/// A frozen segment is the source of a running merge or vacuum: its points are moved out before they are edited,
/// and every delete it receives is logged so the rebuilt segment can replay it at the swap.
/// </summary>
internal sealed class ShardSegment(string name, PointSegment segment, bool appendable, ulong cleanThrough)
{
    public string Name { get; } = name;

    public PointSegment Segment { get; } = segment;

    public bool Appendable { get; set; } = appendable;

    /// <summary>Changed since its last flush (its state file is behind).</summary>
    public bool Dirty { get; set; }

    /// <summary>
    /// A version the segment is known to be unchanged through (recorded in the shard manifest), so a clean
    /// segment need not rewrite its state file on every flush for the WAL to be trimmed.
    /// </summary>
    public ulong CleanThrough { get; set; } = cleanThrough;

    /// <summary>Everything up to this version is reflected on disk for this segment.</summary>
    public ulong PersistedVersion => Math.Max(Segment.PersistedVersion, CleanThrough);

    /// <summary>Deletes received while frozen (null when not frozen).</summary>
    public List<(PointId Id, ulong Version)>? FrozenDeletes { get; private set; }

    public bool Frozen => FrozenDeletes is not null;

    public void Freeze() => FrozenDeletes = [];

    public void Thaw() => FrozenDeletes = null;
}
