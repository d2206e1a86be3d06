using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Server.Security;

/// <summary>
/// HS256 JSON Web Tokens signed with <c>api_key</c> or <c>alt_api_key</c>, written by hand over
/// Base64Url, HMACSHA256 and Utf8JsonReader (no JWT library, nothing reflected). Stricter than the
/// reference in two ways: only <c>alg: HS256</c> is accepted (so never <c>none</c>), and a token
/// without an <c>access</c> claim grants nothing instead of everything.
/// </summary>
internal sealed class JwtVerifier
{
    /// <summary>Clock skew allowed on <c>exp</c> and <c>nbf</c>, the same as the reference server.</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(30);

    /// <summary>Headers are capped by Kestrel already; this keeps a hostile token from costing more than a few KB of work.</summary>
    private const int MaxTokenChars = 16 * 1024;

    private static readonly AccessContext s_noAccess = new(AccessLevel.None, null);

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

    /// <summary>A JSON object whose one <c>alg</c> is exactly "HS256", with no <c>crit</c> extensions we would have to honour.</summary>
    private static bool IsHs256(byte[] header)
    {
        try
        {
            var reader = new Utf8JsonReader(header);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var algorithms = 0;
            var hs256 = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("crit"))
                {
                    return false;
                }

                var isAlg = reader.ValueTextEquals("alg");
                reader.Read();
                if (isAlg)
                {
                    algorithms++;
                    hs256 = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("HS256");
                }
                else
                {
                    reader.Skip();
                }
            }

            return algorithms == 1 && hs256 && reader.TokenType == JsonTokenType.EndObject;
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
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return JwtResult.Invalid("Invalid JWT: the claims are not a JSON object");
            }

            double? exp = null;
            double? nbf = null;
            AccessContext? access = null;
            ValueExistsClaim? valueExists = null;
            string? sub = null;
            string? subject = null;
            var seenAccess = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "exp" or "nbf":
                        if (reader.TokenType != JsonTokenType.Number)
                        {
                            return JwtResult.Invalid($"Invalid JWT: {name} must be a number");
                        }

                        if (name == "exp")
                        {
                            exp = reader.GetDouble();
                        }
                        else
                        {
                            nbf = reader.GetDouble();
                        }

                        break;
                    case "access":
                        if (seenAccess)
                        {
                            return JwtResult.Invalid("Invalid JWT: access is given twice");
                        }

                        seenAccess = true;
                        var read = ReadAccess(ref reader, out access);
                        if (read is not null)
                        {
                            return JwtResult.Invalid(read);
                        }

                        break;
                    case "value_exists":
                        var error = ReadValueExists(ref reader, out valueExists);
                        if (error is not null)
                        {
                            return JwtResult.Invalid(error);
                        }

                        break;
                    case "sub" when reader.TokenType == JsonTokenType.String:
                        sub = reader.GetString();
                        break;
                    case "subject" when reader.TokenType == JsonTokenType.String:
                        subject = reader.GetString();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
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

            return new JwtResult(JwtStatus.Valid, "", access ?? s_noAccess, valueExists, subject ?? sub);
        }
        catch (JsonException)
        {
            return JwtResult.Invalid("Invalid JWT: the claims are not valid JSON");
        }
        catch (InvalidOperationException)
        {
            return JwtResult.Invalid("Invalid JWT: the claims are not valid JSON");
        }
    }

    /// <summary>"r" or "m" globally, or a list of {collection, access: r|rw|prw}. Returns an error message or null.</summary>
    private static string? ReadAccess(ref Utf8JsonReader reader, out AccessContext? access)
    {
        access = null;
        if (reader.TokenType == JsonTokenType.String)
        {
            var level = reader.GetString();
            access = level switch
            {
                "r" => AccessContext.ReadOnly,
                "m" => AccessContext.Full,
                _ => null,
            };
            return access is null ? $"Invalid JWT: unknown global access '{level}', expected \"r\" or \"m\"" : null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return "Invalid JWT: access must be \"r\", \"m\" or a list of collection grants";
        }

        var collections = new Dictionary<string, AccessLevel>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return "Invalid JWT: each access entry must be an object";
            }

            string? collection = null;
            string? level = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "collection" when reader.TokenType == JsonTokenType.String:
                        collection = reader.GetString();
                        break;
                    case "access" when reader.TokenType == JsonTokenType.String:
                        level = reader.GetString();
                        break;
                    case "payload":
                        return "The 'payload' constraint is deprecated and should not be used";
                    default:
                        reader.Skip();
                        break;
                }
            }

            var parsed = level switch
            {
                "r" => AccessLevel.Read,
                "rw" => AccessLevel.ReadWrite,
                "prw" => AccessLevel.PointsReadWrite,
                _ => AccessLevel.None,
            };
            if (string.IsNullOrEmpty(collection) || parsed == AccessLevel.None)
            {
                return "Invalid JWT: each access entry needs a collection and an access of \"r\", \"rw\" or \"prw\"";
            }

            if (!collections.TryAdd(collection, parsed))
            {
                return "Collection name should be unique";
            }
        }

        access = new AccessContext(AccessLevel.None, collections);
        return null;
    }

    /// <summary>{collection, matches: [{key, value}]} with scalar values. Returns an error message or null.</summary>
    private static string? ReadValueExists(ref Utf8JsonReader reader, out ValueExistsClaim? claim)
    {
        const string Shape = "Invalid JWT: value_exists needs a collection and a non-empty list of {key, value} matches with scalar values";
        claim = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Shape;
        }

        string? collection = null;
        var matches = new List<KeyValuePair<string, PayloadValue>>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "collection" && reader.TokenType == JsonTokenType.String)
            {
                collection = reader.GetString();
            }
            else if (name == "matches" && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    string? key = null;
                    PayloadValue? value = null;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var field = reader.GetString();
                        reader.Read();
                        if (field == "key" && reader.TokenType == JsonTokenType.String)
                        {
                            key = reader.GetString();
                        }
                        else if (field == "value")
                        {
                            value = Scalar(ref reader);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }

                    if (string.IsNullOrEmpty(key) || value is null)
                    {
                        return Shape;
                    }

                    matches.Add(new(key, value));
                }

                if (reader.TokenType != JsonTokenType.EndArray)
                {
                    return Shape;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (string.IsNullOrEmpty(collection) || matches.Count == 0)
        {
            return Shape;
        }

        claim = new ValueExistsClaim(collection, matches);
        return null;
    }

    private static PayloadValue? Scalar(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => PayloadValue.FromString(reader.GetString()!),
        JsonTokenType.True => PayloadValue.True,
        JsonTokenType.False => PayloadValue.False,
        JsonTokenType.Number when reader.TryGetInt64(out var i) => PayloadValue.FromInteger(i),
        JsonTokenType.Number => PayloadValue.FromDouble(reader.GetDouble()),
        _ => SkipNonScalar(ref reader),
    };

    private static PayloadValue? SkipNonScalar(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
