using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Query;

/// <summary>
/// Collects scored points into groups by their value(s) at a payload path. A point joins the group of every distinct
/// string or integer there (the elements of an array one by one); other values and missing keys join none. A group's
/// rank is its best hit; ties keep the order in which groups were first seen.
/// </summary>
internal sealed class GroupAggregator
{
    private readonly JsonPath _groupBy;
    private readonly int _groups;
    private readonly int _groupSize;
    private readonly bool _largeBetter;
    private readonly Dictionary<PayloadValue, Group> _byKey = [];
    private readonly List<Group> _inOrder = [];
    private readonly HashSet<PointId> _seen = [];
    private readonly List<PayloadValue> _values = [];

    public GroupAggregator(JsonPath groupBy, int groups, int groupSize, bool largeBetter)
    {
        _groupBy = groupBy;
        _groups = groups;
        _groupSize = groupSize;
        _largeBetter = largeBetter;
    }

    /// <summary>Every point added to some group.</summary>
    public IReadOnlyCollection<PointId> SeenIds => _seen;

    /// <summary>Whether each of the best groups holds group-size points (there are enough groups then).</summary>
    public bool BestAreFull => Best().Count(g => g.Hits.Count >= _groupSize) >= _groups;

    public IReadOnlyCollection<PayloadValue> FullKeys() => [.. _inOrder.Where(g => g.Hits.Count >= _groupSize).Select(g => g.Key)];

    public IReadOnlyCollection<PayloadValue> UnfilledBestKeys() => [.. Best().Where(g => g.Hits.Count < _groupSize).Select(g => g.Key)];

    public void Add(IReadOnlyList<ScoredPoint> points)
    {
        foreach (var point in points)
        {
            if (point.Payload is not { } payload)
            {
                continue;
            }

            _values.Clear();
            foreach (var value in _groupBy.Evaluate(payload))
            {
                if (value.Kind == PayloadKind.Array)
                {
                    _values.AddRange(value.AsArray);
                }
                else
                {
                    _values.Add(value);
                }
            }

            foreach (var key in _values.Where(v => v.Kind is PayloadKind.String or PayloadKind.Integer).Distinct())
            {
                if (!_byKey.TryGetValue(key, out var group))
                {
                    group = new Group(key, _inOrder.Count, point);
                    _byKey[key] = group;
                    _inOrder.Add(group);
                }

                if (group.Hits.TryAdd(point.Id, point))
                {
                    _seen.Add(point.Id);
                }

                if (Better(point.Score, group.Best.Score))
                {
                    group.Best = point;
                }
            }
        }
    }

    /// <summary>The best groups, best first, each with its best group-size hits, best first.</summary>
    public List<PointGroup> Distill() =>
        [.. Best().Select(g => new PointGroup(g.Key, [.. Rank(g.Hits.Values).Take(_groupSize)], null))];

    private IEnumerable<Group> Best() =>
        _inOrder.OrderBy(g => g.Best.Score, ScoreOrder).ThenBy(g => g.Seen).Take(_groups);

    private IEnumerable<ScoredPoint> Rank(IEnumerable<ScoredPoint> hits) => hits.OrderBy(h => h.Score, ScoreOrder);

    private Comparer<float> ScoreOrder => _largeBetter
        ? Comparer<float>.Create(static (a, b) => b.CompareTo(a))
        : Comparer<float>.Default;

    private bool Better(float score, float than) => _largeBetter ? score > than : score < than;

    private sealed class Group(PayloadValue key, int seen, ScoredPoint first)
    {
        public PayloadValue Key { get; } = key;

        public int Seen { get; } = seen;

        public ScoredPoint Best { get; set; } = first;

        // Insertion order is kept, so hits of equal score stay in the order the query returned them.
        public OrderedDictionary<PointId, ScoredPoint> Hits { get; } = [];
    }
}
