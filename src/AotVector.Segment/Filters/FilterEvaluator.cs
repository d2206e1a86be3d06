using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;

namespace AotVector.Segment.Filters;

/// <summary>
/// Checks a <see cref="Filter"/> against one point, with Qdrant's semantics (api.md §3): arrays match when any
/// element matches, types are strict, a missing field fails every field condition except <c>values_count</c>
/// (counted as 0), <c>is_empty: true</c> and <c>is_null: false</c>; an empty <c>should</c> or <c>match.any</c>
/// matches nothing; all parts set on one <see cref="FieldCondition"/> must hold.
/// </summary>
/// <remarks>
/// An instance caches parsed key paths, so reuse one per query; it is not thread-safe. A key that is not a
/// valid path finds no values (use <see cref="Validate"/> to reject such filters up front). Inside
/// <c>nested</c>, <c>has_id</c> and <c>has_vector</c> are answered for the enclosing point.
/// </remarks>
public sealed class FilterEvaluator
{
    private readonly Dictionary<string, JsonPath?> _paths = new(StringComparer.Ordinal);
    private int _nesting;

    /// <summary>
    /// The segment's text index on a key, if any: a text match on a field with a text index compares tokens, as the
    /// reference does; without one it compares substrings. Keys inside <c>nested</c> are relative and never indexed.
    /// </summary>
    internal Func<string, Index.Payloads.TextIndex?>? TextFields { get; init; }

    /// <summary>Whether the point (<paramref name="id"/>, <paramref name="payload"/>, and its vectors) matches.</summary>
    public bool Matches(Filter filter, PointId id, Payload? payload, Func<string, bool> hasVector) =>
        MatchesFilter(filter, id, payload ?? s_empty, hasVector);

    /// <summary>Checks that every key in <paramref name="filter"/> is a valid JSON path.</summary>
    public static Result<Unit> Validate(Filter filter)
    {
        foreach (var condition in AllConditions(filter))
        {
            var key = condition switch
            {
                FieldCondition f => f.Key,
                IsEmptyCondition e => e.Key,
                IsNullCondition n => n.Key,
                NestedCondition n => n.Key,
                _ => null,
            };
            if (key is not null && !JsonPath.TryParse(key, out _, out var error))
            {
                return AvError.BadRequest(error);
            }

            var inner = condition switch
            {
                NestedCondition n => n.Filter,
                FilterCondition f => f.Filter,
                _ => null,
            };
            if (inner is not null && !Validate(inner).TryGet(out _, out var innerError))
            {
                return innerError;
            }
        }

        return Unit.Value;
    }

    private static readonly Payload s_empty = new();

    private static IEnumerable<Condition> AllConditions(Filter filter) =>
        (filter.Must ?? []).Concat(filter.Should ?? []).Concat(filter.MustNot ?? []).Concat(filter.MinShould?.Conditions ?? []);

    private bool MatchesFilter(Filter filter, PointId id, Payload payload, Func<string, bool> hasVector)
    {
        if (filter.Must is { } must)
        {
            foreach (var c in must)
            {
                if (!MatchesCondition(c, id, payload, hasVector))
                {
                    return false;
                }
            }
        }

        if (filter.MustNot is { } mustNot)
        {
            foreach (var c in mustNot)
            {
                if (MatchesCondition(c, id, payload, hasVector))
                {
                    return false;
                }
            }
        }

        if (filter.Should is { } should)
        {
            // An empty list is any() over nothing: false (REST semantics).
            var any = false;
            foreach (var c in should)
            {
                if (MatchesCondition(c, id, payload, hasVector))
                {
                    any = true;
                    break;
                }
            }

            if (!any)
            {
                return false;
            }
        }

        if (filter.MinShould is { } minShould)
        {
            var hits = 0;
            foreach (var c in minShould.Conditions)
            {
                if (MatchesCondition(c, id, payload, hasVector) && ++hits >= minShould.MinCount)
                {
                    break;
                }
            }

            if (hits < minShould.MinCount)
            {
                return false;
            }
        }

        return true;
    }

    private bool MatchesCondition(Condition condition, PointId id, Payload payload, Func<string, bool> hasVector) => condition switch
    {
        FieldCondition f => MatchesField(f, payload),
        IsEmptyCondition e => IsEmpty(Values(e.Key, payload)),
        IsNullCondition n => IsNull(Values(n.Key, payload)),
        HasIdCondition h => h.Ids.Contains(id),
        HasVectorCondition v => hasVector(v.VectorName),
        SliceCondition s => s.Contains(id),
        NestedCondition n => MatchesNested(n, id, payload, hasVector),
        FilterCondition f => MatchesFilter(f.Filter, id, payload, hasVector),
        _ => false,
    };

    private bool MatchesNested(NestedCondition nested, PointId id, Payload payload, Func<string, bool> hasVector)
    {
        // The inner filter must hold for one and the same array element.
        foreach (var value in Values(nested.Key, payload))
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

                _nesting++;
                var matched = MatchesFilter(nested.Filter, id, element.AsObject, hasVector);
                _nesting--;
                if (matched)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool MatchesField(FieldCondition c, Payload payload)
    {
        var values = Values(c.Key, payload);
        if (c.IsEmpty is { } wantEmpty && IsEmpty(values) != wantEmpty)
        {
            return false;
        }

        if (c.IsNull is { } wantNull && IsNull(values) != wantNull)
        {
            return false;
        }

        if (c.ValuesCount is { } valuesCount && !CheckCount(valuesCount, CountValues(values)))
        {
            return false;
        }

        if (c.Match is { } match)
        {
            if (match is MatchText or MatchTextAny or MatchPhrase && _nesting == 0 && TextFields?.Invoke(c.Key) is { } text)
            {
                if (!text.Matches(match, values))
                {
                    return false;
                }
            }
            else if (!AnyElement(values, match, static (m, v) => MatchesValue(m, v)))
            {
                return false;
            }
        }

        if (c.Range is { } range && !AnyElement(values, range, static (r, v) => v.TryGetNumber(out var x) && InRange(r, x)))
        {
            return false;
        }

        if (c.DatetimeRange is { } dtRange && !AnyElement(values, dtRange, static (r, v) =>
                v.Kind == PayloadKind.String && PayloadDatetime.TryParse(v.AsString, out var t) && InRange(r, t)))
        {
            return false;
        }

        if (c.GeoRadius is { } radius && !AnyElement(values, radius, static (r, v) => GeoMath.TryGetPoint(v, out var p) && GeoMath.InRadius(r, p)))
        {
            return false;
        }

        if (c.GeoBoundingBox is { } box && !AnyElement(values, box, static (b, v) => GeoMath.TryGetPoint(v, out var p) && GeoMath.InBoundingBox(b, p)))
        {
            return false;
        }

        if (c.GeoPolygon is { } polygon && !AnyElement(values, polygon, static (g, v) => GeoMath.TryGetPoint(v, out var p) && GeoMath.InPolygon(g, p)))
        {
            return false;
        }

        // A condition with no parts set is rejected by the front ends; here it matches nothing.
        return c.Match is not null || c.Range is not null || c.DatetimeRange is not null || c.ValuesCount is not null
            || c.GeoRadius is not null || c.GeoBoundingBox is not null || c.GeoPolygon is not null
            || c.IsEmpty is not null || c.IsNull is not null;
    }

    // Any value, flattening one level of arrays, satisfies the check. A missing field has no values: false.
    private static bool AnyElement<TState>(List<PayloadValue> values, TState state, Func<TState, PayloadValue, bool> check)
    {
        foreach (var value in values)
        {
            if (value.Kind == PayloadKind.Array)
            {
                foreach (var item in value.AsArray)
                {
                    if (check(state, item))
                    {
                        return true;
                    }
                }
            }
            else if (check(state, value))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool MatchesValue(Match match, PayloadValue value)
    {
        switch (match)
        {
            case MatchValue m:
                return m.Value.Kind is PayloadKind.String or PayloadKind.Integer or PayloadKind.Bool && m.Value.Equals(value);
            case MatchAny any:
                return value.Kind switch
                {
                    PayloadKind.String => any.Keywords is { } kw && Contains(kw, value.AsString),
                    PayloadKind.Integer => any.Integers is { } ints && Contains(ints, value.AsInteger),
                    _ => false,
                };
            case MatchExcept except:
                return value.Kind switch
                {
                    PayloadKind.Null => false,
                    PayloadKind.String => except.Keywords is not { } kw || !Contains(kw, value.AsString),
                    PayloadKind.Integer => except.Integers is not { } ints || !Contains(ints, value.AsInteger),
                    _ => true, // bools, doubles, nested arrays and objects are "not in the list"
                };
            case MatchText text:
                return value.Kind == PayloadKind.String && value.AsString.Contains(text.Text, StringComparison.Ordinal);
            case MatchPhrase phrase:
                return value.Kind == PayloadKind.String && value.AsString.Contains(phrase.Text, StringComparison.Ordinal);
            case MatchTextAny textAny:
                if (value.Kind != PayloadKind.String)
                {
                    return false;
                }

                foreach (var token in textAny.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (value.AsString.Contains(token, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            case MatchPrefix prefix:
                return value.Kind == PayloadKind.String && value.AsString.StartsWith(prefix.Prefix, StringComparison.Ordinal);
            default:
                return false;
        }
    }

    internal static bool InRange(RangeCondition r, double x) =>
        (r.Gt is not { } gt || x > gt) && (r.Gte is not { } gte || x >= gte)
        && (r.Lt is not { } lt || x < lt) && (r.Lte is not { } lte || x <= lte);

    internal static bool InRange(DatetimeRange r, DateTimeOffset t) =>
        (r.Gt is not { } gt || t > gt) && (r.Gte is not { } gte || t >= gte)
        && (r.Lt is not { } lt || t < lt) && (r.Lte is not { } lte || t <= lte);

    private static bool CheckCount(ValuesCount r, ulong n) =>
        (r.Gt is not { } gt || n > gt) && (r.Gte is not { } gte || n >= gte)
        && (r.Lt is not { } lt || n < lt) && (r.Lte is not { } lte || n <= lte);

    // An array counts its length, null counts 0, any other value 1; a missing field has no values: 0.
    private static ulong CountValues(List<PayloadValue> values)
    {
        ulong count = 0;
        foreach (var value in values)
        {
            count += value.Kind switch
            {
                PayloadKind.Array => (ulong)value.AsArray.Count,
                PayloadKind.Null => 0,
                _ => 1,
            };
        }

        return count;
    }

    // Missing, null or [] (every value found is null or an empty array).
    private static bool IsEmpty(List<PayloadValue> values)
    {
        foreach (var value in values)
        {
            var empty = value.Kind == PayloadKind.Null || (value.Kind == PayloadKind.Array && value.AsArray.Count == 0);
            if (!empty)
            {
                return false;
            }
        }

        return true;
    }

    // Present and null, or an array holding a null.
    private static bool IsNull(List<PayloadValue> values)
    {
        foreach (var value in values)
        {
            if (value.IsNull)
            {
                return true;
            }

            if (value.Kind == PayloadKind.Array)
            {
                foreach (var item in value.AsArray)
                {
                    if (item.IsNull)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private List<PayloadValue> Values(string key, Payload payload)
    {
        if (!_paths.TryGetValue(key, out var path))
        {
            JsonPath.TryParse(key, out path, out _);
            _paths[key] = path;
        }

        return path is null ? [] : path.Evaluate(payload);
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        foreach (var item in list)
        {
            if (string.Equals(item, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(IReadOnlyList<long> list, long value)
    {
        foreach (var item in list)
        {
            if (item == value)
            {
                return true;
            }
        }

        return false;
    }
}
