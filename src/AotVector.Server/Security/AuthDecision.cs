using AotVector.Engine.Api;

namespace AotVector.Server.Security;

/// <summary>
/// What <see cref="Authenticator"/> concluded from the credential alone. A JWT with a <c>value_exists</c>
/// claim is Granted only provisionally: the middleware still has to find the point (<see cref="ValueExists"/>).
/// <see cref="Mechanism"/> and <see cref="Subject"/> (a token's subject) are for the audit log.
/// </summary>
internal readonly record struct AuthDecision(
    AuthOutcome Outcome,
    string Message,
    AccessContext? Access,
    ValueExistsClaim? ValueExists = null,
    AuthMechanism Mechanism = AuthMechanism.None,
    string? Subject = null)
{
    public const string MissingMessage = "Must provide an API key or an Authorization bearer token";
    public const string InvalidMessage = "Invalid API key or JWT";

    public static AuthDecision Granted(AccessContext access, AuthMechanism mechanism, ValueExistsClaim? valueExists = null, string? subject = null) =>
        new(AuthOutcome.Granted, "", access, valueExists, mechanism, subject);

    public static AuthDecision Unauthenticated(string message) => new(AuthOutcome.Unauthenticated, message, null);

    public static AuthDecision Forbidden(string message) => new(AuthOutcome.Forbidden, message, null);
}
