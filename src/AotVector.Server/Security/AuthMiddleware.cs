using AotVector.Common.Filtering;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Threading;
using Microsoft.AspNetCore.Authorization;

namespace AotVector.Server.Security;

/// <summary>
/// Authentication and the coarse authorization that needs no engine state, for REST and gRPC alike.
/// Runs after routing (so exemptions are decided on the routed endpoint's metadata, never on the raw
/// path) and before any endpoint, so a refused request's body is never read. The finer checks per
/// collection happen in the engine with the <see cref="AccessContext"/> this sets as a request feature.
/// </summary>
internal sealed class AuthMiddleware
{
    private const string GlobalRequired = "Forbidden: Global access is required";
    private const string NoAccess = "Forbidden: the token grants no access (it has no access claim)";
    private const string StatefulFailed = "Invalid JWT, stateful validation failed";
    private const string TooManyFailures = "Too many failed authentication attempts from this address; retry later";

    private readonly Authenticator _authenticator;
    private readonly IPointsApi _points;
    private readonly AuthThrottle? _throttle;
    private readonly bool _audited;

    /// <param name="throttle">Counts failures per address and refuses addresses over the limit; null when turned off.</param>
    /// <param name="audited">Whether requests carry an <see cref="Audit.AuditScope"/> to fill in.</param>
    public AuthMiddleware(Authenticator authenticator, IPointsApi points, AuthThrottle? throttle = null, bool audited = false)
    {
        _authenticator = authenticator;
        _points = points;
        _throttle = throttle;
        _audited = audited;
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();

        // Only a matched endpoint marked anonymous is exempt: an unrouted request (a 404 to be) needs a key too.
        if (endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var audit = _audited ? context.Features.Get<Audit.AuditScope>() : null;

        // Before the credential is even looked at: a refused address learns nothing about its guesses.
        if (_throttle is not null && _throttle.IsBlocked(context.Connection.RemoteIpAddress, out var retryAfter))
        {
            SecurityMetrics.RequestThrottled();
            audit?.Refuse(TooManyFailures);
            await AuthResponses.TooManyFailuresAsync(context, TooManyFailures, retryAfter).ConfigureAwait(false);
            return;
        }

        var credential = Credential.Read(context.Request.Headers);
        var decision = _authenticator.Authenticate(credential);
        switch (decision.Outcome)
        {
            case AuthOutcome.Unauthenticated:
                Failed(context, credential, decision.Message, audit);
                await AuthResponses.UnauthenticatedAsync(context, decision.Message).ConfigureAwait(false);
                return;
            case AuthOutcome.Forbidden:
                Failed(context, credential, decision.Message, audit);
                await AuthResponses.RejectedTokenAsync(context, decision.Message).ConfigureAwait(false);
                return;
        }

        if (audit is not null)
        {
            audit.AuthType = decision.Mechanism;
            audit.Subject = decision.Subject;
        }

        var access = decision.Access!;
        if (!access.GrantsAnything)
        {
            audit?.Refuse(NoAccess);
            await AuthResponses.ForbiddenAsync(context, NoAccess).ConfigureAwait(false);
            return;
        }

        if (access.Global < AccessLevel.Read && GlobalRoutes.RequiresGlobalRead(endpoint))
        {
            audit?.Refuse(GlobalRequired);
            await AuthResponses.ForbiddenAsync(context, GlobalRequired).ConfigureAwait(false);
            return;
        }

        if (decision.ValueExists is { } claim)
        {
            // An engine scroll: not for the socket thread, where a gRPC call or an inline read may still be.
            await IoThread.LeaveAsync();
            var outcome = await CheckValueExistsAsync(claim, context.RequestAborted).ConfigureAwait(false);
            if (outcome != AuthOutcome.Granted)
            {
                Failed(context, credential, StatefulFailed, audit);
                await (outcome == AuthOutcome.Forbidden
                    ? AuthResponses.RejectedTokenAsync(context, StatefulFailed)
                    : AuthResponses.UnauthenticatedAsync(context, StatefulFailed)).ConfigureAwait(false);
                return;
            }
        }

        context.Features.Set(access);
        await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// A failed authentication: counted, and toward the address's throttle when a credential was sent (a client
    /// that sends none is misconfigured, not guessing, and need not lock out others behind the same address).
    /// </summary>
    private void Failed(HttpContext context, Credential credential, string message, Audit.AuditScope? audit)
    {
        SecurityMetrics.AuthFailed();
        if (credential.Status != CredentialStatus.Missing)
        {
            _throttle?.RecordFailure(context.Connection.RemoteIpAddress);
        }

        if (audit is not null)
        {
            // Whatever the token claimed, it did not authenticate this request.
            audit.AuthType = AuthMechanism.None;
            audit.Subject = null;
            audit.Refuse(message);
        }
    }

    /// <summary>
    /// Revocation by data: the token holds only while a point with all the claimed payload values exists.
    /// Looked up with full access (it is the server checking, not the caller). A missing collection is 403,
    /// no such point is 401, as in the reference server.
    /// </summary>
    private async Task<AuthOutcome> CheckValueExistsAsync(ValueExistsClaim claim, CancellationToken ct)
    {
        var must = claim.Matches.Select(m => (Condition)new FieldCondition(m.Key, new MatchValue(m.Value))).ToList();
        var request = new ScrollRequest(new Filter(Must: must), 1, null, WithPayload.None, WithVector.None);
        var result = await _points.ScrollAsync(AccessContext.Full, claim.Collection, request, ct).ConfigureAwait(false);
        if (!result.TryGet(out var page, out var error))
        {
            return error.Kind == ErrorKind.NotFound ? AuthOutcome.Forbidden : AuthOutcome.Unauthenticated;
        }

        return page.Points.Count > 0 ? AuthOutcome.Granted : AuthOutcome.Unauthenticated;
    }
}
