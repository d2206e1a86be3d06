using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>Warnings about requests that were served but not entirely understood.</summary>
internal static partial class RequestLog
{
    public static void UnknownFields(HttpContext context, string collection, List<string> fields)
    {
        if (fields.Count == 0 || context.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("AotVector.Protocol.Rest") is not { } logger)
        {
            return;
        }

        foreach (var field in fields)
        {
            LogUnknownField(logger, Printable(collection), Printable(field));
        }
    }

    /// <summary>A client's text as one short log line: control characters escaped, at most 100 characters.</summary>
    private static string Printable(string text)
    {
        var sb = new System.Text.StringBuilder(Math.Min(text.Length, 100) + 8);
        foreach (var c in text.Length > 100 ? text[..100] : text)
        {
            if (char.IsControl(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return text.Length > 100 ? sb.Append('…').ToString() : sb.ToString();
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "Create collection {Collection}: unknown field `{Field}` in the request body was ignored (the reference ignores it too; check its spelling)")]
    private static partial void LogUnknownField(ILogger logger, string collection, string field);
}
