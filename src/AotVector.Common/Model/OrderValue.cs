using System.Globalization;

namespace AotVector.Common.Model;

/// <summary>
/// A value a point is ordered by: an integer (integer index; datetimes as microseconds since the Unix epoch) or a
/// float. Integers and floats compare by numeric value; NaN is above every number.
/// </summary>
public readonly struct OrderValue : IComparable<OrderValue>, IEquatable<OrderValue>
{
    private OrderValue(bool isInteger, long integer, double number)
    {
        IsInteger = isInteger;
        Integer = integer;
        Float = number;
    }

    public bool IsInteger { get; }

    /// <summary>The value when <see cref="IsInteger"/>.</summary>
    public long Integer { get; }

    /// <summary>The value when not <see cref="IsInteger"/>.</summary>
    public double Float { get; }

    public static OrderValue Of(long value) => new(true, value, 0);

    public static OrderValue Of(double value) => new(false, 0, value);

    public int CompareTo(OrderValue other)
    {
        if (IsInteger && other.IsInteger)
        {
            return Integer.CompareTo(other.Integer);
        }

        if (!IsInteger && !other.IsInteger)
        {
            return Compare(Float, other.Float);
        }

        return IsInteger ? -Compare(other.Float, Integer) : Compare(Float, other.Integer);
    }

    public bool Equals(OrderValue other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is OrderValue other && Equals(other);

    public override int GetHashCode() => IsInteger ? Integer.GetHashCode() : Float.GetHashCode();

    public override string ToString() =>
        IsInteger ? Integer.ToString(CultureInfo.InvariantCulture) : Float.ToString("R", CultureInfo.InvariantCulture);

    public static bool operator ==(OrderValue a, OrderValue b) => a.Equals(b);

    public static bool operator !=(OrderValue a, OrderValue b) => !a.Equals(b);

    public static bool operator <(OrderValue a, OrderValue b) => a.CompareTo(b) < 0;

    public static bool operator >(OrderValue a, OrderValue b) => a.CompareTo(b) > 0;

    public static bool operator <=(OrderValue a, OrderValue b) => a.CompareTo(b) <= 0;

    public static bool operator >=(OrderValue a, OrderValue b) => a.CompareTo(b) >= 0;

    // NaN sorts above every number, as the reference's ordered floats do.
    private static int Compare(double a, double b) =>
        double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b);

    // Exact for integers beyond 2^53: compare the float with the integer's neighbourhood, then the integer parts.
    private static int Compare(double a, long b)
    {
        if (double.IsNaN(a))
        {
            return 1;
        }

        if (a >= 9.2233720368547758E+18)
        {
            return 1;
        }

        if (a < -9.2233720368547758E+18)
        {
            return -1;
        }

        var whole = (long)Math.Floor(a);
        if (whole != b)
        {
            return whole.CompareTo(b);
        }

        return a > whole ? 1 : 0;
    }
}
