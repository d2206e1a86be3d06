using System.Globalization;
using AotVector.Common.Errors;
using Grpc.Core;

namespace AotVector.Protocol.Grpc.Errors;

/// <summary>
/// The one place engine errors become gRPC statuses. The message is the engine's text unchanged,
/// so REST and gRPC clients read the same words.
/// </summary>
internal static class GrpcErrors
{
    /// <summary>Exhaustive on purpose (no discard arm): a new <see cref="ErrorKind"/> fails the build here.</summary>
    public static StatusCode ToStatusCode(ErrorKind kind) => kind switch
    {
        ErrorKind.BadRequest => StatusCode.InvalidArgument,
        ErrorKind.Validation => StatusCode.InvalidArgument,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        ErrorKind.Unauthorized => StatusCode.Unauthenticated,
        ErrorKind.Forbidden => StatusCode.PermissionDenied,
        ErrorKind.PreconditionFailed => StatusCode.FailedPrecondition,
        ErrorKind.Timeout => StatusCode.DeadlineExceeded,
        ErrorKind.Cancelled => StatusCode.Cancelled,
        ErrorKind.RateLimited => StatusCode.ResourceExhausted,
        ErrorKind.PayloadTooLarge => StatusCode.ResourceExhausted,
        ErrorKind.Unavailable => StatusCode.Unavailable,
        ErrorKind.InsufficientStorage => StatusCode.ResourceExhausted,
        ErrorKind.DataLoss => StatusCode.DataLoss,
        ErrorKind.Internal => StatusCode.Internal,
        ErrorKind.Unimplemented => StatusCode.Unimplemented,
    };

    public static RpcException ToRpcException(AvError error)
    {
        var trailers = new Metadata();
        if (error.Kind == ErrorKind.RateLimited && error.RetryAfter is { } retryAfter)
        {
            // Qdrant sends whole seconds; round up so a client never retries too early.
            var seconds = (long)Math.Ceiling(Math.Max(0, retryAfter.TotalSeconds));
            trailers.Add("retry-after", seconds.ToString(CultureInfo.InvariantCulture));
        }

        return new RpcException(new Status(ToStatusCode(error.Kind), error.Message), trailers);
    }

    /// <summary>A malformed request message, worded like Qdrant's gRPC validation errors and naming the field.</summary>
    public static AvError InvalidField(string field, string problem) =>
        new(ErrorKind.Validation, $"Validation error in body: [{field}: {problem}]");

    public static RpcException Unimplemented(string message) => new(new Status(StatusCode.Unimplemented, message));

    /// <summary>
    /// As <see cref="Unwrap{T}(Result{T})"/>, for a call the engine may have cancelled: cancelled past the call's
    /// deadline is DEADLINE_EXCEEDED, before it CANCELLED (the client went away).
    /// </summary>
    public static T Unwrap<T>(this Result<T> result, ServerCallContext context)
    {
        if (!result.TryGet(out var value, out var error) && error.Kind == ErrorKind.Cancelled && context.Deadline <= DateTime.UtcNow)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
        }

        return result.Unwrap();
    }

    /// <summary>The value, or the gRPC status the error maps to.</summary>
    public static T Unwrap<T>(this Result<T> result) =>
        result.TryGet(out var value, out var error) ? value : throw ToRpcException(error);
}
