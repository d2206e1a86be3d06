using Microsoft.AspNetCore.Routing;

namespace AotVector.Server.Security;

/// <summary>
/// Server-wide endpoints that reveal every collection at once, so a token scoped to some collections
/// may not call them (the reference answers "Global access is required"). Matched on the routed
/// endpoint's pattern, never on the request path.
/// </summary>
internal static class GlobalRoutes
{
    private static readonly HashSet<string> s_patterns = new(StringComparer.Ordinal) { "/metrics", "/cluster" };

    public static bool RequiresGlobalRead(Endpoint? endpoint) =>
        endpoint is RouteEndpoint route && route.RoutePattern.RawText is { } pattern && s_patterns.Contains(pattern);
}
