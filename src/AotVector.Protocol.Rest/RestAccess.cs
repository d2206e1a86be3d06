using AotVector.Engine.Api;
using Microsoft.AspNetCore.Http;

namespace AotVector.Protocol.Rest;

/// <summary>
/// The caller's <see cref="AccessContext"/>: the server's security middleware stores it as a request
/// feature (<c>context.Features.Set(access)</c>); with no security configured every call has full access.
/// </summary>
public static class RestAccess
{
    public static AccessContext Get(HttpContext context) => context.Features.Get<AccessContext>() ?? AccessContext.Full;
}
