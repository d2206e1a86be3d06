using AotVector.Server.Config;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

namespace AotVector.Server.Hosting;

/// <summary>Where and how log entries are written: the console, as text lines (the default) or JSON lines.</summary>
internal static class LogOutput
{
    public static ILoggingBuilder AddConsole(ILoggingBuilder logging, LoggerSettings settings)
    {
        if (!settings.Json)
        {
            return logging.AddSimpleConsole(TextFormat);
        }

        // Registered as a formatter service directly: AddConsoleFormatter binds options from configuration, which
        // needs reflection; this formatter has no options.
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, JsonLogFormatter>());
        return logging.AddConsole(o => o.FormatterName = JsonLogFormatter.Name);
    }

    /// <summary>One line per entry with a UTC timestamp, for the host's and the engine's loggers alike.</summary>
    private static void TextFormat(SimpleConsoleFormatterOptions o)
    {
        o.SingleLine = true;
        o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        o.UseUtcTimestamp = true;
    }
}
