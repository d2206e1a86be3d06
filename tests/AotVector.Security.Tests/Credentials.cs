using AotVector.Testing;

namespace AotVector.Security.Tests;

/// <summary>The callers of the permission table: static keys and JWTs scoped to collection "c".</summary>
internal static class Credentials
{
    public const string Collection = "c";

    public static readonly string[] Names =
    [
        "none", "api_key", "alt_api_key", "read_only_key", "wrong_key",
        "jwt_m", "jwt_r", "jwt_coll_r", "jwt_coll_rw", "jwt_coll_prw",
        "jwt_no_access", "jwt_expired", "jwt_bad_signature", "jwt_alg_none", "jwt_payload_claim",
    ];

    public static string? Value(string name) => name switch
    {
        "none" => null,
        "api_key" => SecureServer.ApiKey,
        "alt_api_key" => SecureServer.AltApiKey,
        "read_only_key" => SecureServer.ReadOnlyKey,
        "wrong_key" => "not_a_key",
        "jwt_m" => Jwt("""{"access":"m"}"""),
        "jwt_r" => Jwt("""{"access":"r"}"""),
        "jwt_coll_r" => Jwt("""{"access":[{"collection":"c","access":"r"}]}"""),
        "jwt_coll_rw" => Jwt("""{"access":[{"collection":"c","access":"rw"}]}"""),
        "jwt_coll_prw" => Jwt("""{"access":[{"collection":"c","access":"prw"}]}"""),
        "jwt_no_access" => Jwt("""{"sub":"nobody"}"""),
        "jwt_expired" => Jwt("""{"access":"m","exp":1000000000}"""),
        "jwt_bad_signature" => TestTokens.Hs256("some_other_secret_0123456789abcdef", """{"access":"m"}"""),
        "jwt_alg_none" => TestTokens.Unsigned("""{"alg":"none","typ":"JWT"}""", """{"access":"m"}"""),
        "jwt_payload_claim" => Jwt("""{"access":[{"collection":"c","access":"r","payload":{"user":"x"}}]}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Signed with the alt key on purpose for one in two, so both secrets are exercised.</summary>
    private static string Jwt(string claims) => TestTokens.Hs256(claims.Length % 2 == 0 ? SecureServer.ApiKey : SecureServer.AltApiKey, claims);

    /// <summary>The answer a caller should get for an operation needing <paramref name="right"/>: 0 = allowed, else 401/403.</summary>
    public static int Expected(string name, Right right)
    {
        if (right == Right.Anonymous)
        {
            return 0;
        }

        switch (name)
        {
            case "none" or "wrong_key" or "jwt_alg_none" or "jwt_payload_claim":
                return 401;
            case "jwt_expired" or "jwt_bad_signature" or "jwt_no_access":
                return 403;
        }

        var allowed = right switch
        {
            Right.Everyone => true,
            Right.GlobalRead => name is "api_key" or "alt_api_key" or "read_only_key" or "jwt_m" or "jwt_r",
            Right.CollectionRead => name is "api_key" or "alt_api_key" or "read_only_key" or "jwt_m" or "jwt_r" or "jwt_coll_r" or "jwt_coll_rw",
            Right.PointsWrite => name is "api_key" or "alt_api_key" or "jwt_m" or "jwt_coll_rw" or "jwt_coll_prw",
            Right.CollectionWrite => name is "api_key" or "alt_api_key" or "jwt_m" or "jwt_coll_rw",
            Right.Manage => name is "api_key" or "alt_api_key" or "jwt_m",
            _ => false,
        };
        return allowed ? 0 : 403;
    }
}

/// <summary>The groups of the reference server's permission table.</summary>
internal enum Right
{
    /// <summary>Health and version: no credential at all.</summary>
    Anonymous,

    /// <summary>Reads any valid caller may make on collection "c" (collection tokens included).</summary>
    Everyone,

    /// <summary>Collection "extras" reads such as listing and downloading snapshots: r, rw, m; not prw.</summary>
    CollectionRead,

    /// <summary>Server-wide reads: global r or m only.</summary>
    GlobalRead,

    /// <summary>Point writes: rw, prw, m.</summary>
    PointsWrite,

    /// <summary>Collection extras such as payload indexes: rw and m, not prw.</summary>
    CollectionWrite,

    /// <summary>Create, update, delete collections and aliases: global m only.</summary>
    Manage,
}
