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
    RateLimited,
    /// <summary>A request body over max_request_size_mb: REST 413, gRPC ResourceExhausted.</summary>
    PayloadTooLarge,
    Unavailable,
    InsufficientStorage,
    DataLoss,
    Internal,
}
