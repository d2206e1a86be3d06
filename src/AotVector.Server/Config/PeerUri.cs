using System.Diagnostics.CodeAnalysis;

namespace AotVector.Server.Config;

/// <summary>
/// A peer's p2p address (<c>--uri</c>, <c>--bootstrap</c>, the peers in the cluster metadata): an absolute http or
/// https URI with a host, kept in the reference's normal form <c>scheme://host:port/</c>.
/// </summary>
internal static class PeerUri
{
    public static bool TryParse(string text, [NotNullWhen(true)] out Uri? uri, out string error)
    {
        uri = null;
        error = string.Empty;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
        {
            error = $"'{text}' is not an absolute URI such as http://10.0.0.1:6335";
            return false;
        }

        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            error = $"'{text}' must start with http:// or https://";
            return false;
        }

        uri = Normalize(parsed);
        return true;
    }

    /// <summary><c>scheme://host:port/</c>: one spelling per peer, so comparing URIs compares peers.</summary>
    public static Uri Normalize(Uri uri) => new UriBuilder(uri.Scheme, uri.Host, uri.Port, "/").Uri;
}
