namespace AotVector.Server.Security.Audit;

/// <summary>
/// The client an audit line names: the connection's address, or with <c>trust_forwarded_headers</c> the first
/// client a proxy reported (<c>Forwarded: for=</c>, else <c>X-Forwarded-For</c>). Those headers are whatever the
/// client sent unless a proxy replaces them, hence off by default.
/// </summary>
internal static class ClientAddress
{
    public static string? Of(HttpContext context, bool trustForwardedHeaders)
    {
        if (trustForwardedHeaders && Forwarded(context.Request.Headers) is { Length: > 0 } forwarded)
        {
            return forwarded;
        }

        var address = context.Connection.RemoteIpAddress;
        return address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    internal static string? Forwarded(IHeaderDictionary headers)
    {
        // RFC 7239: "for=192.0.2.60;proto=http, for=\"[2001:db8::1]:4711\"" - the first element is the original client.
        var forwarded = headers["Forwarded"].ToString();
        if (forwarded.Length > 0)
        {
            var first = forwarded.AsSpan();
            var comma = first.IndexOf(',');
            if (comma >= 0)
            {
                first = first[..comma];
            }

            foreach (var range in first.Split(';'))
            {
                var pair = first[range].Trim();
                if (pair.StartsWith("for=", StringComparison.OrdinalIgnoreCase))
                {
                    return pair[4..].Trim('"').ToString();
                }
            }
        }

        var forwardedFor = headers["X-Forwarded-For"].ToString();
        if (forwardedFor.Length > 0)
        {
            var comma = forwardedFor.IndexOf(',', StringComparison.Ordinal);
            return (comma >= 0 ? forwardedFor[..comma] : forwardedFor).Trim();
        }

        return null;
    }
}
