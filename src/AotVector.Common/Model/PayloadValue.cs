using System.Diagnostics;
using System.Globalization;

namespace AotVector.Common.Model;

/// <summary>
/// One JSON value of a point's payload, in the engine's own type (front ends map JSON or
/// protobuf Value to and from it). Instances are treated as immutable once stored.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class PayloadValue : IEquatable<PayloadValue>
{
    public static readonly PayloadValue Null = new(PayloadKind.Null, 0, 0, null);
    public static readonly PayloadValue True = new(PayloadKind.Bool, 1, 0, null);
    public static readonly PayloadValue False = new(PayloadKind.Bool, 0, 0, null);

    private readonly long _integer;
    private readonly double _double;
    private readonly object? _ref;

    private PayloadValue(PayloadKind kind, long integer, double dbl, object? reference)
    {
        Kind = kind;
        _integer = integer;
        _double = dbl;
        _ref = reference;
    }

    public PayloadKind Kind { get; }

    public static PayloadValue FromBool(bool value) => value ? True : False;

    public static PayloadValue FromInteger(long value) => new(PayloadKind.Integer, value, 0, null);

    public static PayloadValue FromDouble(double value) => new(PayloadKind.Double, 0, value, null);

    public static PayloadValue FromString(string value) => new(PayloadKind.String, 0, 0, value);

    public static PayloadValue FromArray(List<PayloadValue> items) => new(PayloadKind.Array, 0, 0, items);

    public static PayloadValue FromObject(Payload fields) => new(PayloadKind.Object, 0, 0, fields);

    public bool IsNull => Kind == PayloadKind.Null;

    public bool AsBool => Kind == PayloadKind.Bool ? _integer != 0 : throw WrongKind(PayloadKind.Bool);

    public long AsInteger => Kind == PayloadKind.Integer ? _integer : throw WrongKind(PayloadKind.Integer);

    public double AsDouble => Kind == PayloadKind.Double ? _double : throw WrongKind(PayloadKind.Double);

    public string AsString => Kind == PayloadKind.String ? (string)_ref! : throw WrongKind(PayloadKind.String);

    public IReadOnlyList<PayloadValue> AsArray => Kind == PayloadKind.Array ? (List<PayloadValue>)_ref! : throw WrongKind(PayloadKind.Array);

    public Payload AsObject => Kind == PayloadKind.Object ? (Payload)_ref! : throw WrongKind(PayloadKind.Object);

    /// <summary>A number as double, for range conditions (integers and doubles both count).</summary>
    public bool TryGetNumber(out double number)
    {
        switch (Kind)
        {
            case PayloadKind.Integer:
                number = _integer;
                return true;
            case PayloadKind.Double:
                number = _double;
                return true;
            default:
                number = 0;
                return false;
        }
    }

    public PayloadValue DeepClone() => Kind switch
    {
        PayloadKind.Array => FromArray(((List<PayloadValue>)_ref!).Select(v => v.DeepClone()).ToList()),
        PayloadKind.Object => FromObject(((Payload)_ref!).DeepClone()),
        _ => this,
    };

    public bool Equals(PayloadValue? other)
    {
        if (other is null || other.Kind != Kind)
        {
            return false;
        }

        return Kind switch
        {
            PayloadKind.Null => true,
            PayloadKind.Bool or PayloadKind.Integer => _integer == other._integer,
            PayloadKind.Double => _double.Equals(other._double),
            PayloadKind.String => string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal),
            PayloadKind.Array => ((List<PayloadValue>)_ref!).SequenceEqual((List<PayloadValue>)other._ref!),
            PayloadKind.Object => ((Payload)_ref!).Equals((Payload)other._ref!),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => Equals(obj as PayloadValue);

    public override int GetHashCode() => Kind switch
    {
        PayloadKind.Bool or PayloadKind.Integer => HashCode.Combine(Kind, _integer),
        PayloadKind.Double => HashCode.Combine(Kind, _double),
        PayloadKind.String => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode((string)_ref!)),
        _ => (int)Kind,
    };

    public override string ToString() => Kind switch
    {
        PayloadKind.Null => "null",
        PayloadKind.Bool => AsBool ? "true" : "false",
        PayloadKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        PayloadKind.Double => _double.ToString("R", CultureInfo.InvariantCulture),
        PayloadKind.String => "\"" + (string)_ref! + "\"",
        PayloadKind.Array => "[" + string.Join(",", (List<PayloadValue>)_ref!) + "]",
        PayloadKind.Object => ((Payload)_ref!).ToString(),
        _ => "?",
    };

    private InvalidOperationException WrongKind(PayloadKind wanted) => new($"Payload value is {Kind}, not {wanted}.");
}
