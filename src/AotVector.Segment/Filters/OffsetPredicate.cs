using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Segment.Filters;

/// <summary>
/// A filter compiled for one query against one segment: a tree of checks on dense offsets, where a field condition
/// reads the field's <see cref="FieldColumn"/> and only what cannot be answered from a column (nested filters,
/// emptiness, text matches) falls back to the whole payload. Same answers as <see cref="FilterEvaluator"/>.
/// </summary>
/// <remarks>Not thread-safe (a fallback reuses scratch state): one per query.</remarks>
internal abstract class OffsetPredicate
{
    /// <summary>True when checking costs a payload walk rather than a column read (such checks run last).</summary>
    public virtual bool IsSlow => false;

    public abstract bool Matches(uint offset);

    public static OffsetPredicate AllOf(List<OffsetPredicate> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        // Column reads first, so a payload walk runs only for offsets the cheap checks let through.
        parts.Sort(static (a, b) => a.IsSlow.CompareTo(b.IsSlow));
        return new All([.. parts]);
    }

    public sealed class Constant(bool value) : OffsetPredicate
    {
        public override bool Matches(uint offset) => value;
    }

    public sealed class Slow(Func<uint, bool> check) : OffsetPredicate
    {
        public override bool IsSlow => true;

        public override bool Matches(uint offset) => check(offset);
    }

    private sealed class All(OffsetPredicate[] parts) : OffsetPredicate
    {
        public override bool IsSlow => parts.Any(p => p.IsSlow);

        public override bool Matches(uint offset)
        {
            foreach (var part in parts)
            {
                if (!part.Matches(offset))
                {
                    return false;
                }
            }

            return true;
        }
    }

    public sealed class Any(OffsetPredicate[] parts) : OffsetPredicate
    {
        public override bool IsSlow => parts.Any(p => p.IsSlow);

        public override bool Matches(uint offset)
        {
            foreach (var part in parts)
            {
                if (part.Matches(offset))
                {
                    return true;
                }
            }

            return false;
        }
    }

    public sealed class None(OffsetPredicate[] parts) : OffsetPredicate
    {
        public override bool IsSlow => parts.Any(p => p.IsSlow);

        public override bool Matches(uint offset)
        {
            foreach (var part in parts)
            {
                if (part.Matches(offset))
                {
                    return false;
                }
            }

            return true;
        }
    }

    public sealed class AtLeast(OffsetPredicate[] parts, int min) : OffsetPredicate
    {
        public override bool IsSlow => parts.Any(p => p.IsSlow);

        public override bool Matches(uint offset)
        {
            var hits = 0;
            foreach (var part in parts)
            {
                if (part.Matches(offset) && ++hits >= min)
                {
                    return true;
                }
            }

            return hits >= min;
        }
    }

    /// <summary><c>match</c> with a value, <c>any</c> or <c>except</c> list, on a column.</summary>
    public sealed class MatchOnColumn : OffsetPredicate
    {
        private readonly FieldColumn _column;
        private readonly Match _match;
        private readonly bool _except;
        private readonly PayloadKind _valueKind;
        private readonly long _value;
        private readonly HashSet<long>? _integers;
        private readonly HashSet<long>? _keywords;

        public MatchOnColumn(FieldColumn column, Match match)
        {
            _column = column;
            _match = match;
            switch (match)
            {
                case MatchValue m:
                    _valueKind = m.Value.Kind;
                    _value = m.Value.Kind switch
                    {
                        PayloadKind.Bool => m.Value.AsBool ? 1 : 0,
                        PayloadKind.Integer => m.Value.AsInteger,
                        PayloadKind.String => column.OrdinalOf(m.Value.AsString),
                        _ => 0,
                    };
                    break;
                case MatchAny any:
                    _integers = any.Integers is { } ints ? [.. ints] : null;
                    _keywords = any.Keywords is { } kw ? [.. kw.Select(k => (long)column.OrdinalOf(k))] : null;
                    break;
                case MatchExcept except:
                    _except = true;
                    _integers = except.Integers is { } xints ? [.. xints] : null;
                    _keywords = except.Keywords is { } xkw ? [.. xkw.Select(k => (long)column.OrdinalOf(k))] : null;
                    break;
            }
        }

        /// <summary>Whether <paramref name="match"/> is one this class answers.</summary>
        public static bool Handles(Match match) => match is MatchValue or MatchAny or MatchExcept;

        public override bool Matches(uint offset)
        {
            switch (_column.KindAt(offset))
            {
                case ColumnKind.Missing:
                    return false;
                case ColumnKind.Bool:
                    return _except || (_valueKind == PayloadKind.Bool && _column.BitsAt(offset) == _value);
                case ColumnKind.Integer:
                    var integer = _column.BitsAt(offset);
                    return _match switch
                    {
                        MatchValue => _valueKind == PayloadKind.Integer && integer == _value,
                        MatchAny => _integers is { } ints && ints.Contains(integer),
                        _ => _integers is not { } xints || !xints.Contains(integer),
                    };
                case ColumnKind.String:
                    var ordinal = _column.BitsAt(offset);
                    return _match switch
                    {
                        MatchValue => _valueKind == PayloadKind.String && ordinal == _value,
                        MatchAny => _keywords is { } kw && kw.Contains(ordinal),
                        _ => _keywords is not { } xkw || !xkw.Contains(ordinal),
                    };
                case ColumnKind.Double or ColumnKind.Geo:
                    return _except;
                default:
                    foreach (var value in _column.OthersAt(offset))
                    {
                        if (FilterEvaluator.MatchesValue(_match, value))
                        {
                            return true;
                        }
                    }

                    return false;
            }
        }
    }

    /// <summary>A numeric <c>range</c> on a column.</summary>
    public sealed class RangeOnColumn(FieldColumn column, RangeCondition range) : OffsetPredicate
    {
        public override bool Matches(uint offset)
        {
            switch (column.KindAt(offset))
            {
                case ColumnKind.Integer:
                    return FilterEvaluator.InRange(range, column.BitsAt(offset));
                case ColumnKind.Double:
                    return FilterEvaluator.InRange(range, column.DoubleAt(offset));
                case ColumnKind.Other:
                    foreach (var value in column.OthersAt(offset))
                    {
                        if (value.TryGetNumber(out var x) && FilterEvaluator.InRange(range, x))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }
    }

    /// <summary>A <c>datetime_range</c> on a column (strings parsed once, when the column was filled).</summary>
    public sealed class DatetimeOnColumn : OffsetPredicate
    {
        private readonly FieldColumn _column;
        private readonly DatetimeRange _range;
        private readonly long _low;
        private readonly long _high;

        public DatetimeOnColumn(FieldColumn column, DatetimeRange range)
        {
            _column = column;
            _range = range;
            _low = Math.Max(range.Gte?.UtcTicks ?? long.MinValue, range.Gt is { } gt ? gt.UtcTicks + 1 : long.MinValue);
            _high = Math.Min(range.Lte?.UtcTicks ?? long.MaxValue, range.Lt is { } lt ? lt.UtcTicks - 1 : long.MaxValue);
        }

        public override bool Matches(uint offset)
        {
            switch (_column.KindAt(offset))
            {
                case ColumnKind.String:
                    var ticks = _column.TicksAt(offset);
                    return ticks != long.MinValue && ticks >= _low && ticks <= _high;
                case ColumnKind.Other:
                    foreach (var value in _column.OthersAt(offset))
                    {
                        if (value.Kind == PayloadKind.String && PayloadDatetime.TryParse(value.AsString, out var t) && FilterEvaluator.InRange(_range, t))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }
    }

    /// <summary>A geo radius, bounding box or polygon on a column.</summary>
    public sealed class GeoOnColumn(FieldColumn column, Func<GeoPoint, bool> inside) : OffsetPredicate
    {
        public override bool Matches(uint offset)
        {
            switch (column.KindAt(offset))
            {
                case ColumnKind.Geo:
                    return inside(column.GeoAt(offset));
                case ColumnKind.Other:
                    foreach (var value in column.OthersAt(offset))
                    {
                        if (GeoMath.TryGetPoint(value, out var point) && inside(point))
                        {
                            return true;
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }
    }
}
