using AotVector.Common.Model;

namespace AotVector.Common.Filtering;

/// <summary>One condition of a filter clause.</summary>
public abstract record Condition;

/// <summary>
/// A condition on the payload value(s) at <see cref="Key"/>. At least one part is set; all set
/// parts must hold. An array payload matches when any element matches.
/// </summary>
public sealed record FieldCondition(
    string Key,
    Match? Match = null,
    RangeCondition? Range = null,
    DatetimeRange? DatetimeRange = null,
    ValuesCount? ValuesCount = null,
    GeoBoundingBox? GeoBoundingBox = null,
    GeoRadius? GeoRadius = null,
    GeoPolygon? GeoPolygon = null,
    bool? IsEmpty = null,
    bool? IsNull = null) : Condition;

/// <summary>True when the field is missing, null, or an empty array.</summary>
public sealed record IsEmptyCondition(string Key) : Condition;

/// <summary>True when the field exists and is null (or an array containing null).</summary>
public sealed record IsNullCondition(string Key) : Condition;

public sealed record HasIdCondition(IReadOnlySet<PointId> Ids) : Condition;

/// <summary>True when the point has the named vector; "" is the default unnamed vector.</summary>
public sealed record HasVectorCondition(string VectorName) : Condition;

/// <summary>The inner filter must hold for one and the same element of the array at <see cref="Key"/>.</summary>
public sealed record NestedCondition(string Key, Filter Filter) : Condition;

/// <summary>A whole filter used as a condition.</summary>
public sealed record FilterCondition(Filter Filter) : Condition;

/// <summary>The match part of a field condition.</summary>
public abstract record Match;

/// <summary>Exact match on a keyword (string), integer or bool value.</summary>
public sealed record MatchValue(PayloadValue Value) : Match;

/// <summary>Matches when the value is any of the keywords or integers (an empty list matches nothing).</summary>
public sealed record MatchAny(IReadOnlyList<string>? Keywords, IReadOnlyList<long>? Integers) : Match;

/// <summary>Matches when the value is none of the keywords or integers.</summary>
public sealed record MatchExcept(IReadOnlyList<string>? Keywords, IReadOnlyList<long>? Integers) : Match;

/// <summary>Full-text match; without a text index, a substring test.</summary>
public sealed record MatchText(string Text) : Match;

/// <summary>Matches when any whitespace-separated token occurs.</summary>
public sealed record MatchTextAny(string Text) : Match;

public sealed record MatchPhrase(string Text) : Match;

/// <summary>Byte-wise starts-with.</summary>
public sealed record MatchPrefix(string Prefix) : Match;

/// <summary>Numeric range; only numbers (integer or float) match.</summary>
public sealed record RangeCondition(double? Gt = null, double? Gte = null, double? Lt = null, double? Lte = null);

/// <summary>Datetime range; only strings that parse as datetimes match.</summary>
public sealed record DatetimeRange(DateTimeOffset? Gt = null, DateTimeOffset? Gte = null, DateTimeOffset? Lt = null, DateTimeOffset? Lte = null);

/// <summary>Range over the number of values (array length, 1 for a scalar, 0 for null or missing).</summary>
public sealed record ValuesCount(ulong? Gt = null, ulong? Gte = null, ulong? Lt = null, ulong? Lte = null);

public readonly record struct GeoPoint(double Lon, double Lat);

public sealed record GeoBoundingBox(GeoPoint TopLeft, GeoPoint BottomRight);

/// <summary>Within <see cref="Radius"/> meters of <see cref="Center"/>.</summary>
public sealed record GeoRadius(GeoPoint Center, double Radius);

public sealed record GeoPolygon(IReadOnlyList<GeoPoint> Exterior, IReadOnlyList<IReadOnlyList<GeoPoint>>? Interiors);
