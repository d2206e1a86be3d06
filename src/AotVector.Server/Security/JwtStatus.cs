namespace AotVector.Server.Security;

/// <summary>How a bearer value fared as a JWT; the status code follows the reference server.</summary>
internal enum JwtStatus : byte
{
    /// <summary>Verified; the claims are usable.</summary>
    Valid,

    /// <summary>Not a JWT we accept at all (shape, encoding, <c>alg</c> other than HS256): 401 "Invalid API key or JWT".</summary>
    NotAJwt,

    /// <summary>Signed correctly but the claims are malformed or deprecated: 401 with the reason.</summary>
    InvalidClaims,

    /// <summary>A bad signature, or a token outside its <c>exp</c>/<c>nbf</c> window: 403 with the reason.</summary>
    Rejected,
}
