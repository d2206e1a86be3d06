using AotVector.Common.Model;
using AotVector.Segment.Payloads;

namespace AotVector.Segment.Filters;

/// <summary>
/// The <see cref="FieldColumn"/>s of one segment, one per payload key a filter asked about (indexed or not), built on
/// the first query that needs one and then kept in step with every payload write. A key never filtered on costs
/// nothing; the first query on a new key pays one pass over the payloads, every later one reads the column.
/// </summary>
/// <remarks>
/// Queries run concurrently under the owner's read lock, so a column is built under a lock of its own and published
/// whole; writes run under the owner's write lock, with no query running.
/// </remarks>
internal sealed class FieldColumnSet
{
    // Columns kept at most: past this, a key's conditions are checked on the payload instead.
    private const int MaxColumns = 32;

    private readonly object _gate = new();
    private Dictionary<string, FieldColumn> _columns = new(StringComparer.Ordinal);

    /// <summary>The column for <paramref name="key"/>, built from <paramref name="payloads"/> when missing; null for a bad path or past the cap.</summary>
    public FieldColumn? GetOrBuild(string key, PayloadStore payloads)
    {
        if (Volatile.Read(ref _columns).TryGetValue(key, out var column))
        {
            return column;
        }

        lock (_gate)
        {
            if (_columns.TryGetValue(key, out column))
            {
                return column;
            }

            if (_columns.Count >= MaxColumns || !JsonPath.TryParse(key, out var path, out _))
            {
                return null;
            }

            column = new FieldColumn(path);
            for (var offset = 0u; offset < payloads.Count; offset++)
            {
                if (payloads.Get(offset) is { } payload)
                {
                    column.Set(offset, payload);
                }
            }

            Volatile.Write(ref _columns, new Dictionary<string, FieldColumn>(_columns, StringComparer.Ordinal) { [key] = column });
            return column;
        }
    }

    /// <summary>The columns of nested filters' array elements, kept in step with the same writes.</summary>
    public NestedColumnSet Nested { get; } = new();

    /// <summary>Follows a payload write (null: the point lost its payload or was deleted).</summary>
    public void Update(uint offset, Payload? payload)
    {
        Nested.Update(offset, payload);
        foreach (var column in _columns.Values)
        {
            column.Set(offset, payload);
        }
    }
}
