namespace AotVector.Common.Model;

/// <summary>
/// A JSON object: a point's payload, or an object nested inside one. Keys keep insertion order,
/// so a payload reads back the way it was written.
/// </summary>
public sealed class Payload : IEquatable<Payload>
{
    private readonly OrderedDictionary<string, PayloadValue> _fields;

    public Payload()
    {
        _fields = new OrderedDictionary<string, PayloadValue>(StringComparer.Ordinal);
    }

    public Payload(int capacity)
    {
        _fields = new OrderedDictionary<string, PayloadValue>(capacity, StringComparer.Ordinal);
    }

    public int Count => _fields.Count;

    public IEnumerable<string> Keys => _fields.Keys;

    public IEnumerable<KeyValuePair<string, PayloadValue>> Fields => _fields;

    public PayloadValue? this[string key]
    {
        get => _fields.TryGetValue(key, out var v) ? v : null;
        set
        {
            if (value is null)
            {
                _fields.Remove(key);
            }
            else
            {
                _fields[key] = value;
            }
        }
    }

    public bool TryGetValue(string key, out PayloadValue value) => _fields.TryGetValue(key, out value!);

    public bool Remove(string key) => _fields.Remove(key);

    public void Clear() => _fields.Clear();

    public Payload DeepClone()
    {
        var copy = new Payload(_fields.Count);
        foreach (var (key, value) in _fields)
        {
            copy._fields[key] = value.DeepClone();
        }

        return copy;
    }

    public bool Equals(Payload? other)
    {
        if (other is null || other._fields.Count != _fields.Count)
        {
            return false;
        }

        foreach (var (key, value) in _fields)
        {
            if (!other._fields.TryGetValue(key, out var theirs) || !value.Equals(theirs))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as Payload);

    public override int GetHashCode() => _fields.Count;

    public override string ToString() => "{" + string.Join(",", _fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
}
