using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Segment.Filters;

/// <summary>
/// The values at one payload path, one compact slot per segment offset, so a filter condition on that path is
/// checked in a few nanoseconds (an array read and a compare) instead of walking the point's payload. A point whose
/// path holds exactly one bool, integer, double, string or geo point (after flattening one level of arrays, as
/// conditions do) gets a typed slot; anything else (several values, nulls, other objects) keeps its flattened
/// values aside and is checked value by value, with the same semantics as <see cref="FilterEvaluator"/>.
/// </summary>
/// <remarks>Kept in step with every payload write by its owner, under the segment's write lock; read concurrently.</remarks>
internal sealed class FieldColumn
{
    private readonly List<PayloadValue> _scratch = new(4);
    private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, PayloadValue[]> _others = [];
    private ColumnKind[] _kinds = [];
    private long[] _bits = [];

    // Allocated on the first string that parses as a datetime / the first geo point.
    private long[]? _ticks;
    private double[]? _lon;

    public FieldColumn(JsonPath path) => Path = path;

    public JsonPath Path { get; }

    public ColumnKind KindAt(uint offset) => offset < (uint)_kinds.Length ? _kinds[offset] : ColumnKind.Missing;

    public long BitsAt(uint offset) => _bits[offset];

    public double DoubleAt(uint offset) => BitConverter.Int64BitsToDouble(_bits[offset]);

    /// <summary>UTC ticks of the string at <paramref name="offset"/>, or <see cref="long.MinValue"/> when it is not a datetime.</summary>
    public long TicksAt(uint offset) => _ticks is { } ticks && offset < (uint)ticks.Length ? ticks[offset] : long.MinValue;

    public GeoPoint GeoAt(uint offset) => new(_lon![offset], BitConverter.Int64BitsToDouble(_bits[offset]));

    public PayloadValue[] OthersAt(uint offset) => _others.TryGetValue(offset, out var values) ? values : [];

    /// <summary>The ordinal of <paramref name="text"/> among the strings stored, or -1 when no point holds it in a typed slot.</summary>
    public int OrdinalOf(string text) => _ordinals.TryGetValue(text, out var ordinal) ? ordinal : -1;

    /// <summary>Replaces what the column holds for <paramref name="offset"/> with the values in <paramref name="payload"/> (null: none).</summary>
    public void Set(uint offset, Payload? payload)
    {
        if (offset >= (uint)_kinds.Length)
        {
            if (payload is null)
            {
                return;
            }

            Grow(offset);
        }

        _others.Remove(offset);
        _kinds[offset] = ColumnKind.Missing;
        if (payload is null || payload.Count == 0)
        {
            return;
        }

        _scratch.Clear();
        Path.Evaluate(payload, _scratch);
        PayloadValue? single = null;
        var count = 0;
        foreach (var value in _scratch)
        {
            if (value.Kind == PayloadKind.Array)
            {
                foreach (var item in value.AsArray)
                {
                    single = item;
                    count++;
                }
            }
            else
            {
                single = value;
                count++;
            }
        }

        if (count == 0)
        {
            return;
        }

        if (count == 1 && TrySetTyped(offset, single!))
        {
            return;
        }

        var flat = new PayloadValue[count];
        var i = 0;
        foreach (var value in _scratch)
        {
            if (value.Kind == PayloadKind.Array)
            {
                foreach (var item in value.AsArray)
                {
                    flat[i++] = item;
                }
            }
            else
            {
                flat[i++] = value;
            }
        }

        _kinds[offset] = ColumnKind.Other;
        _others[offset] = flat;
    }

    private bool TrySetTyped(uint offset, PayloadValue value)
    {
        switch (value.Kind)
        {
            case PayloadKind.Bool:
                _kinds[offset] = ColumnKind.Bool;
                _bits[offset] = value.AsBool ? 1 : 0;
                return true;
            case PayloadKind.Integer:
                _kinds[offset] = ColumnKind.Integer;
                _bits[offset] = value.AsInteger;
                return true;
            case PayloadKind.Double:
                _kinds[offset] = ColumnKind.Double;
                _bits[offset] = BitConverter.DoubleToInt64Bits(value.AsDouble);
                return true;
            case PayloadKind.String:
                var text = value.AsString;
                if (!_ordinals.TryGetValue(text, out var ordinal))
                {
                    ordinal = _ordinals.Count;
                    _ordinals[text] = ordinal;
                }

                _kinds[offset] = ColumnKind.String;
                _bits[offset] = ordinal;
                if (PayloadDatetime.TryParse(text, out var instant))
                {
                    _ticks ??= NewFilled(_kinds.Length, long.MinValue);
                    _ticks[offset] = instant.UtcTicks;
                }
                else if (_ticks is not null)
                {
                    _ticks[offset] = long.MinValue;
                }

                return true;
            case PayloadKind.Object when GeoMath.TryGetPoint(value, out var point):
                _lon ??= new double[_kinds.Length];
                _kinds[offset] = ColumnKind.Geo;
                _bits[offset] = BitConverter.DoubleToInt64Bits(point.Lat);
                _lon[offset] = point.Lon;
                return true;
            default:
                return false;
        }
    }

    private void Grow(uint offset)
    {
        var size = Math.Max((int)offset + 1, Math.Max(64, _kinds.Length * 2));
        Array.Resize(ref _kinds, size);
        Array.Resize(ref _bits, size);
        if (_ticks is not null)
        {
            var old = _ticks.Length;
            Array.Resize(ref _ticks, size);
            Array.Fill(_ticks, long.MinValue, old, size - old);
        }

        if (_lon is not null)
        {
            Array.Resize(ref _lon, size);
        }
    }

    private static long[] NewFilled(int length, long value)
    {
        var array = new long[length];
        Array.Fill(array, value);
        return array;
    }
}

/// <summary>What one slot of a <see cref="FieldColumn"/> holds.</summary>
internal enum ColumnKind : byte
{
    Missing,
    Bool,
    Integer,
    Double,
    String,
    Geo,
    Other,
}
