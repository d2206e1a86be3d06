using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using static AotVector.Storage.Files.LittleEndianReader;
using static AotVector.Storage.Files.LittleEndianWriter;

namespace AotVector.Engine.Operations;

/// <summary>
/// Binary form of a <see cref="Filter"/>, for filters that cross to another peer unresolved (a read's filter, a
/// delete by filter). The WAL never holds one: there, filters are already resolved to ids.
/// <code>
/// filter: u8 clause mask (1 must, 2 should, 4 must_not, 8 min_should), then each present clause as u32 count +
///         conditions; min_should as u32 min count + u32 count + conditions.
/// condition: u8 tag, then its body (strings and ids as in the WAL, doubles as their IEEE bits in a u64).
/// </code>
/// Decoding throws <see cref="InvalidDataException"/> on a malformed filter.
/// </summary>
internal static class FilterCodec
{
    /// <summary>Deeper nesting than any client can send (the JSON reader stops at 128 levels).</summary>
    private const int MaxDepth = 256;

    private enum Tag : byte
    {
        Field = 1,
        IsEmpty = 2,
        IsNull = 3,
        HasId = 4,
        HasVector = 5,
        Nested = 6,
        Filter = 7,
        Slice = 8,
    }

    private enum MatchTag : byte
    {
        Value = 1,
        Any = 2,
        Except = 3,
        Text = 4,
        TextAny = 5,
        Phrase = 6,
        Prefix = 7,
    }

    [Flags]
    private enum FieldParts : ushort
    {
        Match = 1,
        Range = 2,
        DatetimeRange = 4,
        ValuesCount = 8,
        GeoBoundingBox = 16,
        GeoRadius = 32,
        GeoPolygon = 64,
        IsEmpty = 128,
        IsNull = 256,
    }

    public static void Write(IBufferWriter<byte> w, Filter filter)
    {
        var mask = (byte)((filter.Must is null ? 0 : 1) | (filter.Should is null ? 0 : 2) | (filter.MustNot is null ? 0 : 4) | (filter.MinShould is null ? 0 : 8));
        WriteU8(w, mask);
        WriteConditionsOpt(w, filter.Must);
        WriteConditionsOpt(w, filter.Should);
        WriteConditionsOpt(w, filter.MustNot);
        if (filter.MinShould is { } min)
        {
            WriteU32(w, (uint)min.MinCount);
            WriteConditions(w, min.Conditions);
        }
    }

    public static Filter Read(ref ReadOnlySpan<byte> r) => Read(ref r, 0);

    private static Filter Read(ref ReadOnlySpan<byte> r, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDataException("Filter nested too deeply.");
        }

        var mask = ReadU8(ref r);
        var must = (mask & 1) != 0 ? ReadConditions(ref r, depth) : null;
        var should = (mask & 2) != 0 ? ReadConditions(ref r, depth) : null;
        var mustNot = (mask & 4) != 0 ? ReadConditions(ref r, depth) : null;
        MinShould? minShould = null;
        if ((mask & 8) != 0)
        {
            var minCount = (int)ReadU32(ref r);
            minShould = new MinShould(ReadConditions(ref r, depth), minCount);
        }

        return new Filter(must, should, mustNot, minShould);
    }

    private static void WriteConditionsOpt(IBufferWriter<byte> w, IReadOnlyList<Condition>? conditions)
    {
        if (conditions is not null)
        {
            WriteConditions(w, conditions);
        }
    }

    private static void WriteConditions(IBufferWriter<byte> w, IReadOnlyList<Condition> conditions)
    {
        WriteU32(w, (uint)conditions.Count);
        foreach (var c in conditions)
        {
            WriteCondition(w, c);
        }
    }

    private static void WriteCondition(IBufferWriter<byte> w, Condition condition)
    {
        switch (condition)
        {
            case FieldCondition f:
                WriteU8(w, (byte)Tag.Field);
                WriteField(w, f);
                break;
            case IsEmptyCondition e:
                WriteU8(w, (byte)Tag.IsEmpty);
                WriteString(w, e.Key);
                break;
            case IsNullCondition n:
                WriteU8(w, (byte)Tag.IsNull);
                WriteString(w, n.Key);
                break;
            case HasIdCondition h:
                WriteU8(w, (byte)Tag.HasId);
                WriteU32(w, (uint)h.Ids.Count);
                foreach (var id in h.Ids)
                {
                    WritePointId(w, id);
                }

                break;
            case HasVectorCondition v:
                WriteU8(w, (byte)Tag.HasVector);
                WriteString(w, v.VectorName);
                break;
            case NestedCondition nested:
                WriteU8(w, (byte)Tag.Nested);
                WriteString(w, nested.Key);
                Write(w, nested.Filter);
                break;
            case FilterCondition inner:
                WriteU8(w, (byte)Tag.Filter);
                Write(w, inner.Filter);
                break;
            case SliceCondition slice:
                WriteU8(w, (byte)Tag.Slice);
                WriteU32(w, slice.Index);
                WriteU32(w, slice.Total);
                break;
            default:
                throw new ArgumentException("Unknown condition " + condition.GetType().Name, nameof(condition));
        }
    }

    private static void WriteField(IBufferWriter<byte> w, FieldCondition f)
    {
        WriteString(w, f.Key);
        var parts = (f.Match is null ? 0 : FieldParts.Match)
            | (f.Range is null ? 0 : FieldParts.Range)
            | (f.DatetimeRange is null ? 0 : FieldParts.DatetimeRange)
            | (f.ValuesCount is null ? 0 : FieldParts.ValuesCount)
            | (f.GeoBoundingBox is null ? 0 : FieldParts.GeoBoundingBox)
            | (f.GeoRadius is null ? 0 : FieldParts.GeoRadius)
            | (f.GeoPolygon is null ? 0 : FieldParts.GeoPolygon)
            | (f.IsEmpty is null ? 0 : FieldParts.IsEmpty)
            | (f.IsNull is null ? 0 : FieldParts.IsNull);
        WriteU32(w, (uint)parts);
        if (f.Match is { } match)
        {
            WriteMatch(w, match);
        }

        if (f.Range is { } range)
        {
            WriteDoublesOpt(w, range.Gt, range.Gte, range.Lt, range.Lte);
        }

        if (f.DatetimeRange is { } times)
        {
            WriteTimesOpt(w, times.Gt, times.Gte, times.Lt, times.Lte);
        }

        if (f.ValuesCount is { } count)
        {
            WriteCountsOpt(w, count.Gt, count.Gte, count.Lt, count.Lte);
        }

        if (f.GeoBoundingBox is { } box)
        {
            WriteGeo(w, box.TopLeft);
            WriteGeo(w, box.BottomRight);
        }

        if (f.GeoRadius is { } radius)
        {
            WriteGeo(w, radius.Center);
            WriteF64(w, radius.Radius);
        }

        if (f.GeoPolygon is { } polygon)
        {
            WriteRing(w, polygon.Exterior);
            WriteU32(w, polygon.Interiors is null ? uint.MaxValue : (uint)polygon.Interiors.Count);
            foreach (var ring in polygon.Interiors ?? [])
            {
                WriteRing(w, ring);
            }
        }

        if (f.IsEmpty is { } isEmpty)
        {
            WriteU8(w, isEmpty ? (byte)1 : (byte)0);
        }

        if (f.IsNull is { } isNull)
        {
            WriteU8(w, isNull ? (byte)1 : (byte)0);
        }
    }

    private static void WriteMatch(IBufferWriter<byte> w, Match match)
    {
        switch (match)
        {
            case MatchValue v:
                WriteU8(w, (byte)MatchTag.Value);
                WriteU8(w, (byte)v.Value.Kind);
                switch (v.Value.Kind)
                {
                    case PayloadKind.String:
                        WriteString(w, v.Value.AsString);
                        break;
                    case PayloadKind.Integer:
                        WriteU64(w, (ulong)v.Value.AsInteger);
                        break;
                    case PayloadKind.Bool:
                        WriteU8(w, v.Value.AsBool ? (byte)1 : (byte)0);
                        break;
                    case PayloadKind.Double:
                        WriteF64(w, v.Value.AsDouble);
                        break;
                    case PayloadKind.Null:
                        break;
                    default:
                        throw new ArgumentException("A match value is a scalar, not " + v.Value.Kind, nameof(match));
                }

                break;
            case MatchAny any:
                WriteU8(w, (byte)MatchTag.Any);
                WriteStringsOpt(w, any.Keywords);
                WriteIntegersOpt(w, any.Integers);
                break;
            case MatchExcept except:
                WriteU8(w, (byte)MatchTag.Except);
                WriteStringsOpt(w, except.Keywords);
                WriteIntegersOpt(w, except.Integers);
                break;
            case MatchText t:
                WriteU8(w, (byte)MatchTag.Text);
                WriteString(w, t.Text);
                break;
            case MatchTextAny t:
                WriteU8(w, (byte)MatchTag.TextAny);
                WriteString(w, t.Text);
                break;
            case MatchPhrase p:
                WriteU8(w, (byte)MatchTag.Phrase);
                WriteString(w, p.Text);
                break;
            case MatchPrefix p:
                WriteU8(w, (byte)MatchTag.Prefix);
                WriteString(w, p.Prefix);
                break;
            default:
                throw new ArgumentException("Unknown match " + match.GetType().Name, nameof(match));
        }
    }

    private static List<Condition> ReadConditions(ref ReadOnlySpan<byte> r, int depth)
    {
        var count = ReadU32(ref r);
        if (count > (uint)r.Length)
        {
            throw new InvalidDataException("Filter clause longer than its filter.");
        }

        var conditions = new List<Condition>((int)count);
        for (var i = 0; i < count; i++)
        {
            conditions.Add(ReadCondition(ref r, depth));
        }

        return conditions;
    }

    private static Condition ReadCondition(ref ReadOnlySpan<byte> r, int depth)
    {
        var tag = (Tag)ReadU8(ref r);
        switch (tag)
        {
            case Tag.Field:
                return ReadField(ref r);
            case Tag.IsEmpty:
                return new IsEmptyCondition(ReadString(ref r));
            case Tag.IsNull:
                return new IsNullCondition(ReadString(ref r));
            case Tag.HasId:
            {
                var count = ReadU32(ref r);
                if (count > (uint)r.Length / PointId.EncodedSize)
                {
                    throw new InvalidDataException("Filter id list longer than its filter.");
                }

                var ids = new HashSet<PointId>((int)count);
                for (var i = 0; i < count; i++)
                {
                    ids.Add(PointId.ReadFrom(r));
                    r = r[PointId.EncodedSize..];
                }

                return new HasIdCondition(ids);
            }

            case Tag.HasVector:
                return new HasVectorCondition(ReadString(ref r));
            case Tag.Nested:
            {
                var key = ReadString(ref r);
                return new NestedCondition(key, Read(ref r, depth + 1));
            }

            case Tag.Filter:
                return new FilterCondition(Read(ref r, depth + 1));
            case Tag.Slice:
            {
                var index = ReadU32(ref r);
                return new SliceCondition(index, ReadU32(ref r));
            }

            default:
                throw new InvalidDataException($"Unknown filter condition tag {(byte)tag}.");
        }
    }

    private static FieldCondition ReadField(ref ReadOnlySpan<byte> r)
    {
        var key = ReadString(ref r);
        var parts = (FieldParts)ReadU32(ref r);
        var match = parts.HasFlag(FieldParts.Match) ? ReadMatch(ref r) : null;
        RangeCondition? range = null;
        if (parts.HasFlag(FieldParts.Range))
        {
            var (gt, gte, lt, lte) = ReadDoublesOpt(ref r);
            range = new RangeCondition(gt, gte, lt, lte);
        }

        DatetimeRange? times = null;
        if (parts.HasFlag(FieldParts.DatetimeRange))
        {
            var (gt, gte, lt, lte) = ReadTimesOpt(ref r);
            times = new DatetimeRange(gt, gte, lt, lte);
        }

        ValuesCount? count = null;
        if (parts.HasFlag(FieldParts.ValuesCount))
        {
            var (gt, gte, lt, lte) = ReadCountsOpt(ref r);
            count = new ValuesCount(gt, gte, lt, lte);
        }

        var box = parts.HasFlag(FieldParts.GeoBoundingBox) ? new GeoBoundingBox(ReadGeo(ref r), ReadGeo(ref r)) : null;
        var radius = parts.HasFlag(FieldParts.GeoRadius) ? new GeoRadius(ReadGeo(ref r), ReadF64(ref r)) : null;
        GeoPolygon? polygon = null;
        if (parts.HasFlag(FieldParts.GeoPolygon))
        {
            var exterior = ReadRing(ref r);
            var interiorCount = ReadU32(ref r);
            List<IReadOnlyList<GeoPoint>>? interiors = null;
            if (interiorCount != uint.MaxValue)
            {
                if (interiorCount > (uint)r.Length)
                {
                    throw new InvalidDataException("Polygon longer than its filter.");
                }

                interiors = new List<IReadOnlyList<GeoPoint>>((int)interiorCount);
                for (var i = 0; i < interiorCount; i++)
                {
                    interiors.Add(ReadRing(ref r));
                }
            }

            polygon = new GeoPolygon(exterior, interiors);
        }

        bool? isEmpty = parts.HasFlag(FieldParts.IsEmpty) ? ReadU8(ref r) != 0 : null;
        bool? isNull = parts.HasFlag(FieldParts.IsNull) ? ReadU8(ref r) != 0 : null;
        return new FieldCondition(key, match, range, times, count, box, radius, polygon, isEmpty, isNull);
    }

    private static Match ReadMatch(ref ReadOnlySpan<byte> r)
    {
        var tag = (MatchTag)ReadU8(ref r);
        switch (tag)
        {
            case MatchTag.Value:
                var kind = (PayloadKind)ReadU8(ref r);
                return new MatchValue(kind switch
                {
                    PayloadKind.String => PayloadValue.FromString(ReadString(ref r)),
                    PayloadKind.Integer => PayloadValue.FromInteger((long)ReadU64(ref r)),
                    PayloadKind.Bool => PayloadValue.FromBool(ReadU8(ref r) != 0),
                    PayloadKind.Double => PayloadValue.FromDouble(ReadF64(ref r)),
                    PayloadKind.Null => PayloadValue.Null,
                    _ => throw new InvalidDataException($"Unknown match value kind {(byte)kind}."),
                });
            case MatchTag.Any:
            {
                var keywords = ReadStringsOpt(ref r);
                return new MatchAny(keywords, ReadIntegersOpt(ref r));
            }

            case MatchTag.Except:
            {
                var keywords = ReadStringsOpt(ref r);
                return new MatchExcept(keywords, ReadIntegersOpt(ref r));
            }

            case MatchTag.Text:
                return new MatchText(ReadString(ref r));
            case MatchTag.TextAny:
                return new MatchTextAny(ReadString(ref r));
            case MatchTag.Phrase:
                return new MatchPhrase(ReadString(ref r));
            case MatchTag.Prefix:
                return new MatchPrefix(ReadString(ref r));
            default:
                throw new InvalidDataException($"Unknown match tag {(byte)tag}.");
        }
    }

    private static void WriteF64(IBufferWriter<byte> w, double value) => WriteU64(w, BitConverter.DoubleToUInt64Bits(value));

    private static void WriteGeo(IBufferWriter<byte> w, GeoPoint point)
    {
        WriteF64(w, point.Lon);
        WriteF64(w, point.Lat);
    }

    private static void WriteRing(IBufferWriter<byte> w, IReadOnlyList<GeoPoint> ring)
    {
        WriteU32(w, (uint)ring.Count);
        foreach (var p in ring)
        {
            WriteGeo(w, p);
        }
    }

    // Four optional bounds: a u8 mask of the present ones, then each present one.
    private static void WriteDoublesOpt(IBufferWriter<byte> w, double? gt, double? gte, double? lt, double? lte)
    {
        WriteU8(w, Mask(gt.HasValue, gte.HasValue, lt.HasValue, lte.HasValue));
        foreach (var v in (ReadOnlySpan<double?>)[gt, gte, lt, lte])
        {
            if (v is { } value)
            {
                WriteF64(w, value);
            }
        }
    }

    private static void WriteCountsOpt(IBufferWriter<byte> w, ulong? gt, ulong? gte, ulong? lt, ulong? lte)
    {
        WriteU8(w, Mask(gt.HasValue, gte.HasValue, lt.HasValue, lte.HasValue));
        foreach (var v in (ReadOnlySpan<ulong?>)[gt, gte, lt, lte])
        {
            if (v is { } value)
            {
                WriteU64(w, value);
            }
        }
    }

    // A time as its UTC ticks and its offset in minutes, so it comes back as it was written.
    private static void WriteTimesOpt(IBufferWriter<byte> w, DateTimeOffset? gt, DateTimeOffset? gte, DateTimeOffset? lt, DateTimeOffset? lte)
    {
        WriteU8(w, Mask(gt.HasValue, gte.HasValue, lt.HasValue, lte.HasValue));
        foreach (var v in (ReadOnlySpan<DateTimeOffset?>)[gt, gte, lt, lte])
        {
            if (v is { } value)
            {
                WriteU64(w, (ulong)value.UtcTicks);
                WriteU32(w, (uint)(int)value.Offset.TotalMinutes);
            }
        }
    }

    private static byte Mask(bool a, bool b, bool c, bool d) => (byte)((a ? 1 : 0) | (b ? 2 : 0) | (c ? 4 : 0) | (d ? 8 : 0));

    private static void WriteStringsOpt(IBufferWriter<byte> w, IReadOnlyList<string>? items)
    {
        WriteU32(w, items is null ? uint.MaxValue : (uint)items.Count);
        foreach (var s in items ?? [])
        {
            WriteString(w, s);
        }
    }

    private static void WriteIntegersOpt(IBufferWriter<byte> w, IReadOnlyList<long>? items)
    {
        WriteU32(w, items is null ? uint.MaxValue : (uint)items.Count);
        foreach (var v in items ?? [])
        {
            WriteU64(w, (ulong)v);
        }
    }

    private static (double?, double?, double?, double?) ReadDoublesOpt(ref ReadOnlySpan<byte> r)
    {
        var mask = ReadU8(ref r);
        double? Next(ref ReadOnlySpan<byte> r, int bit) => (mask & bit) != 0 ? ReadF64(ref r) : null;
        return (Next(ref r, 1), Next(ref r, 2), Next(ref r, 4), Next(ref r, 8));
    }

    private static (ulong?, ulong?, ulong?, ulong?) ReadCountsOpt(ref ReadOnlySpan<byte> r)
    {
        var mask = ReadU8(ref r);
        ulong? Next(ref ReadOnlySpan<byte> r, int bit) => (mask & bit) != 0 ? ReadU64(ref r) : null;
        return (Next(ref r, 1), Next(ref r, 2), Next(ref r, 4), Next(ref r, 8));
    }

    private static (DateTimeOffset?, DateTimeOffset?, DateTimeOffset?, DateTimeOffset?) ReadTimesOpt(ref ReadOnlySpan<byte> r)
    {
        var mask = ReadU8(ref r);
        DateTimeOffset? Next(ref ReadOnlySpan<byte> r, int bit)
        {
            if ((mask & bit) == 0)
            {
                return null;
            }

            var ticks = (long)ReadU64(ref r);
            var offset = TimeSpan.FromMinutes((int)ReadU32(ref r));
            try
            {
                return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException("Filter time out of range.", e);
            }
        }

        return (Next(ref r, 1), Next(ref r, 2), Next(ref r, 4), Next(ref r, 8));
    }

    private static List<string>? ReadStringsOpt(ref ReadOnlySpan<byte> r)
    {
        var count = ReadU32(ref r);
        if (count == uint.MaxValue)
        {
            return null;
        }

        if (count > (uint)r.Length / 4)
        {
            throw new InvalidDataException("Filter string list longer than its filter.");
        }

        var items = new List<string>((int)count);
        for (var i = 0; i < count; i++)
        {
            items.Add(ReadString(ref r));
        }

        return items;
    }

    private static List<long>? ReadIntegersOpt(ref ReadOnlySpan<byte> r)
    {
        var count = ReadU32(ref r);
        if (count == uint.MaxValue)
        {
            return null;
        }

        if (count > (uint)r.Length / 8)
        {
            throw new InvalidDataException("Filter integer list longer than its filter.");
        }

        var items = new List<long>((int)count);
        for (var i = 0; i < count; i++)
        {
            items.Add((long)ReadU64(ref r));
        }

        return items;
    }

    private static GeoPoint ReadGeo(ref ReadOnlySpan<byte> r)
    {
        var lon = ReadF64(ref r);
        return new GeoPoint(lon, ReadF64(ref r));
    }

    private static List<GeoPoint> ReadRing(ref ReadOnlySpan<byte> r)
    {
        var count = ReadU32(ref r);
        if (count > (uint)r.Length / 16)
        {
            throw new InvalidDataException("Polygon ring longer than its filter.");
        }

        var ring = new List<GeoPoint>((int)count);
        for (var i = 0; i < count; i++)
        {
            ring.Add(ReadGeo(ref r));
        }

        return ring;
    }

    private static double ReadF64(ref ReadOnlySpan<byte> r) => BitConverter.UInt64BitsToDouble(ReadU64(ref r));

    private static string ReadString(ref ReadOnlySpan<byte> r)
    {
        var length = (int)ReadU32(ref r);
        if (length < 0 || length > r.Length)
        {
            throw new InvalidDataException("Filter string longer than its filter.");
        }

        var s = Encoding.UTF8.GetString(r[..length]);
        r = r[length..];
        return s;
    }
}
