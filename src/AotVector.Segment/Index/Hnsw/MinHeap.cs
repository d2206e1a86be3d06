using System.Runtime.CompilerServices;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// A binary min-heap of (score, node), reused across searches. The result set uses it directly (the top is the
/// worst kept hit); the candidate queue stores negated scores so the top is the closest unexpanded node.
/// </summary>
internal sealed class MinHeap
{
    private ScoredOffset[] _items;
    private int _count;

    public MinHeap(int capacity) => _items = new ScoredOffset[Math.Max(capacity, 16)];

    public int Count => _count;

    public ScoredOffset Top => _items[0];

    public void Clear() => _count = 0;

    /// <summary>The entries in heap order (not sorted).</summary>
    public ReadOnlySpan<ScoredOffset> Items => _items.AsSpan(0, _count);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(float score, uint node)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        var items = _items;
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (items[parent].Score <= score)
            {
                break;
            }

            items[i] = items[parent];
            i = parent;
        }

        items[i] = new ScoredOffset(node, score);
    }

    public ScoredOffset Pop()
    {
        var items = _items;
        var top = items[0];
        int count = --_count;
        if (count > 0)
        {
            SiftDown(items, items[count], count);
        }

        return top;
    }

    /// <summary>Replaces the top with (score, node) in one sift: a pop followed by a push.</summary>
    public void ReplaceTop(float score, uint node) => SiftDown(_items, new ScoredOffset(node, score), _count);

    private static void SiftDown(ScoredOffset[] items, ScoredOffset item, int count)
    {
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && items[child + 1].Score < items[child].Score)
            {
                child++;
            }

            if (item.Score <= items[child].Score)
            {
                break;
            }

            items[i] = items[child];
            i = child;
        }

        items[i] = item;
    }
}
