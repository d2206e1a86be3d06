namespace AotVector.Segment.Index.Payloads;

/// <summary>
/// Where an index puts the offsets a condition may match: into a set (the candidates themselves), or only counted,
/// up to a cap, when the planner just needs to know whether they are few (no set is built for a large answer).
/// </summary>
internal sealed class Candidates
{
    private readonly int _cap;

    private Candidates(HashSet<uint>? set, int cap)
    {
        Set = set;
        _cap = cap;
    }

    /// <summary>The offsets, when collecting; null when counting.</summary>
    public HashSet<uint>? Set { get; }

    /// <summary>Offsets counted (duplicates counted again), stopped a little past the cap.</summary>
    public int Count { get; private set; }

    /// <summary>Counting has passed the cap: the caller knows enough.</summary>
    public bool Full => Set is null && Count > _cap;

    public static Candidates Collecting() => new([], int.MaxValue);

    public static Candidates Counting(int cap) => new(null, cap);

    public void Add(uint offset)
    {
        if (Set is { } set)
        {
            set.Add(offset);
        }
        else
        {
            Count++;
        }
    }

    /// <summary>Counts <paramref name="count"/> more offsets (counting only).</summary>
    public void AddCount(int count) => Count += count;

    public void AddAll(IReadOnlyCollection<uint> offsets)
    {
        if (Set is { } set)
        {
            set.UnionWith(offsets);
        }
        else
        {
            Count += offsets.Count;
        }
    }
}
