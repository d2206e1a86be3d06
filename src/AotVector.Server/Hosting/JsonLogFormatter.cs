using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace AotVector.Server.Hosting;

/// <summary>
/// logger.format: json. One JSON object per line in the reference's shape, so a log shipper set up for it reads
/// ours: {"timestamp":"…Z","level":"INFO","fields":{"message":"…", the entry's named values…},"target":category}.
/// Written with Utf8JsonWriter (no reflection); an exception adds its type and message, never a stack trace.
/// </summary>
internal sealed class JsonLogFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "aotvector-json";

    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, s_options))
        {
            w.WriteStartObject();
            w.WriteString("timestamp", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("level", Level(logEntry.LogLevel));
            w.WriteStartObject("fields");
            w.WriteString("message", message ?? "");
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key != "{OriginalFormat}" && key != "message")
                    {
                        WriteValue(w, Field(key), value);
                    }
                }
            }

            if (logEntry.EventId.Id != 0)
            {
                w.WriteNumber("event_id", logEntry.EventId.Id);
            }

            if (logEntry.Exception is { } e)
            {
                w.WriteString("error", e.GetType().Name + ": " + e.Message);
            }

            w.WriteEndObject();
            w.WriteString("target", logEntry.Category);
            w.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        _ => "ERROR",
    };

    // Message template names are PascalCase ("Collections"); the reference's fields are snake_case.
    private static string Field(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && !char.IsUpper(name[i - 1]))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static void WriteValue(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNull(name);
                break;
            case bool b:
                w.WriteBoolean(name, b);
                break;
            case int or long or short or byte or uint or ushort or sbyte:
                w.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                w.WriteNumber(name, u);
                break;
            case double or float or decimal:
                w.WriteNumber(name, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            default:
                w.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
