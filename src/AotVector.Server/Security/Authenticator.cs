using AotVector.Engine.Api;

namespace AotVector.Server.Security;

/// <summary>
/// Turns a request's credential into an <see cref="AccessContext"/>, in the reference server's order:
/// the full keys, the read-only key, then (with <c>jwt_rbac</c>) the value as an HS256 JWT.
/// </summary>
internal sealed class Authenticator
{
    private readonly ApiKeySet _keys;
    private readonly JwtVerifier? _jwt;

    public Authenticator(ApiKeySet keys, JwtVerifier? jwt)
    {
        _keys = keys;
        _jwt = jwt;
    }

    /// <summary>Whether any credential is configured; when not, the middleware is not installed and every call has full access.</summary>
    public bool Enabled => _keys.Any;

    public AuthDecision Authenticate(Credential credential)
    {
        switch (credential.Status)
        {
            case CredentialStatus.Missing:
                return AuthDecision.Unauthenticated(AuthDecision.MissingMessage);
            case CredentialStatus.Malformed:
                return AuthDecision.Unauthenticated(AuthDecision.InvalidMessage);
        }

        switch (_keys.Match(credential.Value))
        {
            case KeyMatch.Full:
                return AuthDecision.Granted(AccessContext.Full, AuthMechanism.ApiKey);
            case KeyMatch.ReadOnly:
                return AuthDecision.Granted(AccessContext.ReadOnly, AuthMechanism.ApiKey);
        }

        if (_jwt is null)
        {
            return AuthDecision.Unauthenticated(AuthDecision.InvalidMessage);
        }

        var token = _jwt.Verify(credential.Value);
        return token.Status switch
        {
            JwtStatus.Valid => AuthDecision.Granted(token.Access!, AuthMechanism.Jwt, token.ValueExists, token.Subject),
            JwtStatus.NotAJwt => AuthDecision.Unauthenticated(AuthDecision.InvalidMessage),
            JwtStatus.InvalidClaims => AuthDecision.Unauthenticated(token.Message),
            JwtStatus.Rejected => AuthDecision.Forbidden(token.Message),
        };
    }
}
