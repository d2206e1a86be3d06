using AotVector.Engine.Ports;

namespace AotVector.Engine;

/// <summary>
/// Keeps the best <c>k</c> hits seen (greater score first; equal scores: smaller id first)
/// in a bounded min-heap, so merging shard results and scoring scans cost O(n log k).
/// </summary>
internal sealed class TopK
{
    private static readonly Comparer<ShardHit> s_worstFirst = Comparer<ShardHit>.Create(static (a, b) =>
    {
        var byScore = a.Score.CompareTo(b.Score);
        return byScore != 0 ? byScore : b.Id.CompareTo(a.Id);
    });

    private readonly PriorityQueue<ShardHit, ShardHit> _heap;
    private readonly int _k;

    public TopK(int k)
    {
        _k = Math.Max(k, 0);
        _heap = new PriorityQueue<ShardHit, ShardHit>(Math.Min(_k, 1024) + 1, s_worstFirst);
    }

    public void Add(ShardHit hit)
    {
        if (_k == 0 || float.IsNaN(hit.Score))
        {
            return;
        }

        if (_heap.Count < _k)
        {
            _heap.Enqueue(hit, hit);
        }
        else if (s_worstFirst.Compare(hit, _heap.Peek()) > 0)
        {
            _heap.DequeueEnqueue(hit, hit);
        }
    }

    /// <summary>The kept hits, best first.</summary>
    public List<ShardHit> ToSortedList()
    {
        var list = new List<ShardHit>(_heap.Count);
        while (_heap.TryDequeue(out var hit, out _))
        {
            list.Add(hit);
        }

        list.Reverse();
        return list;
    }
}
