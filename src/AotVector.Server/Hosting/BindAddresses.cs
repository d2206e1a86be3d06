using System.Net;
using System.Net.Sockets;

namespace AotVector.Server.Hosting;

/// <summary>
/// What service.host binds to. As the reference binds "host:port", a host name is resolved once, at startup, and
/// every address it resolves to is bound; "localhost" binds both loopback families.
/// </summary>
internal static class BindAddresses
{
    /// <param name="addresses">Null for "localhost", otherwise the addresses to bind (at least one).</param>
    public static bool TryResolve(string host, out IPAddress[]? addresses, out string error)
    {
        error = string.Empty;
        addresses = null;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
            return true;
        }

        try
        {
            // For this machine's own name .NET answers every interface address, not only what the resolver
            // (/etc/hosts, DNS) says; IPv6 link-local ones are left out, being reachable on their link only.
            var resolved = Dns.GetHostAddresses(host)
                .Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal)
                .Distinct()
                .ToArray();
            if (resolved.Length == 0)
            {
                error = $"'{host}' resolves to no IP address";
                return false;
            }

            addresses = resolved;
            return true;
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            error = $"'{host}' is not an IP address, and resolving it as a host name failed: {e.Message}";
            return false;
        }
    }
}
