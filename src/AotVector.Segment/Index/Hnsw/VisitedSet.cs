using System.Runtime.CompilerServices;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Which nodes a search has seen, reset in O(1): each search bumps a generation counter and a node is visited
/// when its mark equals the current generation. The marks are cleared only when the 16-bit counter wraps.
/// </summary>
/// <remarks>16-bit marks keep the array small (120 KB for 60k points) so it stays in cache.</remarks>
internal sealed class VisitedSet
{
    private ushort[] _marks;
    private ushort _generation;

    public VisitedSet(int capacity) => _marks = new ushort[capacity];

    public int Capacity => _marks.Length;

    /// <summary>Starts a new search over <paramref name="count"/> nodes: nothing is visited.</summary>
    public void Reset(int count)
    {
        if (_marks.Length < count)
        {
            _marks = new ushort[count];
            _generation = 0;
        }

        _generation++;
        if (_generation == 0)
        {
            Array.Clear(_marks);
            _generation = 1;
        }
    }

    /// <summary>Marks <paramref name="node"/>; returns false when it was already visited in this search.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryVisit(uint node)
    {
        ref ushort mark = ref _marks[node];
        if (mark == _generation)
        {
            return false;
        }

        mark = _generation;
        return true;
    }

    /// <summary>Whether <paramref name="node"/> was visited in this search (without marking it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(uint node) => _marks[node] == _generation;
}
