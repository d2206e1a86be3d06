using AotVector.Common.Text;
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
            LogUnknownField(logger, LogText.Printable(collection), LogText.Printable(field));
        }
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "Create collection {Collection}: unknown field `{Field}` in the request body was ignored (the reference ignores it too; check its spelling)")]
    private static partial void LogUnknownField(ILogger logger, string collection, string field);
}
