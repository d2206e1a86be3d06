using Microsoft.Extensions.Primitives;

namespace AotVector.Server.Security;

/// <summary>
/// The credential of one request, taken from HTTP headers or gRPC metadata (the same HTTP/2 headers).
/// Like Qdrant: <c>api-key</c> first, and only when it is absent <c>Authorization: Bearer &lt;value&gt;</c>;
/// the value is then tried as an API key and as a JWT. Header names are case-insensitive.
/// </summary>
internal readonly record struct Credential(CredentialStatus Status, string Value)
{
    public const string ApiKeyHeader = "api-key";

    private const string BearerPrefix = "Bearer ";

    public static Credential Read(IHeaderDictionary headers)
    {
        if (headers.TryGetValue(ApiKeyHeader, out var apiKey) && apiKey.Count > 0)
        {
            return Single(apiKey, prefix: null);
        }

        if (headers.TryGetValue("authorization", out var authorization) && authorization.Count > 0)
        {
            return Single(authorization, BearerPrefix);
        }

        return new Credential(CredentialStatus.Missing, "");
    }

    /// <summary>
    /// Two values of one header (or a comma-joined pair) are refused rather than resolved: a proxy
    /// and a client disagreeing about which one counts is how a check gets bypassed.
    /// </summary>
    private static Credential Single(StringValues values, string? prefix)
    {
        if (values.Count != 1 || values[0] is not { } raw)
        {
            return new Credential(CredentialStatus.Malformed, "");
        }

        var value = raw;
        if (prefix is not null)
        {
            // The scheme is case-insensitive (RFC 9110); Qdrant only takes "Bearer ", we also take "bearer ".
            if (!raw.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return new Credential(CredentialStatus.Malformed, "");
            }

            value = raw[prefix.Length..];
        }

        value = value.Trim(' ', '\t');
        return value.Length == 0 || !IsVisibleAscii(value)
            ? new Credential(CredentialStatus.Malformed, "")
            : new Credential(CredentialStatus.Present, value);
    }

    private static bool IsVisibleAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
