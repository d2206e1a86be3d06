using AotVector.Engine.Api;

namespace AotVector.Server.Security;

/// <summary>
/// The outcome of <see cref="JwtVerifier.Verify"/>. <see cref="Access"/> is set when <see cref="Status"/> is Valid;
/// <see cref="Subject"/> then holds the token's <c>subject</c> (or else <c>sub</c>) claim, for the audit log.
/// </summary>
internal readonly record struct JwtResult(JwtStatus Status, string Message, AccessContext? Access, ValueExistsClaim? ValueExists, string? Subject = null)
{
    public static JwtResult NotAJwt => new(JwtStatus.NotAJwt, "Invalid API key or JWT", null, null);

    public static JwtResult Invalid(string message) => new(JwtStatus.InvalidClaims, message, null, null);

    public static JwtResult Rejected(string message) => new(JwtStatus.Rejected, message, null, null);
}
