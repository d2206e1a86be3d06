using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Server.Security;

/// <summary>
/// HS256 JSON Web Tokens signed with <c>api_key</c> or <c>alt_api_key</c>, written by hand over
/// Base64Url, HMACSHA256 and JsonDocument (no JWT library, nothing reflected; the document's buffers
/// are pooled, so a token costs its decoded bytes and a few small objects). Stricter than the
/// reference in three ways: only <c>alg: HS256</c> is accepted (so never <c>none</c>), a token
/// without an <c>access</c> claim grants nothing instead of everything, and a header or claims set
/// with a key given twice (at any depth) or anything after its closing brace is refused.
/// </summary>
internal sealed class JwtVerifier
{
    /// <summary>Clock skew allowed on <c>exp</c> and <c>nbf</c>, the same as the reference server.</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(30);

    /// <summary>Headers are capped by Kestrel already; this keeps a hostile token from costing more than a few KB of work.</summary>
    private const int MaxTokenChars = 16 * 1024;

    private static readonly AccessContext s_noAccess = new(AccessLevel.None, null);

    /// <summary>
    /// One JSON value and nothing after it, no key twice in any object: with a repeated <c>exp</c> or
    /// <c>collection</c>, which one counts would depend on the parser, so neither does.
    /// </summary>
    private static readonly JsonDocumentOptions s_strict = new() { AllowDuplicateProperties = false };

    private readonly byte[][] _secrets;
    private readonly TimeProvider _time;

    public JwtVerifier(string? apiKey, string? altApiKey, TimeProvider time)
    {
        _secrets = new[] { apiKey, altApiKey }
            .Where(k => !string.IsNullOrEmpty(k))
            .Select(k => Encoding.UTF8.GetBytes(k!))
            .ToArray();
        _time = time;
    }

    public JwtResult Verify(string token)
    {
        if (token.Length > MaxTokenChars || _secrets.Length == 0)
        {
            return JwtResult.NotAJwt;
        }

        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.Length - 1 || token.IndexOf('.', second + 1) >= 0)
        {
            return JwtResult.NotAJwt;
        }

        if (!TryDecode(token.AsSpan(0, first), out var header) || !IsHs256(header)
            || !TryDecode(token.AsSpan(first + 1, second - first - 1), out var payload)
            || !TryDecode(token.AsSpan(second + 1), out var signature))
        {
            return JwtResult.NotAJwt;
        }

        if (!SignatureMatches(Encoding.ASCII.GetBytes(token, 0, second), signature))
        {
            return JwtResult.Rejected("Invalid JWT: signature does not match");
        }

        return ReadClaims(payload);
    }

    /// <summary>Tries every secret without stopping at the first match, comparing digests in constant time.</summary>
    private bool SignatureMatches(byte[] signedPart, byte[] signature)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var ok = false;
        foreach (var secret in _secrets)
        {
            HMACSHA256.HashData(secret, signedPart, expected);
            ok |= CryptographicOperations.FixedTimeEquals(expected, signature);
        }

        return ok;
    }

    private static bool TryDecode(ReadOnlySpan<char> segment, out byte[] bytes)
    {
        bytes = [];
        if (!Base64Url.IsValid(segment, out var length))
        {
            return false;
        }

        bytes = new byte[length];
        return Base64Url.TryDecodeFromChars(segment, bytes, out var written) && written == length;
    }

    /// <summary>
    /// A JSON object whose <c>alg</c> is exactly "HS256", with no <c>crit</c> extensions we would have to honour.
    /// Parsed as strictly as the claims, so a header cannot say one thing to us and another to a proxy.
    /// </summary>
    private static bool IsHs256(byte[] header)
    {
        try
        {
            using var document = JsonDocument.Parse(header, s_strict);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && !root.TryGetProperty("crit", out _)
                && root.TryGetProperty("alg", out var alg)
                && alg.ValueKind == JsonValueKind.String
                && alg.ValueEquals("HS256");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private JwtResult ReadClaims(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload, s_strict);
            return ReadClaims(document.RootElement);
        }
        catch (JsonException)
        {
            return JwtResult.Invalid("Invalid JWT: the claims must be one JSON object, with no key given twice and nothing after it");
        }
        catch (InvalidOperationException)
        {
            // A string that is not valid UTF-8, found when it is read.
            return JwtResult.Invalid("Invalid JWT: the claims are not valid JSON");
        }
    }

    private JwtResult ReadClaims(JsonElement claims)
    {
        if (claims.ValueKind != JsonValueKind.Object)
        {
            return JwtResult.Invalid("Invalid JWT: the claims are not a JSON object");
        }

        // The document holds no repeated key at any depth, so each lookup below has exactly one answer.
        double? exp = null;
        double? nbf = null;
        AccessContext? access = null;
        ValueExistsClaim? valueExists = null;
        var error = ReadTime(claims, "exp", out exp)
            ?? ReadTime(claims, "nbf", out nbf)
            ?? (claims.TryGetProperty("access", out var accessClaim) ? ReadAccess(accessClaim, out access) : null)
            ?? (claims.TryGetProperty("value_exists", out var valueExistsClaim) ? ReadValueExists(valueExistsClaim, out valueExists) : null);
        if (error is not null)
        {
            return JwtResult.Invalid(error);
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        if (exp is { } e && now > e + Leeway.TotalSeconds)
        {
            return JwtResult.Rejected("Invalid JWT: the token has expired");
        }

        if (nbf is { } n && now + Leeway.TotalSeconds < n)
        {
            return JwtResult.Rejected("Invalid JWT: the token is not valid yet");
        }

        return new JwtResult(JwtStatus.Valid, "", access ?? s_noAccess, valueExists, StringClaim(claims, "subject") ?? StringClaim(claims, "sub"));
    }

    /// <summary>A claim that names the caller (for the audit log), when it is a string; anything else is ignored.</summary>
    private static string? StringClaim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A NumericDate claim (<c>exp</c>, <c>nbf</c>), null when absent. Returns an error message or null.</summary>
    private static string? ReadTime(JsonElement claims, string name, out double? time)
    {
        time = null;
        if (!claims.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds))
        {
            return $"Invalid JWT: {name} must be a number";
        }

        time = seconds;
        return null;
    }

    /// <summary>"r" or "m" globally, or a list of {collection, access: r|rw|prw}. Returns an error message or null.</summary>
    private static string? ReadAccess(JsonElement claim, out AccessContext? access)
    {
        access = null;
        if (claim.ValueKind == JsonValueKind.String)
        {
            access = claim.ValueEquals("r") ? AccessContext.ReadOnly
                : claim.ValueEquals("m") ? AccessContext.Full
                : null;
            return access is null ? $"Invalid JWT: unknown global access '{claim.GetString()}', expected \"r\" or \"m\"" : null;
        }

        if (claim.ValueKind != JsonValueKind.Array)
        {
            return "Invalid JWT: access must be \"r\", \"m\" or a list of collection grants";
        }

        var collections = new Dictionary<string, AccessLevel>(claim.GetArrayLength(), StringComparer.Ordinal);
        foreach (var entry in claim.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                return "Invalid JWT: each access entry must be an object";
            }

            if (entry.TryGetProperty("payload", out _))
            {
                return "The 'payload' constraint is deprecated and should not be used";
            }

            var collection = entry.TryGetProperty("collection", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
            var level = entry.TryGetProperty("access", out var grant) ? CollectionLevel(grant) : AccessLevel.None;
            if (string.IsNullOrEmpty(collection) || level == AccessLevel.None)
            {
                return "Invalid JWT: each access entry needs a collection and an access of \"r\", \"rw\" or \"prw\"";
            }

            if (!collections.TryAdd(collection, level))
            {
                return "Collection name should be unique";
            }
        }

        access = new AccessContext(AccessLevel.None, collections);
        return null;
    }

    private static AccessLevel CollectionLevel(JsonElement grant) =>
        grant.ValueKind != JsonValueKind.String ? AccessLevel.None
        : grant.ValueEquals("r") ? AccessLevel.Read
        : grant.ValueEquals("rw") ? AccessLevel.ReadWrite
        : grant.ValueEquals("prw") ? AccessLevel.PointsReadWrite
        : AccessLevel.None;

    /// <summary>{collection, matches: [{key, value}]} with scalar values. Returns an error message or null.</summary>
    private static string? ReadValueExists(JsonElement claim, out ValueExistsClaim? valueExists)
    {
        const string Shape = "Invalid JWT: value_exists needs a collection and a non-empty list of {key, value} matches with scalar values";
        valueExists = null;
        if (claim.ValueKind != JsonValueKind.Object
            || !claim.TryGetProperty("collection", out var collection) || collection.ValueKind != JsonValueKind.String
            || !claim.TryGetProperty("matches", out var list) || list.ValueKind != JsonValueKind.Array
            || list.GetArrayLength() == 0)
        {
            return Shape;
        }

        var name = collection.GetString();
        var matches = new List<KeyValuePair<string, PayloadValue>>(list.GetArrayLength());
        foreach (var match in list.EnumerateArray())
        {
            if (match.ValueKind != JsonValueKind.Object
                || !match.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String
                || !match.TryGetProperty("value", out var value) || Scalar(value) is not { } scalar)
            {
                return Shape;
            }

            var keyName = key.GetString();
            if (string.IsNullOrEmpty(keyName))
            {
                return Shape;
            }

            matches.Add(new(keyName, scalar));
        }

        if (string.IsNullOrEmpty(name))
        {
            return Shape;
        }

        valueExists = new ValueExistsClaim(name, matches);
        return null;
    }

    private static PayloadValue? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => PayloadValue.FromString(value.GetString()!),
        JsonValueKind.True => PayloadValue.True,
        JsonValueKind.False => PayloadValue.False,
        JsonValueKind.Number when value.TryGetInt64(out var i) => PayloadValue.FromInteger(i),
        JsonValueKind.Number when value.TryGetDouble(out var d) => PayloadValue.FromDouble(d),
        _ => null,
    };
}
