using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AotVector.Testing;

/// <summary>Builds JWTs by hand for tests (any header, any claims, any key) so bad tokens are easy to make.</summary>
public static class TestTokens
{
    public static string Hs256(string secret, string claimsJson) =>
        Sign("""{"alg":"HS256","typ":"JWT"}""", claimsJson, secret);

    public static string Sign(string headerJson, string claimsJson, string secret)
    {
        var signed = Encode(headerJson) + "." + Encode(claimsJson);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64Url.EncodeToString(mac);
    }

    public static string Unsigned(string headerJson, string claimsJson) => Encode(headerJson) + "." + Encode(claimsJson) + ".";

    public static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
