namespace AotVector.Server.Security.Audit;

/// <summary>
/// What the layers below the audit middleware learn about one request, set as a request feature: who the caller
/// turned out to be, whether the security layer refused it and why, and (gRPC) the collection the message names.
/// </summary>
internal sealed class AuditScope
{
    public AuthMechanism AuthType { get; set; }

    /// <summary>The token's subject claim, when a JWT authenticated the request.</summary>
    public string? Subject { get; set; }

    /// <summary>The message of the security layer's refusal (401, 403 or 429), or null if it let the request through.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The collection named in a gRPC request message (REST takes it from the route).</summary>
    public string? Collection { get; set; }

    public void Refuse(string message) => Refusal = message;
}
