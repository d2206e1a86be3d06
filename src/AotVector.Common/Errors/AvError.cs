namespace AotVector.Common.Errors;

/// <summary>An error a client can cause or observe, carried as a value (never thrown).</summary>
/// <param name="Kind">What kind of failure; decides the HTTP status and gRPC code.</param>
/// <param name="Message">The full message, prefixed as Qdrant prefixes it ("Wrong input: ...").</param>
public readonly record struct AvError(ErrorKind Kind, string Message, TimeSpan? RetryAfter = null)
{
    public static AvError BadRequest(string detail) => new(ErrorKind.BadRequest, "Wrong input: " + detail);
    public static AvError Validation(string detail) => new(ErrorKind.Validation, "Validation error in JSON body: " + detail);
    public static AvError NotFound(string detail) => new(ErrorKind.NotFound, "Not found: " + detail);
    public static AvError AlreadyExists(string detail) => new(ErrorKind.AlreadyExists, "Wrong input: " + detail);
    public static AvError Forbidden(string detail) => new(ErrorKind.Forbidden, "Forbidden: " + detail);
    public static AvError Unauthorized(string detail) => new(ErrorKind.Unauthorized, detail);
    public static AvError Timeout(string detail) => new(ErrorKind.Timeout, "Timeout: " + detail);
    public static AvError Cancelled(string detail) => new(ErrorKind.Cancelled, "Operation cancelled: " + detail);
    public static AvError InsufficientStorage(string detail) => new(ErrorKind.InsufficientStorage, "No space left on device: " + detail);
    public static AvError PayloadTooLarge(long limitBytes) =>
        new(ErrorKind.PayloadTooLarge, $"Payload too large: the request body exceeds max_request_size_mb ({limitBytes / (1024 * 1024)} MB)");

    public static AvError Internal(string detail) => new(ErrorKind.Internal, "Service internal error: " + detail);

    public static AvError CollectionNotFound(string name) => NotFound($"Collection `{name}` doesn't exist!");
    public static AvError PointNotFound(PointIdText id) => NotFound($"No point with id {id.Text} found");

    public override string ToString() => $"{Kind}: {Message}";
}

/// <summary>Carrier so that AvError does not depend on the model namespace.</summary>
public readonly record struct PointIdText(string Text);
