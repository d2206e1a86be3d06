namespace AotVector.Server.Security;

/// <summary>How a request was authenticated; the audit log's <c>auth_type</c> (the reference server's names).</summary>
internal enum AuthMechanism : byte
{
    /// <summary>No credential accepted: authentication is off, or the request was refused before one was.</summary>
    None,

    /// <summary>One of the configured keys (full, alternative or read-only).</summary>
    ApiKey,

    /// <summary>A verified JWT.</summary>
    Jwt,
}
