namespace AotVector.Common.Errors;

/// <summary>
/// What went wrong, as the client should see it. Each front end maps every value
/// exhaustively (no discard arm), so a new kind breaks the build until it is mapped.
/// </summary>
public enum ErrorKind : byte
{
    /// <summary>Input that parsed but is wrong ("Wrong input: ..."): REST 400, gRPC InvalidArgument.</summary>
    BadRequest,
    /// <summary>A body that failed validation: REST 422, gRPC InvalidArgument.</summary>
    Validation,
    NotFound,
    AlreadyExists,
    Unauthorized,
    Forbidden,
    PreconditionFailed,
    Timeout,
    /// <summary>
    /// The caller cancelled the request (the client went away, or a gRPC deadline passed) while it ran: REST has no one
    /// to answer, gRPC answers CANCELLED (DEADLINE_EXCEEDED past the deadline). Never logged as a failure.
    /// </summary>
    Cancelled,
    RateLimited,
    /// <summary>A request body over max_request_size_mb: REST 413, gRPC ResourceExhausted.</summary>
    PayloadTooLarge,
    Unavailable,
    InsufficientStorage,
    DataLoss,
    Internal,
    /// <summary>
    /// An API the reference serves that this server does not serve yet: REST 405, gRPC Unimplemented, as the
    /// reference answers the APIs a standalone node cannot serve (its StandaloneMode error).
    /// </summary>
    Unimplemented,
}
