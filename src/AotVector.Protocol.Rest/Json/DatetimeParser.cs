namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// The datetime forms Qdrant accepts in range filters: RFC 3339, "YYYY-MM-DD[T ]HH:MM[:SS[.f]]" with an
/// optional zone (Z, ±HH:MM, ±HHMM, ±HH; none means UTC), and a bare "YYYY-MM-DD" (midnight UTC).
/// </summary>
internal static class DatetimeParser
{
    public static bool TryParse(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 10 || !Digits(s, 0, 4, out var year) || s[4] != '-' || !Digits(s, 5, 2, out var month) || s[7] != '-' || !Digits(s, 8, 2, out var day))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0;
        long ticks = 0;
        var offset = TimeSpan.Zero;
        var i = 10;
        if (i < s.Length)
        {
            if (s[i] is not ('T' or 't' or ' ') || !Digits(s, i + 1, 2, out hour) || i + 3 >= s.Length || s[i + 3] != ':' || !Digits(s, i + 4, 2, out minute))
            {
                return false;
            }

            i += 6;
            if (i < s.Length && s[i] == ':')
            {
                if (!Digits(s, i + 1, 2, out second))
                {
                    return false;
                }

                i += 3;
                if (i < s.Length && s[i] == '.')
                {
                    i++;
                    var start = i;
                    long scale = TimeSpan.TicksPerSecond;
                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        // Digits past 100 ns precision are read and dropped.
                        if (scale > 1)
                        {
                            scale /= 10;
                            ticks += (s[i] - '0') * scale;
                        }

                        i++;
                    }

                    if (i == start)
                    {
                        return false;
                    }
                }
            }

            if (i < s.Length && !TryZone(s[i..], out offset))
            {
                return false;
            }
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        try
        {
            // A leap second (":60") is folded into the next second, as chrono does.
            var dt = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified).AddTicks(ticks + (second == 60 ? TimeSpan.TicksPerSecond : 0));
            value = new DateTimeOffset(dt, offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // Year 0 or an offset that pushes the instant outside DateTimeOffset's range.
            return false;
        }
    }

    private static bool TryZone(ReadOnlySpan<char> s, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (s is "Z" or "z")
        {
            return true;
        }

        if (s.Length < 3 || s[0] is not ('+' or '-') || !Digits(s, 1, 2, out var hours))
        {
            return false;
        }

        var minutes = 0;
        var ok = s.Length switch
        {
            3 => true,
            5 => Digits(s, 3, 2, out minutes),
            6 => s[3] == ':' && Digits(s, 4, 2, out minutes),
            _ => false,
        };
        if (!ok || hours > 23 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (s[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }
}
