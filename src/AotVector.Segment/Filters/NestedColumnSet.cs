using AotVector.Common.Model;
using AotVector.Segment.Payloads;

namespace AotVector.Segment.Filters;

/// <summary>
/// The <see cref="NestedColumn"/>s of one segment, one per nested key and set of inner keys a nested filter asked
/// about, built on the first such query and kept in step with payload writes (as <see cref="FieldColumnSet"/>).
/// </summary>
internal sealed class NestedColumnSet
{
    // Columns kept at most: past this, nested filters are checked on the payload.
    private const int MaxColumns = 8;

    private readonly object _gate = new();
    private Dictionary<string, NestedColumn> _columns = new(StringComparer.Ordinal);

    /// <summary>The column for <paramref name="key"/> with at least <paramref name="innerKeys"/>, or null (a bad path, or past the cap).</summary>
    public NestedColumn? GetOrBuild(string key, IReadOnlyCollection<string> innerKeys, PayloadStore payloads)
    {
        var name = key + "\n" + string.Join("\n", innerKeys.Order(StringComparer.Ordinal));
        if (Volatile.Read(ref _columns).TryGetValue(name, out var column))
        {
            return column;
        }

        lock (_gate)
        {
            if (_columns.TryGetValue(name, out column))
            {
                return column;
            }

            if (_columns.Count >= MaxColumns || !JsonPath.TryParse(key, out var path, out _))
            {
                return null;
            }

            var inner = new List<JsonPath>();
            foreach (var innerKey in innerKeys)
            {
                if (!JsonPath.TryParse(innerKey, out var innerPath, out _))
                {
                    return null;
                }

                inner.Add(innerPath);
            }

            column = new NestedColumn(path, inner);
            column.Fill(payloads);
            Volatile.Write(ref _columns, new Dictionary<string, NestedColumn>(_columns, StringComparer.Ordinal) { [name] = column });
            return column;
        }
    }

    /// <summary>Follows a payload write (null: the point lost its payload or was deleted).</summary>
    public void Update(uint offset, Payload? payload)
    {
        foreach (var column in _columns.Values)
        {
            column.Set(offset, payload);
        }
    }
}
