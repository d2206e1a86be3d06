namespace AotVector.Server.Security.Audit;

/// <summary>
/// One audit line before it is written. <see cref="Method"/> is the HTTP method (REST) or "grpc";
/// <see cref="Api"/> the route pattern or the gRPC method path, never the raw request path.
/// </summary>
internal sealed record AuditEntry(
    DateTimeOffset Timestamp,
    string Method,
    string? Api,
    AuthMechanism AuthType,
    string? Subject,
    string? Remote,
    string? Collection,
    string? TracingId,
    bool Denied,
    string? Error);
