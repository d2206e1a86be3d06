using AotVector.Engine.Api;
using AotVector.Server.Security;
using AotVector.Testing;

namespace AotVector.Server.Tests.Security;

public sealed class JwtVerifierTests
{
    private const string Secret = "my_top_secret_key_of_32_bytes_ok!";
    private const string AltSecret = "my_alternative_secret_key_32bytes";
    private static readonly DateTimeOffset s_now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static JwtVerifier Verifier() => new(Secret, AltSecret, new FixedTime(s_now));

    private static long Now => s_now.ToUnixTimeSeconds();

    [Theory]
    [InlineData("""{"access":"r"}""", AccessLevel.Read)]
    [InlineData("""{"access":"m"}""", AccessLevel.Manage)]
    public void Global_access(string claims, AccessLevel level)
    {
        var result = Verifier().Verify(TestTokens.Hs256(Secret, claims));
        Assert.Equal(JwtStatus.Valid, result.Status);
        Assert.Equal(level, result.Access!.Global);
    }

    [Fact]
    public void Alt_key_signs_too() =>
        Assert.Equal(JwtStatus.Valid, Verifier().Verify(TestTokens.Hs256(AltSecret, """{"access":"r"}""")).Status);

    [Fact]
    public void Per_collection_access()
    {
        var result = Verifier().Verify(TestTokens.Hs256(Secret,
            """{"sub":"u","access":[{"collection":"a","access":"r"},{"collection":"b","access":"rw"},{"collection":"c","access":"prw"}]}"""));
        Assert.Equal(JwtStatus.Valid, result.Status);
        var access = result.Access!;
        Assert.Equal(AccessLevel.None, access.Global);
        Assert.False(access.CanManage);
        Assert.Equal(AccessLevel.Read, access.LevelFor("a"));
        Assert.Equal(AccessLevel.ReadWrite, access.LevelFor("b"));
        Assert.Equal(AccessLevel.PointsReadWrite, access.LevelFor("c"));
        Assert.Equal(AccessLevel.None, access.LevelFor("d"));
        Assert.True(access.GrantsAnything);
    }

    [Fact]
    public void Missing_access_claim_grants_nothing()
    {
        var result = Verifier().Verify(TestTokens.Hs256(Secret, """{"sub":"u"}"""));
        Assert.Equal(JwtStatus.Valid, result.Status);
        Assert.False(result.Access!.GrantsAnything);
        Assert.False(Verifier().Verify(TestTokens.Hs256(Secret, """{"access":[]}""")).Access!.GrantsAnything);
    }

    [Fact]
    public void Expired_token_is_rejected_after_the_leeway()
    {
        Assert.Equal(JwtStatus.Rejected, Verifier().Verify(TestTokens.Hs256(Secret, $$"""{"access":"m","exp":{{Now - 3600}}}""")).Status);
        Assert.Equal(JwtStatus.Rejected, Verifier().Verify(TestTokens.Hs256(Secret, $$"""{"access":"m","exp":{{Now - 31}}}""")).Status);
        Assert.Equal(JwtStatus.Valid, Verifier().Verify(TestTokens.Hs256(Secret, $$"""{"access":"m","exp":{{Now - 10}}}""")).Status);
        Assert.Equal(JwtStatus.Valid, Verifier().Verify(TestTokens.Hs256(Secret, $$"""{"access":"m","exp":{{Now + 3600}}}""")).Status);
    }

    [Fact]
    public void Not_before_in_the_future_is_rejected() =>
        Assert.Equal(JwtStatus.Rejected, Verifier().Verify(TestTokens.Hs256(Secret, $$"""{"access":"m","nbf":{{Now + 3600}}}""")).Status);

    [Fact]
    public void Bad_signature_is_rejected()
    {
        Assert.Equal(JwtStatus.Rejected, Verifier().Verify(TestTokens.Hs256("another key entirely, 32 bytes!!", """{"access":"m"}""")).Status);
        var token = TestTokens.Hs256(Secret, """{"access":"r"}""");
        var tampered = TestTokens.Encode("""{"alg":"HS256"}""") + "." + TestTokens.Encode("""{"access":"m"}""") + token[token.LastIndexOf('.')..];
        Assert.Equal(JwtStatus.Rejected, Verifier().Verify(tampered).Status);
    }

    [Theory]
    [InlineData("""{"alg":"none","typ":"JWT"}""")]
    [InlineData("""{"alg":"HS512"}""")]
    [InlineData("""{"alg":"RS256"}""")]
    [InlineData("""{"alg":"hs256"}""")]
    [InlineData("""{"typ":"JWT"}""")]
    [InlineData("""{"alg":"HS256","alg":"none"}""")]
    [InlineData("""{"alg":"HS256","crit":["exp"]}""")]
    [InlineData("""["HS256"]""")]
    public void Other_algorithms_and_odd_headers_are_not_jwts(string header) =>
        Assert.Equal(JwtStatus.NotAJwt, Verifier().Verify(TestTokens.Sign(header, """{"access":"m"}""", Secret)).Status);

    [Fact]
    public void Unsigned_none_token_is_not_a_jwt() =>
        Assert.Equal(JwtStatus.NotAJwt, Verifier().Verify(TestTokens.Unsigned("""{"alg":"none"}""", """{"access":"m"}""")).Status);

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("..")]
    [InlineData("!!!.???.***")]
    public void Malformed_shapes_are_not_jwts(string token) =>
        Assert.Equal(JwtStatus.NotAJwt, Verifier().Verify(token).Status);

    [Theory]
    [InlineData("""{"access":[{"collection":"a","access":"r"},{"collection":"a","access":"rw"}]}""", "Collection name should be unique")]
    [InlineData("""{"access":[{"collection":"a","access":"r","payload":{"user":"x"}}]}""", "The 'payload' constraint is deprecated and should not be used")]
    [InlineData("""{"access":"w"}""", null)]
    [InlineData("""{"access":[{"collection":"a","access":"admin"}]}""", null)]
    [InlineData("""{"access":5}""", null)]
    [InlineData("""{"access":"m","exp":"tomorrow"}""", null)]
    [InlineData("""{"access":"m","value_exists":{"collection":"c","matches":[]}}""", null)]
    [InlineData("""[1,2]""", null)]
    public void Invalid_claims(string claims, string? message)
    {
        var result = Verifier().Verify(TestTokens.Hs256(Secret, claims));
        Assert.Equal(JwtStatus.InvalidClaims, result.Status);
        if (message is not null)
        {
            Assert.Equal(message, result.Message);
        }
    }

    private const string DuplicateOrTrailing = "Invalid JWT: the claims must be one JSON object, with no key given twice and nothing after it";

    private const string ValueExists = """{"collection":"tokens","matches":[{"key":"tokenId","value":"token_42"}]}""";

    /// <summary>Every shape once with a key given twice; the same claims with the key once are valid (checked below).</summary>
    public static TheoryData<string, string> DuplicatedClaims => new()
    {
        { "exp past then future", $$"""{"access":"m","exp":{{Now - 3600}},"exp":{{Now + 3600}}}""" },
        { "exp future then past", $$"""{"exp":{{Now + 3600}},"access":"m","exp":{{Now - 3600}}}""" },
        { "exp escaped", $$"""{"access":"m","\u0065xp":{{Now - 3600}},"exp":{{Now + 3600}}}""" },
        { "nbf", $$"""{"access":"m","nbf":{{Now + 3600}},"nbf":{{Now - 3600}}}""" },
        { "access", """{"access":"r","access":"m"}""" },
        { "collection in an access entry", """{"access":[{"collection":"a","collection":"b","access":"r"}]}""" },
        { "access in an access entry", """{"access":[{"collection":"a","access":"r","access":"rw"}]}""" },
        { "value_exists", $$$"""{"access":"r","value_exists":{{{ValueExists}}},"value_exists":{"collection":"other","matches":[{"key":"k","value":1}]}}""" },
        { "collection in value_exists", """{"access":"r","value_exists":{"collection":"tokens","collection":"other","matches":[{"key":"tokenId","value":"token_42"}]}}""" },
        { "matches in value_exists", """{"access":"r","value_exists":{"collection":"tokens","matches":[{"key":"k","value":1}],"matches":[{"key":"tokenId","value":"token_42"}]}}""" },
        { "key in a match", """{"access":"r","value_exists":{"collection":"tokens","matches":[{"key":"tokenId","key":"other","value":"token_42"}]}}""" },
        { "value in a match", """{"access":"r","value_exists":{"collection":"tokens","matches":[{"key":"tokenId","value":"token_42","value":"token_43"}]}}""" },
        { "inside an unknown claim", """{"access":"m","sub":{"id":1,"id":2}}""" },
    };

    [Theory]
    [MemberData(nameof(DuplicatedClaims))]
    public void Claims_with_a_key_given_twice_are_invalid_at_any_depth(string shape, string claims)
    {
        var result = Verifier().Verify(TestTokens.Hs256(Secret, claims));
        Assert.True(result.Status == JwtStatus.InvalidClaims, shape);
        Assert.Equal(DuplicateOrTrailing, result.Message);
    }

    [Theory]
    [InlineData("""{"access":"m"}x""")]
    [InlineData("""{"access":"m"}{"access":"r"}""")]
    [InlineData("""{"access":"r"},{"access":"m"}""")]
    [InlineData("""{"access":"m"}]""")]
    [InlineData("""{"access":"m"} 1""")]
    [InlineData("{\"access\":\"m\"}\0")]
    public void Claims_with_data_after_the_object_are_invalid(string claims)
    {
        var result = Verifier().Verify(TestTokens.Hs256(Secret, claims));
        Assert.Equal(JwtStatus.InvalidClaims, result.Status);
        Assert.Equal(DuplicateOrTrailing, result.Message);
    }

    public static TheoryData<string> SingleClaims => new()
    {
        $$"""{"access":"m","exp":{{Now + 3600}}}""",
        $$"""{"access":"m","nbf":{{Now - 3600}}}""",
        """{"access":[{"collection":"a","access":"rw"}]}""",
        $$"""{"access":"r","value_exists":{{ValueExists}}}""",
        """{"access":"m","sub":{"id":1,"name":2}}""",
        "{\"access\":\"m\"} \r\n\t",
    };

    [Theory]
    [MemberData(nameof(SingleClaims))]
    public void The_same_claims_once_each_are_valid(string claims) =>
        Assert.Equal(JwtStatus.Valid, Verifier().Verify(TestTokens.Hs256(Secret, claims)).Status);

    [Theory]
    [InlineData("""{"alg":"HS256","typ":"JWT","typ":"JWT"}""")]
    [InlineData("""{"typ":"JWT","alg":"HS256","\u0061lg":"HS256"}""")]
    [InlineData("""{"alg":"HS256","kid":"a","kid":"b"}""")]
    [InlineData("""{"alg":"HS256","jwk":{"kty":"oct","kty":"RSA"}}""")]
    [InlineData("""{"alg":"HS256"}x""")]
    [InlineData("""{"alg":"HS256"}{"alg":"none"}""")]
    [InlineData("""{"alg":"HS256"},1""")]
    public void Headers_with_a_key_given_twice_or_data_after_them_are_not_jwts(string header) =>
        Assert.Equal(JwtStatus.NotAJwt, Verifier().Verify(TestTokens.Sign(header, """{"access":"m"}""", Secret)).Status);

    [Fact]
    public void Header_with_each_key_once_and_trailing_whitespace_is_a_jwt() =>
        Assert.Equal(JwtStatus.Valid, Verifier().Verify(TestTokens.Sign("""{"alg":"HS256","typ":"JWT","kid":"a","jwk":{"kty":"oct"}} """, """{"access":"m"}""", Secret)).Status);

    [Fact]
    public void Value_exists_is_read()
    {
        var result = Verifier().Verify(TestTokens.Hs256(Secret,
            """{"access":"r","value_exists":{"collection":"tokens","matches":[{"key":"tokenId","value":"token_42"},{"key":"n","value":7}]}}"""));
        Assert.Equal(JwtStatus.Valid, result.Status);
        var claim = result.ValueExists!;
        Assert.Equal("tokens", claim.Collection);
        Assert.Equal(2, claim.Matches.Count);
        Assert.Equal("tokenId", claim.Matches[0].Key);
        Assert.Equal(AotVector.Common.Model.PayloadValue.FromString("token_42"), claim.Matches[0].Value);
        Assert.Equal(AotVector.Common.Model.PayloadValue.FromInteger(7), claim.Matches[1].Value);
    }

    [Fact]
    public void Without_secrets_nothing_is_a_jwt() =>
        Assert.Equal(JwtStatus.NotAJwt, new JwtVerifier(null, "", new FixedTime(s_now)).Verify(TestTokens.Hs256("", """{"access":"m"}""")).Status);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
