namespace AotVector.Server.Hosting;

/// <summary>
/// Qdrant's log_level: a level (TRACE, DEBUG, INFO, WARN, ERROR, OFF, any case, or 0-5 as its tracing filter reads
/// them), optionally followed by ",target=level" parts. The first level sets the minimum; the targets name the
/// reference's modules, so they are checked and otherwise ignored.
/// </summary>
internal static class LogLevels
{
    public static LogLevel Parse(string? text) => Level((text ?? "INFO").Split(',')[0].Trim()) ?? LogLevel.Information;

    /// <summary>Null when <paramref name="text"/> is a valid log_level, otherwise what is wrong with it.</summary>
    public static string? Problem(string text)
    {
        const string Expected = "expected TRACE, DEBUG, INFO, WARN, ERROR or OFF, optionally followed by ,target=level parts";
        var parts = text.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.LastIndexOf('=');
            var level = equals < 0 ? part : part[(equals + 1)..].Trim();
            if (equals == 0)
            {
                return $"'{part}' names no target before '=' ({Expected})";
            }

            if (Level(level) is null)
            {
                return $"'{level}' is not a log level ({Expected})";
            }
        }

        return null;
    }

    private static LogLevel? Level(string level) => level.ToUpperInvariant() switch
    {
        "TRACE" or "5" => LogLevel.Trace,
        "DEBUG" or "4" => LogLevel.Debug,
        "INFO" or "3" => LogLevel.Information,
        "WARN" or "WARNING" or "2" => LogLevel.Warning,
        "ERROR" or "1" => LogLevel.Error,
        "OFF" or "0" => LogLevel.None,
        _ => null,
    };
}
