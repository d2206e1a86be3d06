using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace AotVector.Common.Model;

/// <summary>
/// A point's external id: an unsigned 64-bit integer or a UUID. Numeric ids sort before UUIDs,
/// as in Qdrant, so scroll order is the same on both servers.
/// </summary>
public readonly struct PointId : IEquatable<PointId>, IComparable<PointId>
{
    private readonly ulong _num;
    private readonly Guid _uuid;

    private PointId(ulong num)
    {
        _num = num;
        _uuid = Guid.Empty;
        IsUuid = false;
    }

    private PointId(Guid uuid)
    {
        _num = 0;
        _uuid = uuid;
        IsUuid = true;
    }

    public bool IsUuid { get; }

    public ulong Num => IsUuid ? throw new InvalidOperationException("Point id is a UUID.") : _num;

    public Guid Uuid => IsUuid ? _uuid : throw new InvalidOperationException("Point id is a number.");

    public static PointId FromNum(ulong num) => new(num);

    public static PointId FromUuid(Guid uuid) => new(uuid);

    public static implicit operator PointId(ulong num) => new(num);

    public static implicit operator PointId(Guid uuid) => new(uuid);

    /// <summary>Parses a UUID in any form Qdrant accepts: hyphenated, 32 hex digits, braced, or urn:uuid:.</summary>
    public static bool TryParseUuid(ReadOnlySpan<char> text, out PointId id)
    {
        if (text.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["urn:uuid:".Length..];
        }

        if (Guid.TryParseExact(text, "D", out var g) || Guid.TryParseExact(text, "N", out g) || Guid.TryParseExact(text, "B", out g))
        {
            id = new PointId(g);
            return true;
        }

        id = default;
        return false;
    }

    /// <summary>Parses a path segment: an unsigned integer first, then a UUID (Qdrant's FromStr order).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out PointId id)
    {
        if (text.Length > 0 && char.IsAsciiDigit(text[0]) && ulong.TryParse(text, System.Globalization.NumberStyles.None, null, out var n))
        {
            id = new PointId(n);
            return true;
        }

        return TryParseUuid(text, out id);
    }

    /// <summary>The text Qdrant prints: the number, or the lower-case hyphenated UUID.</summary>
    public override string ToString() => IsUuid ? _uuid.ToString("D") : _num.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes 17 bytes: a tag (0 number, 1 UUID) and 16 payload bytes, little-endian number or RFC 4122 UUID bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[..17].Clear();
        if (IsUuid)
        {
            destination[0] = 1;
            _uuid.TryWriteBytes(destination.Slice(1, 16), bigEndian: true, out _);
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(1, 8), _num);
        }
    }

    public const int EncodedSize = 17;

    public static PointId ReadFrom(ReadOnlySpan<byte> source) =>
        source[0] == 1
            ? new PointId(new Guid(source.Slice(1, 16), bigEndian: true))
            : new PointId(BinaryPrimitives.ReadUInt64LittleEndian(source.Slice(1, 8)));

    public bool Equals(PointId other) => IsUuid == other.IsUuid && _num == other._num && _uuid == other._uuid;

    public override bool Equals([NotNullWhen(true)] object? obj) => obj is PointId other && Equals(other);

    public override int GetHashCode() => IsUuid ? _uuid.GetHashCode() : _num.GetHashCode();

    public int CompareTo(PointId other)
    {
        if (IsUuid != other.IsUuid)
        {
            return IsUuid ? 1 : -1;
        }

        return IsUuid ? _uuid.CompareTo(other._uuid) : _num.CompareTo(other._num);
    }

    public static bool operator ==(PointId left, PointId right) => left.Equals(right);

    public static bool operator !=(PointId left, PointId right) => !left.Equals(right);

    public static bool operator <(PointId left, PointId right) => left.CompareTo(right) < 0;

    public static bool operator >(PointId left, PointId right) => left.CompareTo(right) > 0;

    public static bool operator <=(PointId left, PointId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(PointId left, PointId right) => left.CompareTo(right) >= 0;
}
