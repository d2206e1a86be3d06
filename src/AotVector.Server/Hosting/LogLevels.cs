namespace AotVector.Server.Hosting;

/// <summary>Maps Qdrant's log_level (TRACE, DEBUG, INFO, WARN, ERROR, optionally with ",module=level" parts) to a minimum level.</summary>
internal static class LogLevels
{
    public static LogLevel Parse(string? text)
    {
        var head = (text ?? "INFO").Split(',')[0].Trim();
        return head.ToUpperInvariant() switch
        {
            "TRACE" => LogLevel.Trace,
            "DEBUG" => LogLevel.Debug,
            "WARN" or "WARNING" => LogLevel.Warning,
            "ERROR" => LogLevel.Error,
            "OFF" => LogLevel.None,
            _ => LogLevel.Information,
        };
    }
}
