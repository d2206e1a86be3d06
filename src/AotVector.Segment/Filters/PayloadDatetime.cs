namespace AotVector.Segment.Filters;

/// <summary>
/// Parses payload datetimes in the forms Qdrant accepts: RFC 3339; <c>YYYY-MM-DD[T ]HH:MM:SS[.f]±HHMM</c>
/// (also <c>±HH:MM</c>, <c>±HH</c>, <c>Z</c>); the same without a zone (read as UTC);
/// <c>YYYY-MM-DD[T ]HH:MM</c>; and <c>YYYY-MM-DD</c>.
/// </summary>
public static class PayloadDatetime
{
    /// <summary>Parses <paramref name="text"/> to an instant (offset normalised to UTC).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 10
            || !TryDigits(text, 0, 4, out var year) || text[4] != '-'
            || !TryDigits(text, 5, 2, out var month) || text[7] != '-'
            || !TryDigits(text, 8, 2, out var day))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        var i = 10;
        if (i < text.Length)
        {
            if (text[i] is not ('T' or 't' or ' ')
                || !TryDigits(text, i + 1, 2, out hour) || i + 3 >= text.Length || text[i + 3] != ':'
                || !TryDigits(text, i + 4, 2, out minute))
            {
                return false;
            }

            i += 6;
            if (i < text.Length && text[i] == ':')
            {
                if (!TryDigits(text, i + 1, 2, out second))
                {
                    return false;
                }

                i += 3;
                if (i < text.Length && text[i] == '.')
                {
                    i++;
                    var start = i;
                    long scale = TimeSpan.TicksPerSecond;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        scale /= 10;
                        fractionTicks += (text[i] - '0') * scale;
                        i++;
                    }

                    if (i == start)
                    {
                        return false;
                    }
                }
            }
        }

        var offset = TimeSpan.Zero;
        if (i < text.Length)
        {
            var rest = text[i..];
            if (rest is "Z" or "z")
            {
                i = text.Length;
            }
            else if (rest[0] is '+' or '-' && TryParseOffset(rest[1..], out var magnitude))
            {
                offset = rest[0] == '-' ? -magnitude : magnitude;
                i = text.Length;
            }
            else
            {
                return false;
            }
        }

        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59 || offset.Duration() > TimeSpan.FromHours(14))
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    private static bool TryParseOffset(ReadOnlySpan<char> text, out TimeSpan offset)
    {
        offset = default;
        int hours, minutes = 0;
        switch (text.Length)
        {
            case 2:
                if (!TryDigits(text, 0, 2, out hours))
                {
                    return false;
                }

                break;
            case 4:
                if (!TryDigits(text, 0, 2, out hours) || !TryDigits(text, 2, 2, out minutes))
                {
                    return false;
                }

                break;
            case 5:
                if (!TryDigits(text, 0, 2, out hours) || text[2] != ':' || !TryDigits(text, 3, 2, out minutes))
                {
                    return false;
                }

                break;
            default:
                return false;
        }

        if (minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        if (start < 0 || start + count > text.Length)
        {
            return false;
        }

        for (var k = start; k < start + count; k++)
        {
            if (!char.IsAsciiDigit(text[k]))
            {
                return false;
            }

            value = value * 10 + (text[k] - '0');
        }

        return true;
    }
}
