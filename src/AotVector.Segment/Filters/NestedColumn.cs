using AotVector.Common.Model;
using AotVector.Segment.Payloads;

namespace AotVector.Segment.Filters;

/// <summary>
/// The objects of the arrays at one payload path (a nested filter's key), each given an element number, with a
/// <see cref="FieldColumn"/> per inner key over those numbers: a nested filter's inner conditions are then checked
/// on columns element by element (all of them on the same element, as the nested semantics require) instead of
/// walking each point's payload.
/// </summary>
/// <remarks>
/// Built for one set of inner keys on the first query that needs it and kept in step with payload writes by its owner
/// (<see cref="NestedColumnSet"/>). A rewritten point's elements get new numbers at the end; the old ones are left unused.
/// </remarks>
internal sealed class NestedColumn
{
    private readonly JsonPath _path;
    private readonly List<PayloadValue> _scratch = new(2);
    private readonly Dictionary<string, FieldColumn> _fields;
    private int[] _first = [];
    private int[] _count = [];
    private uint _elements;

    public NestedColumn(JsonPath path, IEnumerable<JsonPath> innerPaths)
    {
        _path = path;
        _fields = new Dictionary<string, FieldColumn>(StringComparer.Ordinal);
        foreach (var inner in innerPaths)
        {
            _fields[inner.ToString()] = new FieldColumn(inner);
        }
    }

    /// <summary>The column of inner key <paramref name="key"/> over element numbers, or null when this column was not built with it.</summary>
    public FieldColumn? Field(string key) => _fields.GetValueOrDefault(key);

    /// <summary>The element numbers of <paramref name="offset"/>'s objects, <c>[first, first + count)</c>.</summary>
    public (uint First, int Count) ElementsOf(uint offset) =>
        offset < (uint)_count.Length ? ((uint)_first[offset], _count[offset]) : (0, 0);

    public void Set(uint offset, Payload? payload)
    {
        if (offset >= (uint)_count.Length)
        {
            if (payload is null)
            {
                return;
            }

            var size = Math.Max((int)offset + 1, _count.Length * 2);
            Array.Resize(ref _first, size);
            Array.Resize(ref _count, size);
        }

        _count[offset] = 0;
        if (payload is null || payload.Count == 0)
        {
            return;
        }

        _scratch.Clear();
        _path.Evaluate(payload, _scratch);
        var first = _elements;
        foreach (var value in _scratch)
        {
            if (value.Kind != PayloadKind.Array)
            {
                continue;
            }

            foreach (var element in value.AsArray)
            {
                if (element.Kind != PayloadKind.Object)
                {
                    continue;
                }

                foreach (var column in _fields.Values)
                {
                    column.Set(_elements, element.AsObject);
                }

                _elements++;
            }
        }

        _first[offset] = (int)first;
        _count[offset] = (int)(_elements - first);
    }

    /// <summary>Fills the column from every payload of <paramref name="payloads"/>.</summary>
    public void Fill(PayloadStore payloads)
    {
        for (var offset = 0u; offset < payloads.Count; offset++)
        {
            if (payloads.Get(offset) is { } payload)
            {
                Set(offset, payload);
            }
        }
    }
}
