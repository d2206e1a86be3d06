using AotVector.Common.Errors;
using Microsoft.AspNetCore.Http;

namespace AotVector.Protocol.Rest.Errors;

/// <summary>ErrorKind → HTTP status, as Qdrant's actix helpers map storage errors.</summary>
internal static class HttpStatusMapping
{
    // No discard arm on purpose: a new ErrorKind must break the build here (CS8509 is an error).
    public static int ToStatusCode(ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        ErrorKind.Validation => StatusCodes.Status422UnprocessableEntity,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.AlreadyExists => StatusCodes.Status409Conflict,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorKind.Timeout => StatusCodes.Status408RequestTimeout,
        // Only for the record (logs, metrics): a cancelled request's client is gone, and nothing is sent.
        ErrorKind.Cancelled => StatusCodes.Status499ClientClosedRequest,
        ErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
        ErrorKind.DataLoss => StatusCodes.Status500InternalServerError,
        ErrorKind.Internal => StatusCodes.Status500InternalServerError,
        ErrorKind.Unimplemented => StatusCodes.Status405MethodNotAllowed,
    };

    /// <summary>Whole seconds, rounded up, for the Retry-After header of a 429 (at least 1).</summary>
    public static long RetryAfterSeconds(TimeSpan? retryAfter) =>
        retryAfter is { } t && t > TimeSpan.Zero ? Math.Max(1, (long)Math.Ceiling(t.TotalSeconds)) : 1;
}
