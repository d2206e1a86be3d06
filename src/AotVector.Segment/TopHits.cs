using AotVector.Common.Model;

namespace AotVector.Segment;

/// <summary>Keeps the best <c>limit</c> hits: higher score first, ties to the smaller id.</summary>
public sealed class TopHits
{
    private readonly int _limit;

    // The root is the worst hit kept, so a better newcomer replaces it in O(log k).
    private readonly PriorityQueue<SearchHit, SearchHit> _heap;

    public TopHits(int limit)
    {
        _limit = limit;
        _heap = new PriorityQueue<SearchHit, SearchHit>(Math.Min(limit, 1024) + 1, WorstFirst.Instance);
    }

    public void Add(SearchHit hit)
    {
        if (_limit <= 0 || float.IsNaN(hit.Score))
        {
            return;
        }

        if (_heap.Count < _limit)
        {
            _heap.Enqueue(hit, hit);
        }
        else if (WorstFirst.Instance.Compare(hit, _heap.Peek()) > 0)
        {
            _heap.DequeueEnqueue(hit, hit);
        }
    }

    public List<SearchHit> ToSortedList()
    {
        var result = new List<SearchHit>(_heap.Count);
        foreach (var (hit, _) in _heap.UnorderedItems)
        {
            result.Add(hit);
        }

        result.Sort(static (a, b) => WorstFirst.Instance.Compare(b, a));
        return result;
    }

    private sealed class WorstFirst : IComparer<SearchHit>
    {
        public static readonly WorstFirst Instance = new();

        // Negative when `a` is worse than `b`: a lower score, or an equal score and a larger id.
        public int Compare(SearchHit a, SearchHit b)
        {
            var byScore = a.Score.CompareTo(b.Score);
            return byScore != 0 ? byScore : b.Id.CompareTo(a.Id);
        }
    }
}
