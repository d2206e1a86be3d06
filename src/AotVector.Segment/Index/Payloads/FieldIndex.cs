using AotVector.Common.Filtering;
using AotVector.Common.FullText;
using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>
/// An index over the values at one payload path, keyed by segment offset. It answers some field conditions with
/// a candidate set that is a <em>superset</em> of the matching points; callers still check the whole filter on
/// each candidate, so an index can never change a query's answer, only its cost.
/// </summary>
internal abstract class FieldIndex
{
    private readonly List<PayloadValue> _scratch = new(4);

    protected FieldIndex(string field, JsonPath path)
    {
        Field = field;
        Path = path;
    }

    public string Field { get; }

    public JsonPath Path { get; }

    public abstract FieldIndexType Type { get; }

    /// <summary>The parameters the index was created with beside its type; null for a bare type.</summary>
    public FieldIndexParams? IndexParams { get; private set; }

    /// <summary>Number of points with at least one value this index holds.</summary>
    public abstract int Points { get; }

    public static FieldIndex Create(string field, JsonPath path, FieldIndexType type, TextIndexParams? text = null, FieldIndexParams? parameters = null)
    {
        var index = New(field, path, type, text);
        index.IndexParams = parameters;
        return index;
    }

    private static FieldIndex New(string field, JsonPath path, FieldIndexType type, TextIndexParams? text) => type switch
    {
        FieldIndexType.Keyword => new KeywordIndex(field, path),
        FieldIndexType.Integer => new IntegerIndex(field, path),
        FieldIndexType.Float => new FloatIndex(field, path),
        FieldIndexType.Bool => new BoolIndex(field, path),
        FieldIndexType.Uuid => new UuidIndex(field, path),
        FieldIndexType.Datetime => new DatetimeIndex(field, path),
        FieldIndexType.Text => new TextIndex(field, path, text ?? TextIndexParams.Default),
        FieldIndexType.Geo => new Geo.GeoIndex(field, path),
    };

    /// <summary>Replaces what the index holds for <paramref name="offset"/> with the values in <paramref name="payload"/>.</summary>
    public void Update(uint offset, Payload? payload)
    {
        Remove(offset);
        if (payload is null || payload.Count == 0)
        {
            return;
        }

        _scratch.Clear();
        Path.Evaluate(payload, _scratch);
        if (_scratch.Count == 0)
        {
            return;
        }

        // Flatten one level of arrays, as conditions do.
        var flat = new List<PayloadValue>(_scratch.Count);
        foreach (var value in _scratch)
        {
            if (value.Kind == PayloadKind.Array)
            {
                flat.AddRange(value.AsArray);
            }
            else
            {
                flat.Add(value);
            }
        }

        Add(offset, flat);
    }

    public abstract void Remove(uint offset);

    /// <summary>
    /// Candidates for <paramref name="condition"/> (whose key is this index's field): every offset that may match.
    /// False when this index cannot answer that kind of condition.
    /// </summary>
    public bool TryGetCandidates(FieldCondition condition, out HashSet<uint> candidates)
    {
        var into = Candidates.Collecting();
        var answered = Collect(condition, into);
        candidates = into.Set!;
        return answered;
    }

    /// <summary>
    /// How many offsets <paramref name="condition"/> may match, counted only up to a little past <paramref name="cap"/>
    /// (no set is built): the planner's statistic. False when this index cannot answer that kind of condition.
    /// </summary>
    public bool TryCount(FieldCondition condition, int cap, out int count)
    {
        var into = Candidates.Counting(cap);
        var answered = Collect(condition, into);
        count = into.Count;
        return answered;
    }

    /// <summary>Puts the candidates for <paramref name="condition"/> into <paramref name="candidates"/>; false when it cannot answer it.</summary>
    public abstract bool Collect(FieldCondition condition, Candidates candidates);

    protected abstract void Add(uint offset, List<PayloadValue> values);

    /// <summary>
    /// Adds to <paramref name="into"/> each value of this field held by at least <paramref name="minPoints"/> points,
    /// with those points (the graph's payload blocks); only keyword, integer and bool indexes have values to offer.
    /// </summary>
    public virtual void ValueBlocks(int minPoints, List<PayloadBlock> into)
    {
    }

    /// <summary>
    /// A number that places <paramref name="offset"/> among the points when segments are laid out by this field
    /// (points with equal values get equal numbers): the sum of its values' numbers, 0 when it holds none.
    /// </summary>
    public virtual ulong LayoutKey(uint offset) => 0;

    protected static bool HasNoItems<T>(IReadOnlyList<T>? list) => list is null || list.Count == 0;
}
