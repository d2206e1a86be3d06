using System.Globalization;

namespace AotVector.Server.Hosting;

/// <summary>
/// /telemetry?anonymize=true, as the reference anonymizes: names (collection and segment ids) become a hash, so
/// the same name gives the same hash within a report without revealing it; counts keep their first few digits
/// (12,345,678 becomes 12,345,000), so sizes stay comparable but exact figures do not leak.
/// </summary>
internal readonly struct Anonymizer(bool enabled)
{
    public bool Enabled => enabled;

    public string Name(string name)
    {
        if (!enabled)
        {
            return name;
        }

        // FNV-1a over the UTF-16 code units: stable across runs, no allocation beyond the result.
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash.ToString(CultureInfo.InvariantCulture);
    }

    public ulong Count(ulong value)
    {
        if (!enabled || value == 0)
        {
            return value;
        }

        var digits = (int)Math.Round(Math.Log10(value));
        if (digits <= 4)
        {
            return value;
        }

        var coefficient = (ulong)Math.Pow(10, digits - 4);
        return value / coefficient * coefficient;
    }
}
