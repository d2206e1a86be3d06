namespace AotVector.Server.Security;

internal enum CredentialStatus : byte
{
    /// <summary>Neither <c>api-key</c> nor <c>Authorization: Bearer</c> was sent.</summary>
    Missing,

    /// <summary>One value was found.</summary>
    Present,

    /// <summary>Sent more than once, empty, or not visible ASCII: never compared, always refused.</summary>
    Malformed,
}
