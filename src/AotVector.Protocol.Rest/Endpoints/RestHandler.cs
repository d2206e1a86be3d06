using AotVector.Common.Errors;
using AotVector.Protocol.Rest.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>
/// The handler boundary: every endpoint runs inside <see cref="Wrap"/>, so an exception a handler did not
/// expect becomes a 500 "Service internal error: …" envelope (and a log line), never a leaked stack trace.
/// </summary>
internal static partial class RestHandler
{
    public static RequestDelegate Wrap(Func<RestCall, Task> handler) => context => RunAsync(context, handler);

    public static async Task RunAsync(HttpContext context, Func<RestCall, Task> handler)
    {
        var call = new RestCall(context);
        try
        {
            await handler(call).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (JsonBodyException ex) when (!context.Response.HasStarted)
        {
            await call.FailAsync(ex.Error).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var logger = context.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("AotVector.Protocol.Rest");
            if (logger is not null)
            {
                LogUnhandled(logger, context.Request.Method, context.Request.Path.Value ?? "", ex);
            }

            context.Response.Clear();
            await call.FailAsync(AvError.Internal(ex.Message)).ConfigureAwait(false);
        }
    }

    /// <summary>One line for a body that could not be read to its end (too slow, or the connection failed).</summary>
    public static void BodyUnreadable(HttpContext context, string reason)
    {
        if (context.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("AotVector.Protocol.Rest") is { } logger)
        {
            LogBodyUnreadable(logger, context.Request.Method, context.Request.Path.Value ?? "", reason);
        }
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "{Method} {Path}: request body not read to the end: {Reason}")]
    private static partial void LogBodyUnreadable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Unhandled exception in REST handler {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
